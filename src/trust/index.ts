/**
 * Trust: anchors from trusted lists (ETSI TS 119 612 / 119 602) kept fresh by a manager, and
 * RFC 5280 path validation of issuer and status list signer chains against them (ETSI TS 119 602, ETSI TS 119 612;
 * ARF OIA_12–OIA_15b; HAIP 1.0 §6.1.1).
 */
export type {
  AnchorPurpose,
  ParsedTrustList,
  StatusSignerEvidence,
  TrustAnchor,
  TrustCategory,
  TrustEvidence,
  TrustListPointer,
  TrustStore,
  ValidatedIssuer,
  ValidateIssuerChainInput,
  ValidateStatusListSignerInput,
} from './types.ts';
export { isAnchorActive, trustCategories } from './types.ts';
export { anchorFromCertificate } from './anchor.ts';
export { createTrustStore } from './trust-store.ts';
export { parseTrustedListRoot, parseTrustedListXml, TSL_NAMESPACE } from './parse-trusted-list-xml.ts';
export { verifyTrustedListXml, type VerifiedTrustedListXml } from './verify-trusted-list-xml.ts';
export { parseLoteJson } from './parse-lote-json.ts';
export { zLote, type Lote } from './z-lote.ts';
export { verifyLoteJws } from './verify-lote-jws.ts';
export { readTrustList, type ReadTrustList } from './read-trust-list.ts';
export { TrustListManager, type LoadedTrustList, type TrustListManagerOptions, type TrustListReport, type TrustListsReport, type TrustListState } from './trust-list-manager.ts';
export { loadTrustDirectory, type LoadTrustDirectoryOptions } from './load-trust-directory.ts';
export { boundedFetcher, fetchBounded, FetchError, type BoundedFetch, type BoundedFetchPolicy, type BoundedFetchResult } from './fetch-bounded.ts';
export {
  activeServiceStatuses,
  localServiceTypes,
  loteServiceGrant,
  loteServiceTypeCategories,
  loteServiceTypes,
  loteTypes,
  tslTypes,
  xmlServiceTypeCategories,
} from './service-types.ts';
