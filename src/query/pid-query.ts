/**
 * Whether a credential query can be answered with a PID: an SD-JWT VC `vct` in the `urn:eudi:pid:`
 * namespace (PID Rulebook, SD-JWT VC encoding: the base type `urn:eudi:pid:1` or a domestic type
 * extending it) or the earlier reference-implementation type `eu.europa.ec.eudi.pid.1`, or the
 * mdoc doctype `eu.europa.ec.eudi.pid.1` (PID Rulebook, ISO/IEC 18013-5 encoding).
 *
 * Used to keep the PID key from signing transaction data (PID Rulebook §5): a query counts as a PID
 * query as soon as one of the types it accepts is a PID type.
 */
import type { CredentialQuery } from './z-dcql.ts';

const PID_MDOC_DOCTYPE = 'eu.europa.ec.eudi.pid.1';

export function isPidType(type: string): boolean {
  return type.startsWith('urn:eudi:pid:') || type === PID_MDOC_DOCTYPE;
}

export function isPidCredentialQuery(cq: CredentialQuery): boolean {
  if (cq.format === 'mso_mdoc') return isPidType((cq.meta as { doctype_value: string }).doctype_value);
  if (cq.format === 'dc+sd-jwt') return (cq.meta as { vct_values: string[] }).vct_values.some(isPidType);
  return false;
}
