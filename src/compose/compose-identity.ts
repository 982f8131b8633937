/**
 * The verifier's signing identity (its access certificate and key; OpenID4VP 1.0 §5.9.3
 * `x509_hash`/`x509_san_dns`) and, during a key rotation, the previous one that still signs the
 * request objects of transactions created under it.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/load-config.ts';
import type { Config } from '../config/z-config.ts';
import type { RpClient } from '../config/rp-clients.ts';
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

/** The signing identities of the RP clients that have an access certificate of their own (RP_CLIENTS_FILE `access_certificate_file`). */
export async function composeClientIdentities(config: Config, clients: readonly RpClient[]): Promise<ReadonlyMap<string, VerifierIdentity>> {
  const out = new Map<string, VerifierIdentity>();
  for (const client of clients) {
    if (client.access_certificate_file === undefined || client.access_key_file === undefined) continue;
    const settings = `RP_CLIENTS_FILE: client "${client.id}" access_key_file, access_certificate_file`;
    const identity = await identityOf(settings, await readSetting(`RP_CLIENTS_FILE: client "${client.id}" access_key_file`, client.access_key_file), await readSetting(`RP_CLIENTS_FILE: client "${client.id}" access_certificate_file`, client.access_certificate_file), config.publicBaseUrl);
    if (identity.clientIds[config.CLIENT_ID_PREFIX] === undefined) {
      throw new ConfigError(`${settings}: CLIENT_ID_PREFIX ${config.CLIENT_ID_PREFIX} needs a dNSName SAN equal to the host of PUBLIC_BASE_URL`);
    }
    out.set(client.id, identity);
  }
  return out;
}

/**
 * The access certificates that sign request objects, the service's and each RP client's own, must
 * not have expired at start (RFC 5280 §4.1.2.5): a wallet would refuse every request signed under
 * one. Not yet valid is left to the wallets (clock skew); a previous identity of a key rotation is
 * not checked (it only signs what was created under it).
 * @throws ConfigError naming the setting and the expiry date.
 */
export function requireAccessCertificatesInForce(identity: VerifierIdentity, clientIdentities: ReadonlyMap<string, VerifierIdentity>, now: Date): void {
  const check = (settings: string, id: VerifierIdentity) => {
    const notAfter = accessCertificateNotAfterMs(id);
    if (notAfter < now.getTime()) throw new ConfigError(`${settings}: the access certificate expired at ${new Date(notAfter).toISOString()}`);
  };
  check('VERIFIER_CERT_FILE', identity);
  for (const [clientId, id] of clientIdentities) check(`RP_CLIENTS_FILE: client "${clientId}" access_certificate_file`, id);
}

/** The end of validity (RFC 5280 §4.1.2.5 notAfter) of an identity's access certificate, in ms. */
export function accessCertificateNotAfterMs(identity: VerifierIdentity): number {
  return new Date(new X509Certificate(identity.leafDer).validTo).getTime();
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
