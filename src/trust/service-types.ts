/**
 * Service type and status URIs of trusted lists, and the trust category each type grants
 * (SPECS.md B.2 for ETSI TS 119 602, B.3 for ETSI TS 119 612).
 *
 * A service type not listed here grants nothing: its certificates never become anchors.
 */
import type { TrustCategory } from './types.ts';

/** ETSI TS 119 612 service status URIs under which a service's certificates are anchors. */
export const activeServiceStatuses: ReadonlySet<string> = new Set([
  'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted',
  'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/recognisedatnationallevel',
]);

/** TS 119 612 (XML) service types → category. */
export const xmlServiceTypeCategories: ReadonlyMap<string, TrustCategory> = new Map([
  ['http://uri.etsi.org/TrstSvc/Svctype/EAA/Q', 'eaa'],
  ['http://uri.etsi.org/TrstSvc/Svctype/EAA/Pub-EAA', 'eaa'],
  ['http://uri.etsi.org/TrstSvc/Svctype/EAA', 'eaa'],
  // Pre-LoTE EUDI reference test lists; superseded by the 119 602 PID list.
  ['http://uri.etsi.org/Svc/Svctype/Provider/PID', 'pid'],
]);

/** Our own service types, for anchors no EU list publishes yet (test and national use). */
export const localServiceTypes = {
  mdlIaca: 'urn:se:eudi:svctype:mdl-iaca',
  representationIssuance: 'urn:se:eudi:svctype:representation/issuance',
} as const;

/** TS 119 602 (LoTE) service types → category. Revocation services are not anchors for credentials. */
export const loteServiceTypeCategories: ReadonlyMap<string, TrustCategory> = new Map([
  ['http://uri.etsi.org/19602/SvcType/PID/Issuance', 'pid'],
  ['http://uri.etsi.org/19602/SvcType/PubEAA/Issuance', 'eaa'],
  ['http://uri.etsi.org/19602/SvcType/WRPAC/Issuance', 'access'],
  [localServiceTypes.mdlIaca, 'mdl'],
  [localServiceTypes.representationIssuance, 'representation'],
]);

/** LoTE types of the EU profiles (SPECS.md B.2), for writers and reports. */
export const loteTypes = {
  pidProviders: 'http://uri.etsi.org/19602/LoTEType/EUPIDProvidersList',
  pubEaaProviders: 'http://uri.etsi.org/19602/LoTEType/EUPubEAAProvidersList',
  wrpacProviders: 'http://uri.etsi.org/19602/LoTEType/EUWRPACProvidersList',
} as const;
