/**
 * How the SQLite and Redis adapters keep a transaction's final state in two fields, unchanged
 * since the first release so that rows written before read the same: the result (JSON, sealed by
 * the adapter) and the error (JSON). A verified transaction whose optional presentations were set
 * aside keeps them in the error field as `{"code": "PRESENTATIONS_DISCARDED", "discarded": […]}`;
 * read back, they are the transaction's `discarded` again, never an error.
 */
import type { CompleteTransaction } from '../oid4vp/ports.ts';

const DISCARDED = 'PRESENTATIONS_DISCARDED';

/** The result (to be sealed) and error fields of a completion, as JSON text. */
export function finalStateFields(u: CompleteTransaction): { readonly result: string | undefined; readonly error: string | undefined } {
  if (u.status === 'failed') return { result: undefined, error: JSON.stringify(u.error) };
  return { result: JSON.stringify(u.result), error: u.discarded === undefined ? undefined : JSON.stringify({ code: DISCARDED, discarded: u.discarded }) };
}

/** Sets the final-state members of a stored transaction record from its error field (JSON text), by its status. */
export function readErrorField(record: Record<string, unknown>, error: string): void {
  const value = JSON.parse(error) as { code?: unknown; discarded?: unknown };
  if (record['status'] === 'verified') {
    if (value.code === DISCARDED && Array.isArray(value.discarded)) record['discarded'] = value.discarded;
    return;
  }
  record['error'] = value;
}
