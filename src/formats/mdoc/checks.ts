/**
 * The audit record of an mdoc verification: each check that was made, in order, as a sentence
 * that reads like the requirement, with its category and outcome (the shape mdoc-ts uses).
 * Sentences name structures, namespaces and element identifiers — never element values.
 *
 * Only passing and not-applicable checks are recorded: a failing check throws, with its own
 * error code, and the decision is all-or-nothing.
 */

export type MdocCheckCategory = 'DOCUMENT_FORMAT' | 'ISSUER_AUTH' | 'DATA_INTEGRITY' | 'VALIDITY' | 'DEVICE_AUTH';

export interface MdocCheck {
  readonly category: MdocCheckCategory;
  readonly check: string;
  readonly outcome: 'passed' | 'not_applicable';
}

/** Collects the checks of one document. */
export class CheckLog {
  readonly #checks: MdocCheck[] = [];
  readonly #observe: ((check: MdocCheck) => void) | undefined;

  /** `observe` sees each check as it is recorded (a tool showing progress up to a failure). */
  constructor(observe?: (check: MdocCheck) => void) {
    this.#observe = observe;
  }

  passed(category: MdocCheckCategory, check: string): void {
    this.#record({ category, check, outcome: 'passed' });
  }

  notApplicable(category: MdocCheckCategory, check: string): void {
    this.#record({ category, check, outcome: 'not_applicable' });
  }

  #record(check: MdocCheck): void {
    this.#checks.push(check);
    this.#observe?.(check);
  }

  /** A copy of the checks so far, for a document that shares earlier checks (not observed again). */
  fork(): CheckLog {
    const log = new CheckLog(this.#observe);
    log.#checks.push(...this.#checks);
    return log;
  }

  get checks(): readonly MdocCheck[] {
    return [...this.#checks];
  }
}

/** One line of `VerifiedCredential.checks`: `[category] sentence` (plus the outcome when not a pass). */
export function formatCheck(check: MdocCheck): string {
  return `[${check.category}] ${check.check}${check.outcome === 'passed' ? '' : ' (not applicable)'}`;
}
