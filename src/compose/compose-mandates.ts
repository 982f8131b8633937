/**
 * Powers of attorney issued here (mandates/, docs/mandates.md): on when portal sessions are on and
 * a representation issuer key is at hand — MANDATE_ISSUER_KEY_FILE and MANDATE_ISSUER_CERT_FILE,
 * or in development the fixture representation issuer, whose root CA the development trusted
 * lists publish in the `representation` category. The secrets are the account key secret (the
 * agent's keyed hash) and a key derived from it for `c_nonce` values.
 */
import { createHmac, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setGlobalConfig } from '@openid4vc/openid4vci';
import { ConfigError } from '../config/load-config.ts';
import type { Config } from '../config/z-config.ts';
import { credentialSigner, type CredentialSigner } from '../mandates/credential-signer.ts';
import type { MandateDeps } from '../mandates/mandate-deps.ts';
import type { MandateStore } from '../mandates/ports.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';

/** Entries in the mandates' status list (one bit each: 16 KiB uncompressed). */
const STATUS_LIST_SIZE = 131_072;

export async function composeMandates(
  config: Config,
  fixturesDir: string,
  store: MandateStore,
  portal: PortalDeps | undefined,
  now: () => number,
  receiptFailed?: (event: string) => void,
): Promise<MandateDeps | undefined> {
  if (portal === undefined) return undefined;
  const files =
    config.MANDATE_ISSUER_KEY_FILE !== undefined && config.MANDATE_ISSUER_CERT_FILE !== undefined
      ? { key: config.MANDATE_ISSUER_KEY_FILE, cert: config.MANDATE_ISSUER_CERT_FILE }
      : config.VERIFIER_MODE === 'development'
        ? { key: join(fixturesDir, 'pki', 'representation-issuer.key.pem'), cert: join(fixturesDir, 'pki', 'representation-issuer.pem') }
        : undefined;
  if (files === undefined) return undefined;
  // The OpenID4VCI library refuses http:// identifiers (its `aud` check included) unless told; only
  // development serves over plain http (production requires an https PUBLIC_BASE_URL). ADR 0200.
  if (config.VERIFIER_MODE === 'development' && config.publicBaseUrl.startsWith('http://')) setGlobalConfig({ allowInsecureUrls: true });
  const secret = portal.accountKeySecret;
  return {
    store,
    agentKeySecret: secret,
    nonceSecret: new Uint8Array(createHmac('sha256', secret).update('eudi-openid4vci-c-nonce-key:v1').digest()),
    signer: await readSigner(files.key, files.cert),
    now,
    receipts: { store: portal.sharingLog, retentionMs: portal.settings.sharingLogRetentionMs, ...(receiptFailed !== undefined && { failed: receiptFailed }) },
    settings: {
      credentialIssuer: config.publicBaseUrl,
      offerTtlMs: config.MANDATE_OFFER_TTL_SECONDS * 1000,
      accessTokenTtlMs: 300_000,
      nonceTtlMs: 300_000,
      statusListTtlSeconds: config.MANDATE_STATUS_LIST_TTL_SECONDS,
      statusListLifetimeSeconds: Math.max(86_400, config.MANDATE_STATUS_LIST_TTL_SECONDS * 2),
      statusListSize: STATUS_LIST_SIZE,
      retentionMs: config.MANDATE_RETENTION_DAYS * 86_400_000,
    },
  };
}

async function readSigner(keyFile: string, certFile: string): Promise<CredentialSigner> {
  let keyPem: string;
  let certPem: string;
  try {
    [keyPem, certPem] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
  } catch {
    throw new ConfigError(`MANDATE_ISSUER_KEY_FILE, MANDATE_ISSUER_CERT_FILE: cannot read ${keyFile} or ${certFile}`);
  }
  try {
    const chain = [...certPem.matchAll(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)].map((m) => new X509Certificate(m[0]));
    const key = createPrivateKey(keyPem);
    if (chain.length === 0 || !chain[0]!.checkPrivateKey(key)) throw new Error('the key does not belong to the first certificate');
    return credentialSigner(key, chain.map((c) => c.raw.toString('base64')));
  } catch (err) {
    throw new ConfigError(`MANDATE_ISSUER_KEY_FILE, MANDATE_ISSUER_CERT_FILE: ${err instanceof Error ? err.message : 'unusable'}`);
  }
}
