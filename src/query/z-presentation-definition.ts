/**
 * Schema of the part of a DIF Presentation Exchange 2.0 `presentation_definition` that can be
 * mapped onto DCQL (see `presentation-exchange.ts`).
 *
 * Properties that are known but cannot be mapped are parsed as `unknown` so that the mapper can
 * refuse them by name; everything else that is unknown is dropped. Display texts (`name`,
 * `purpose`) are dropped too: the use case file carries the purpose shown to the user.
 */
import { z } from 'zod';

/** PE 2.0 §5.1.1.2 (Input Descriptor Object → constraints → fields). */
export const zPeField = z.object({
  id: z.string().min(1).optional(),
  path: z.array(z.string()).min(1),
  filter: z.looseObject({}).optional(),
  optional: z.boolean().optional(),
  intent_to_retain: z.boolean().optional(),
  /** Predicate Feature: unsupported. */
  predicate: z.unknown().optional(),
});
export type PeField = z.infer<typeof zPeField>;

export const zPeConstraints = z.object({
  /** Ignored: this verifier always asks for the minimum (DCQL §6.4.1 selects claims). */
  limit_disclosure: z.enum(['required', 'preferred']).optional(),
  fields: z.array(zPeField).optional(),
  /** Relational Constraint Feature: unsupported. */
  subject_is_issuer: z.unknown().optional(),
  same_subject: z.unknown().optional(),
  /** Ignored: holder binding is required by default (DCQL `require_cryptographic_holder_binding`). */
  is_holder: z.unknown().optional(),
  /** Ignored: the status of every credential that has one is always checked. */
  statuses: z.unknown().optional(),
});

/** PE 2.0 Registry: a format designation object, `{ "<format>": { ...alg limits } }`. */
export const zPeFormat = z.record(z.string(), z.unknown());

/** PE 2.0 §5.1.1 Input Descriptor Object. */
export const zPeInputDescriptor = z.object({
  id: z.string().min(1),
  group: z.array(z.string()).optional(),
  format: zPeFormat.optional(),
  constraints: zPeConstraints,
});
export type PeInputDescriptor = z.infer<typeof zPeInputDescriptor>;

/** PE 2.0 §5.1.2 Submission Requirement Feature. */
export const zPeSubmissionRequirement = z.object({
  rule: z.enum(['all', 'pick']),
  count: z.number().int().nonnegative().optional(),
  min: z.number().int().nonnegative().optional(),
  max: z.number().int().nonnegative().optional(),
  from: z.string().optional(),
  /** Nested requirements: unsupported. */
  from_nested: z.unknown().optional(),
});
export type PeSubmissionRequirement = z.infer<typeof zPeSubmissionRequirement>;

/** PE 2.0 §5.1 Presentation Definition. */
export const zPresentationDefinition = z.object({
  id: z.string().min(1),
  format: zPeFormat.optional(),
  submission_requirements: z.array(zPeSubmissionRequirement).min(1).optional(),
  input_descriptors: z.array(zPeInputDescriptor).min(1),
  /** JSON-LD Framing Feature: unsupported. */
  frame: z.unknown().optional(),
});
export type PresentationDefinition = z.infer<typeof zPresentationDefinition>;
