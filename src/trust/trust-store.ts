/**
 * The in-memory {@link TrustStore} used on the request path (ARF OIA_12–OIA_15).
 *
 * Anchors are parsed once, when the store is created, and indexed by certificate id and by
 * subject DN. The same certificate published by several lists or services is one anchor entry
 * that keeps every publication, so its categories are the union of theirs and the evidence
 * names the publication that grants the requested category. Revocation-service anchors share the
 * index (a status list chain may end at one) but never validate a credential. Parsed certificates
 * and validated paths are cached per store (`certificate-cache.ts`); validity at `now` is checked
 * on every call.
 */
import { ServiceError } from '../errors.ts';
import { CertificateCache, PathCache } from './certificate-cache.ts';
import type { TrustAnchor, TrustStore } from './types.ts';
import { endEntityAnchorIndex, type AnchorEntry, type ChainContext, type TimelessPath, validateIssuerChain, validateStatusListSigner } from './validate-issuer-chain.ts';

/**
 * Creates a trust store over `anchors`.
 *
 * @throws ServiceError `TRUST_LIST_INVALID` when an anchor's DER is not a certificate.
 */
export function createTrustStore(anchors: readonly TrustAnchor[]): TrustStore {
  const cache = new CertificateCache();
  const byId = new Map<string, { certificate: AnchorEntry['certificate']; anchors: TrustAnchor[] }>();
  for (const anchor of anchors) {
    const known = byId.get(anchor.id);
    if (known) {
      known.anchors.push(anchor);
      continue;
    }
    const parsed = cache.get(anchor.der);
    if (!parsed.ok) throw new ServiceError('TRUST_LIST_INVALID', `${anchor.source.list}: anchor of service "${anchor.source.service}" is invalid: ${parsed.reason}`);
    if (parsed.value.id !== anchor.id) throw new ServiceError('TRUST_LIST_INVALID', `${anchor.source.list}: anchor id of service "${anchor.source.service}" does not match its certificate`);
    cache.pin(parsed.value);
    byId.set(anchor.id, { certificate: parsed.value, anchors: [anchor] });
  }
  const bySubject = new Map<string, AnchorEntry[]>();
  for (const entry of byId.values()) {
    const list = bySubject.get(entry.certificate.subject) ?? [];
    list.push(entry);
    bySubject.set(entry.certificate.subject, list);
  }
  const context: ChainContext = { cache, anchorsById: byId, anchorsBySubject: bySubject, paths: new PathCache<TimelessPath>(), endEntityAnchorsByBase64: endEntityAnchorIndex(byId) };
  return {
    anchors: Object.freeze(anchors.filter((anchor) => (anchor.purpose ?? 'issuance') === 'issuance')),
    revocationAnchors: Object.freeze(anchors.filter((anchor) => anchor.purpose === 'revocation')),
    validateIssuerChain: (input) => validateIssuerChain(context, input),
    validateStatusListSigner: (input) => validateStatusListSigner(context, input),
  };
}
