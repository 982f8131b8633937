/**
 * Scope codes: what a representation lets the representative do, per service (ARF RP_01 (c)
 * "operations the representative is authorised to perform"), in the style of Mina ombud's
 * per-third-party permission codes (Bolagsverket, Mina ombud).
 *
 * A service code names one e-service: `<country>.<organisation>.<service>`, lower case, e.g.
 * `se.skatteverket.deklaration`. A representation grants a list of entries, each a service code,
 * a prefix ending in `.*` (`se.forsakringskassan.*`: every service of one organisation), or `*`
 * (every service: for legal bases that are general by law, such as custody of a minor or a
 * company's signatory). Matching is exact on segments; nothing else is a wildcard.
 */
import { z } from 'zod';

export { serviceCodePattern, zServiceCode } from '../../use-cases/z-portal-section.ts';

const SEGMENT = '[a-z0-9][a-z0-9-]{0,62}';

/** A granted scope entry: `*`, `<cc>.*`, `<cc>.<org>.*`, … or a service code. */
export const scopeEntryPattern = new RegExp(`^(\\*|[a-z]{2}(\\.${SEGMENT})*\\.\\*|[a-z]{2}(\\.${SEGMENT}){2,})$`);

export const zScopeEntry = z.string().max(200).regex(scopeEntryPattern, 'must be "*", a prefix ending in ".*", or a service code');

/** True when the granted entry covers the service code. */
export function entryCovers(entry: string, serviceCode: string): boolean {
  if (entry === '*') return true;
  if (entry.endsWith('.*')) return serviceCode.startsWith(entry.slice(0, -1));
  return entry === serviceCode;
}

/** True when some entry of `granted` covers `serviceCode`. */
export const scopeCovers = (granted: readonly string[], serviceCode: string): boolean => granted.some((entry) => entryCovers(entry, serviceCode));

/** True when `granted` covers at least one of `serviceCodes`. */
export const scopeCoversAny = (granted: readonly string[], serviceCodes: readonly string[]): boolean => serviceCodes.some((code) => scopeCovers(granted, code));
