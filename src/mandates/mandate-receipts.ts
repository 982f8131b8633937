/**
 * Receipts of powers of attorney in the citizen's sharing log (portal/sharing-log-entry.ts,
 * `mandate_receipt`): granted, changed, collected and revoked for the granter; received for the
 * agent. Each names the mandate's number, its scope and the other party's name — never an
 * identifier — and expires with the sharing log's retention. A receipt that cannot be written
 * does not undo the change it records: it is logged by the caller's observer.
 */
import { randomToken } from '../util/random.ts';
import type { MandateReceiptEntry } from '../portal/sharing-log-entry.ts';
import type { Mandate } from './mandate.ts';
import type { MandateDeps } from './mandate-deps.ts';

/** The receipts' "relying party": this credential service itself. */
export const RECEIPT_RP = { id: 'mandates', name: 'Fullmaktstjänsten', display: { sv: 'Fullmaktstjänsten', en: 'Power of attorney service' } } as const;

const PURPOSE = { sv: 'Kvitto på en fullmakt', en: 'Receipt of a power of attorney' } as const;

export async function recordReceipt(deps: MandateDeps, accountKey: string, event: MandateReceiptEntry['event'], m: Mandate): Promise<void> {
  const log = deps.receipts;
  if (log === undefined) return;
  const now = deps.now();
  // For the agent of a company mandate the other party is the company, not the signatory who granted it.
  const granter = m.company === undefined ? `${m.granter.given_name} ${m.granter.family_name}` : (m.company.legal_name ?? m.company.organisation_number);
  const counterpart = event === 'received' ? granter : `${m.agent.given_name} ${m.agent.family_name}`;
  const entry: MandateReceiptEntry = {
    id: `receipt_${randomToken(16)}`,
    kind: 'mandate_receipt',
    accountKey,
    at: now,
    expiresAt: now + log.retentionMs,
    rpClientId: RECEIPT_RP.id,
    rpName: RECEIPT_RP.name,
    rpDisplayName: RECEIPT_RP.display,
    useCaseId: 'mandates',
    purpose: PURPOSE,
    event,
    reference: m.reference,
    scope: m.scope,
    counterpart,
  };
  try {
    await log.store.append(entry);
  } catch {
    log.failed?.(event);
  }
}

/** The receipts filed for an account, newest first. */
export async function readReceipts(deps: MandateDeps, accountKey: string): Promise<MandateReceiptEntry[]> {
  const log = deps.receipts;
  if (log === undefined) return [];
  const entries = await log.store.list(accountKey, 'mandate_receipt', deps.now(), 500);
  return entries.filter((e): e is MandateReceiptEntry => e.kind === 'mandate_receipt');
}
