/**
 * The verifier's signing identity (its access certificate and key; OpenID4VP 1.0 §5.9.3
 * `x509_hash`/`x509_san_dns`) and, during a key rotation, the previous one that still signs the
 * request objects of transactions created under it.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/load-config.ts';
import type { Config } from '../config/z-config.ts';
import { loadVerifierIdentity, type VerifierIdentity } from '../oid4vp/verifier-identity.ts';
import type { DevelopmentDefaults } from './development.ts';

export interface ComposedIdentity {
  readonly identity: VerifierIdentity;
  readonly previousIdentities: readonly VerifierIdentity[];
}

export async function composeIdentity(config: Config, dev: DevelopmentDefaults | undefined): Promise<ComposedIdentity> {
  let pems: { readonly keyPem: string; readonly certPem: string };
  if (config.VERIFIER_KEY_FILE !== undefined && config.VERIFIER_CERT_FILE !== undefined) {
    pems = { keyPem: await readSetting('VERIFIER_KEY_FILE', config.VERIFIER_KEY_FILE), certPem: await readSetting('VERIFIER_CERT_FILE', config.VERIFIER_CERT_FILE) };
  } else if (dev !== undefined) {
    pems = await dev.verifierCertificate(config.publicBaseUrl);
  } else {
    throw new ConfigError('VERIFIER_KEY_FILE: production mode refuses generated keys');
  }
  const identity = await identityOf('VERIFIER_KEY_FILE, VERIFIER_CERT_FILE', pems.keyPem, pems.certPem, config.publicBaseUrl);
  if (identity.clientIds[config.CLIENT_ID_PREFIX] === undefined) {
    throw new ConfigError(`CLIENT_ID_PREFIX: ${config.CLIENT_ID_PREFIX} needs a dNSName SAN equal to the host of PUBLIC_BASE_URL in the verifier certificate`);
  }
  const previousIdentities =
    config.VERIFIER_PREVIOUS_KEY_FILE !== undefined && config.VERIFIER_PREVIOUS_CERT_FILE !== undefined
      ? [
          await identityOf(
            'VERIFIER_PREVIOUS_KEY_FILE, VERIFIER_PREVIOUS_CERT_FILE',
            await readSetting('VERIFIER_PREVIOUS_KEY_FILE', config.VERIFIER_PREVIOUS_KEY_FILE),
            await readSetting('VERIFIER_PREVIOUS_CERT_FILE', config.VERIFIER_PREVIOUS_CERT_FILE),
            config.publicBaseUrl,
          ),
        ]
      : [];
  return { identity, previousIdentities };
}

/** A key and certificate that do not make an identity are a configuration error, named by its settings. */
async function identityOf(settings: string, keyPem: string, certPem: string, publicBaseUrl: string): Promise<VerifierIdentity> {
  try {
    return await loadVerifierIdentity(keyPem, certPem, publicBaseUrl);
  } catch (err) {
    throw new ConfigError(`${settings}: ${err instanceof Error ? err.message : 'not a usable key and certificate'}`);
  }
}

async function readSetting(name: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new ConfigError(`${name}: cannot read ${file}`);
  }
}
