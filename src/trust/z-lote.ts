/**
 * Zod schema of the parts of an ETSI TS 119 602 List of Trusted Entities (LoTE, JSON binding)
 * that the verifier reads (ETSI TS 119 602; field names as in the EUDI reference data model).
 *
 * Unknown members are allowed and dropped: the schema checks the shape of what is used, not
 * conformance to the whole of TS 119 602 (addresses, policies and extensions are not read).
 */
import { z } from 'zod';

const MAX_CERTIFICATE_CHARS = 64 * 1024;

export const zMultiLangString = z.object({ lang: z.string(), value: z.string() });
export type MultiLangString = z.infer<typeof zMultiLangString>;

export const zLoteCertificate = z.object({
  val: z.string().max(MAX_CERTIFICATE_CHARS),
  encoding: z.string().optional(),
  specRef: z.string().optional(),
});

/**
 * A member read since TS 119 602 support widened (`X509SKIs`, `PointersToOtherLoTE`): lists carrying it in
 * another shape (`null`, an object) were read before with the member dropped, so anything but an array is
 * taken as absent rather than making the list invalid.
 */
const zLenientArray = z
  .unknown()
  .optional()
  .transform((value): unknown[] | undefined => (Array.isArray(value) ? (value as unknown[]) : undefined));

/** `ServiceDigitalIdentity`: certificates, and `X509SKIs` (base64 subject key identifiers, TS 119 602 §6.6.3). */
export const zLoteDigitalIdentity = z.object({
  X509Certificates: z.array(zLoteCertificate).optional(),
  /** Values that are not strings name no key (they were not read before, and do not make a list invalid). */
  X509SKIs: zLenientArray.transform((values) => {
    const strings = values?.filter((value): value is string => typeof value === 'string' && value.length <= 1024);
    return strings !== undefined && strings.length > 0 ? strings : undefined;
  }),
});

export const zLoteServiceInformation = z.object({
  ServiceName: z.array(zMultiLangString),
  ServiceTypeIdentifier: z.string(),
  ServiceStatus: z.string().optional(),
  StatusStartingTime: z.string().optional(),
  ServiceDigitalIdentity: zLoteDigitalIdentity,
});
export type LoteServiceInformation = z.infer<typeof zLoteServiceInformation>;

/** A `ServiceHistoryInstance`: an earlier state of the service, in force from its `StatusStartingTime`. */
export const zLoteServiceHistoryInstance = z.object({
  ServiceName: z.array(zMultiLangString).optional(),
  ServiceTypeIdentifier: z.string().optional(),
  ServiceStatus: z.string().optional(),
  StatusStartingTime: z.string(),
  ServiceDigitalIdentity: zLoteDigitalIdentity.optional(),
});
export type LoteServiceHistoryInstance = z.infer<typeof zLoteServiceHistoryInstance>;

export const zTrustedEntity = z.object({
  TrustedEntityInformation: z.object({ TEName: z.array(zMultiLangString).optional() }),
  TrustedEntityServices: z.array(z.object({ ServiceInformation: zLoteServiceInformation, ServiceHistory: z.array(zLoteServiceHistoryInstance).optional() })),
});

/** `OtherLoTEPointer` (TS 119 602 V1.1.1 §6.3.13): where another LoTE is published and who signs it. */
export const zOtherLoTEPointer = z.object({
  LoTELocation: z.string().max(4096),
  ServiceDigitalIdentities: z.array(zLoteDigitalIdentity).optional(),
  LoTEQualifiers: z.array(z.object({ LoTEType: z.string().optional(), SchemeTerritory: z.string().optional(), MimeType: z.string().optional() })).optional(),
});
export type OtherLoTEPointer = z.infer<typeof zOtherLoTEPointer>;

export const zListAndSchemeInformation = z.object({
  LoTEVersionIdentifier: z.number().int().optional(),
  LoTESequenceNumber: z.number().int().optional(),
  LoTEType: z.string(),
  SchemeOperatorName: z.array(zMultiLangString).optional(),
  SchemeTerritory: z.string().optional(),
  ListIssueDateTime: z.string(),
  /** `null` or absent for a closed list. */
  NextUpdate: z.string().nullable().optional(),
  /** Each pointer is checked on its own (`zOtherLoTEPointer`): a malformed pointer is not followed. */
  PointersToOtherLoTE: zLenientArray,
});

/** A LoTE document: `{ "LoTE": { ListAndSchemeInformation, TrustedEntitiesList } }`. */
export const zLote = z.object({
  LoTE: z.object({
    ListAndSchemeInformation: zListAndSchemeInformation,
    TrustedEntitiesList: z.array(zTrustedEntity).optional(),
  }),
});
export type Lote = z.infer<typeof zLote>;
