/**
 * The audit record of an mdoc verification: each check that was made, in order, as a sentence
 * that reads like the requirement, with its category and outcome (the shape mdoc-ts uses).
 * Sentences name structures, namespaces and element identifiers — never element values.
 *
 * Only passing and not-applicable checks are recorded: a failing check throws, with its own
 * error code, and the decision is all-or-nothing (STYLE.md §7).
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

  passed(category: MdocCheckCategory, check: string): void {
    this.#checks.push({ category, check, outcome: 'passed' });
  }

  notApplicable(category: MdocCheckCategory, check: string): void {
    this.#checks.push({ category, check, outcome: 'not_applicable' });
  }

  /** A copy of the checks so far, for a document that shares earlier checks. */
  fork(): CheckLog {
    const log = new CheckLog();
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
