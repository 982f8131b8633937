/**
 * Service type and status URIs of trusted lists, and the trust category and purpose each type
 * grants (SPECS.md B.2 for ETSI TS 119 602, B.3 for ETSI TS 119 612).
 *
 * A service type not listed here grants nothing: its certificates never become anchors. An EU
 * LoTE profile (`LoTEType`) admits only its own service types: a PuB-EAA issuance service
 * published in the PID providers list grants nothing. Our own `urn:se:eudi:svctype:*` types
 * (for anchors no EU list publishes yet) are admitted in any list.
 */
import type { AnchorPurpose, TrustCategory } from './types.ts';

/** ETSI TS 119 612 service status URIs under which a service's certificates are anchors. */
export const activeServiceStatuses: ReadonlySet<string> = new Set([
  'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted',
  'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/recognisedatnationallevel',
]);

/** The TS 119 612 namespace. */
export const TSL_NAMESPACE = 'http://uri.etsi.org/02231/v2#';

/** TS 119 612 `TSLType` of a list of lists (the EU LOTL) and of a member state's trusted list. */
export const tslTypes = {
  listOfLists: 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists',
  generic: 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric',
} as const;

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
  representationRevocation: 'urn:se:eudi:svctype:representation/revocation',
} as const;

const SVC = 'http://uri.etsi.org/19602/SvcType';

/** TS 119 602 service types of the EU profiles (SPECS.md B.2). */
export const loteServiceTypes = {
  pidIssuance: `${SVC}/PID/Issuance`,
  pidRevocation: `${SVC}/PID/Revocation`,
  pubEaaIssuance: `${SVC}/PubEAA/Issuance`,
  pubEaaRevocation: `${SVC}/PubEAA/Revocation`,
  wrpacIssuance: `${SVC}/WRPAC/Issuance`,
  wrpacRevocation: `${SVC}/WRPAC/Revocation`,
  /** Providers of registration certificates (ETSI TS 119 475 WRPRC). */
  wrprcIssuance: `${SVC}/WRPRC/Issuance`,
  wrprcRevocation: `${SVC}/WRPRC/Revocation`,
} as const;

/** What a LoTE service type grants: a category, and whether it verifies credentials or status lists. */
export interface ServiceGrant {
  readonly category: TrustCategory;
  readonly purpose: AnchorPurpose;
}

/** TS 119 602 (LoTE) service types → category and purpose. */
export const loteServiceTypeGrants: ReadonlyMap<string, ServiceGrant> = new Map<string, ServiceGrant>([
  [loteServiceTypes.pidIssuance, { category: 'pid', purpose: 'issuance' }],
  [loteServiceTypes.pidRevocation, { category: 'pid', purpose: 'revocation' }],
  [loteServiceTypes.pubEaaIssuance, { category: 'eaa', purpose: 'issuance' }],
  [loteServiceTypes.pubEaaRevocation, { category: 'eaa', purpose: 'revocation' }],
  [loteServiceTypes.wrpacIssuance, { category: 'access', purpose: 'issuance' }],
  [loteServiceTypes.wrpacRevocation, { category: 'access', purpose: 'revocation' }],
  [loteServiceTypes.wrprcIssuance, { category: 'wrprc', purpose: 'issuance' }],
  [loteServiceTypes.wrprcRevocation, { category: 'wrprc', purpose: 'revocation' }],
  [localServiceTypes.mdlIaca, { category: 'mdl', purpose: 'issuance' }],
  [localServiceTypes.representationIssuance, { category: 'representation', purpose: 'issuance' }],
  [localServiceTypes.representationRevocation, { category: 'representation', purpose: 'revocation' }],
]);

/** TS 119 602 (LoTE) issuance service types → category (credential anchors only). */
export const loteServiceTypeCategories: ReadonlyMap<string, TrustCategory> = new Map(
  [...loteServiceTypeGrants].filter(([, grant]) => grant.purpose === 'issuance').map(([type, grant]) => [type, grant.category]),
);

/** LoTE types of the EU profiles (SPECS.md B.2), for writers and reports. */
export const loteTypes = {
  pidProviders: 'http://uri.etsi.org/19602/LoTEType/EUPIDProvidersList',
  pubEaaProviders: 'http://uri.etsi.org/19602/LoTEType/EUPubEAAProvidersList',
  wrpacProviders: 'http://uri.etsi.org/19602/LoTEType/EUWRPACProvidersList',
  wrprcProviders: 'http://uri.etsi.org/19602/LoTEType/EUWRPRCProvidersList',
} as const;

/** The EU service types each EU LoTE profile may publish. */
const loteTypeServiceTypes: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  [loteTypes.pidProviders, new Set<string>([loteServiceTypes.pidIssuance, loteServiceTypes.pidRevocation])],
  [loteTypes.pubEaaProviders, new Set<string>([loteServiceTypes.pubEaaIssuance, loteServiceTypes.pubEaaRevocation])],
  [loteTypes.wrpacProviders, new Set<string>([loteServiceTypes.wrpacIssuance, loteServiceTypes.wrpacRevocation])],
  [loteTypes.wrprcProviders, new Set<string>([loteServiceTypes.wrprcIssuance, loteServiceTypes.wrprcRevocation])],
]);

const isLocalServiceType = (serviceType: string): boolean => serviceType.startsWith('urn:se:eudi:svctype:');

/**
 * What `serviceType` grants in a LoTE of type `loteType`: nothing for an unknown type, for an EU
 * type outside the list's profile, or for any EU type in a list of unknown `LoTEType`.
 */
export function loteServiceGrant(loteType: string, serviceType: string): ServiceGrant | undefined {
  const grant = loteServiceTypeGrants.get(serviceType);
  if (grant === undefined) return undefined;
  if (isLocalServiceType(serviceType)) return grant;
  return loteTypeServiceTypes.get(loteType)?.has(serviceType) === true ? grant : undefined;
}
