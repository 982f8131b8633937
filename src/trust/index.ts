/**
 * Trust: anchors from trusted lists (ETSI TS 119 612 / 119 602) and RFC 5280 path validation of
 * issuer certificate chains against them (SPECS.md B; ARF OIA_12–OIA_15b; HAIP 1.0 §6.1.1).
 */
export type { ParsedTrustList, TrustAnchor, TrustCategory, TrustEvidence, TrustStore, ValidatedIssuer, ValidateIssuerChainInput } from './types.ts';
export { trustCategories } from './types.ts';
export { anchorFromCertificate } from './anchor.ts';
export { createTrustStore } from './trust-store.ts';
export { parseTrustedListXml, TSL_NAMESPACE } from './parse-trusted-list-xml.ts';
export { parseLoteJson } from './parse-lote-json.ts';
export { zLote, type Lote } from './z-lote.ts';
export { verifyLoteJws } from './verify-lote-jws.ts';
export { loadTrustDirectory, type LoadedTrustList, type LoadTrustDirectoryOptions } from './load-trust-directory.ts';
export { activeServiceStatuses, localServiceTypes, loteServiceTypeCategories, loteTypes, xmlServiceTypeCategories } from './service-types.ts';
