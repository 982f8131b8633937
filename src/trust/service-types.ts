/**
 * Service type and status URIs of trusted lists, and the trust category and purpose each type
 * grants (ETSI TS 119 602 and ETSI TS 119 612).
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

/**
 * ETSI TS 119 602 V1.1.1 Annex H (EU Pub-EAA providers list) service status URIs: a notified
 * provider's services are in force; `withdrawn` marks a provider that is no longer one.
 */
export const pubEaaServiceStatuses = {
  notified: 'http://uri.etsi.org/19602/PubEAAProvidersList/SvcStatus/notified',
  withdrawn: 'http://uri.etsi.org/19602/PubEAAProvidersList/SvcStatus/withdrawn',
} as const;

/**
 * Status URIs under which a LoTE service's certificates are anchors: the TS 119 612 active
 * statuses, and Annex H `notified`. The EU PID and WRPAC profiles publish no status.
 */
export const activeLoteServiceStatuses: ReadonlySet<string> = new Set([...activeServiceStatuses, pubEaaServiceStatuses.notified]);

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

/** TS 119 602 service types of the EU profiles (ETSI TS 119 602). */
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

/** LoTE types of the EU profiles (ETSI TS 119 602), for writers and reports. */
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
 * Operator-configured grants for lists outside the EU profiles (national or sectoral LoTE types,
 * pilots): `LoTEType` or TS 119 612 `TSLType` (or `*` for any) → `ServiceTypeIdentifier` → grant.
 * Empty by default: a list type or service type not named here or in the EU rules grants nothing.
 */
export type ServiceTypeGrants = ReadonlyMap<string, ReadonlyMap<string, ServiceGrant>>;

const CATEGORY_NAMES: ReadonlySet<string> = new Set<TrustCategory>(['pid', 'eaa', 'mdl', 'representation', 'access']);

/**
 * Parses `TRUST_SERVICE_TYPE_CATEGORIES`: entries separated by whitespace or `;`, each
 * `<LoTEType or TSLType URI, or *>|<service type URI>=<category>[/issuance|/revocation]` (default issuance).
 * Returns the problem as text for an entry that does not have this form.
 */
export function parseServiceTypeGrants(setting: string): { readonly grants: ServiceTypeGrants } | { readonly problem: string } {
  const grants = new Map<string, Map<string, ServiceGrant>>();
  for (const entry of setting.split(/[\s;]+/).filter((e) => e !== '')) {
    const bar = entry.indexOf('|');
    const equals = entry.lastIndexOf('=');
    if (bar <= 0 || equals <= bar + 1) return { problem: `"${entry}" is not <LoTEType or *>|<service type>=<category>[/issuance|/revocation]` };
    const loteType = entry.slice(0, bar);
    const serviceType = entry.slice(bar + 1, equals);
    const [category = '', purpose = 'issuance', ...rest] = entry.slice(equals + 1).split('/');
    if (!CATEGORY_NAMES.has(category) || (purpose !== 'issuance' && purpose !== 'revocation') || rest.length > 0) {
      return { problem: `"${entry}": the category must be one of ${[...CATEGORY_NAMES].join(', ')}, optionally followed by /issuance or /revocation` };
    }
    if ((loteType !== '*' && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(loteType)) || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(serviceType)) return { problem: `"${entry}": the LoTE type (or *) and the service type must be URIs` };
    const byService = grants.get(loteType) ?? new Map<string, ServiceGrant>();
    byService.set(serviceType, { category: category as TrustCategory, purpose });
    grants.set(loteType, byService);
  }
  return { grants };
}

/**
 * What `serviceType` grants in a LoTE of type `loteType`: the EU profile's grant; otherwise the
 * operator-configured one (`extra`, for this `LoTEType` or `*`); otherwise nothing — for an
 * unknown type, an EU type outside the list's profile, or any EU type in a list of unknown `LoTEType`.
 */
export function loteServiceGrant(loteType: string, serviceType: string, extra?: ServiceTypeGrants): ServiceGrant | undefined {
  const grant = loteServiceTypeGrants.get(serviceType);
  if (grant !== undefined && (isLocalServiceType(serviceType) || loteTypeServiceTypes.get(loteType)?.has(serviceType) === true)) return grant;
  return extra?.get(loteType)?.get(serviceType) ?? extra?.get('*')?.get(serviceType);
}
