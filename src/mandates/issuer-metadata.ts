/**
 * The metadata this credential issuer publishes (OpenID4VCI 1.0 §12.2) and the authorization
 * server metadata of its token endpoint (RFC 8414 §2, OpenID4VCI 1.0 §12.3): two credential
 * configurations, the power of attorney and the company mandate, each `dc+sd-jwt`, bound to a
 * holder key proven with a `jwt` key proof. An offer names the one of its mandate. The issuer is its own authorization server, for the pre-authorized code grant only.
 */
import { COMPANY_MANDATE_VCT, POWER_OF_ATTORNEY_VCT } from './create-power-of-attorney.ts';
import { mandateKind, type Mandate } from './mandate.ts';
import type { MandateDeps } from './mandate-deps.ts';

export const CREDENTIAL_CONFIGURATION_ID = 'power_of_attorney_sd_jwt';
export const COMPANY_MANDATE_CONFIGURATION_ID = 'company_mandate_sd_jwt';

/** The credential configuration a mandate is issued under. */
export const configurationOf = (m: Pick<Mandate, 'company'>): string => (mandateKind(m) === 'company_mandate' ? COMPANY_MANDATE_CONFIGURATION_ID : CREDENTIAL_CONFIGURATION_ID);
export const PRE_AUTHORIZED_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
/** Holder key algorithms accepted in key proofs (HAIP 1.0 §7: ES256). */
export const PROOF_SIGNING_ALGS = ['ES256'] as const;
/** Key proofs, and so credentials, per request (OpenID4VCI 1.0 §12.2.4 `batch_credential_issuance`). */
export const BATCH_SIZE = 4;

export const vciPaths = {
  token: '/openid4vci/token',
  nonce: '/openid4vci/nonce',
  credential: '/openid4vci/credential',
} as const;

export function credentialIssuerMetadata(deps: Pick<MandateDeps, 'settings' | 'signer'>): Record<string, unknown> {
  const ci = deps.settings.credentialIssuer;
  const configuration = (id: string, vct: string, display: Record<string, unknown>[]) => ({
    [id]: {
      format: 'dc+sd-jwt',
      vct,
      scope: id,
      cryptographic_binding_methods_supported: ['jwk'],
      credential_signing_alg_values_supported: [deps.signer.alg],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...PROOF_SIGNING_ALGS] } },
      credential_metadata: { display },
    },
  });
  return {
    credential_issuer: ci,
    authorization_servers: [ci],
    credential_endpoint: `${ci}${vciPaths.credential}`,
    nonce_endpoint: `${ci}${vciPaths.nonce}`,
    batch_credential_issuance: { batch_size: BATCH_SIZE },
    display: [
      { name: 'Fullmaktstjänsten', locale: 'sv' },
      { name: 'Power of attorney service', locale: 'en' },
    ],
    credential_configurations_supported: {
      ...configuration(CREDENTIAL_CONFIGURATION_ID, POWER_OF_ATTORNEY_VCT, [
        { name: 'Fullmakt', locale: 'sv', description: 'Rätt att företräda en annan person i de angivna tjänsterna' },
        { name: 'Power of attorney', locale: 'en', description: 'The right to act for another person in the services named' },
      ]),
      ...configuration(COMPANY_MANDATE_CONFIGURATION_ID, COMPANY_MANDATE_VCT, [
        { name: 'Företagsfullmakt', locale: 'sv', description: 'Rätt att företräda ett företag i de angivna tjänsterna' },
        { name: 'Company mandate', locale: 'en', description: 'The right to act for a company in the services named' },
      ]),
    },
  };
}

export function authorizationServerMetadata(deps: Pick<MandateDeps, 'settings'>): Record<string, unknown> {
  const ci = deps.settings.credentialIssuer;
  return {
    issuer: ci,
    token_endpoint: `${ci}${vciPaths.token}`,
    grant_types_supported: [PRE_AUTHORIZED_CODE_GRANT],
    token_endpoint_auth_methods_supported: ['none'],
    'pre-authorized_grant_anonymous_access_supported': true,
    response_types_supported: [],
  };
}
