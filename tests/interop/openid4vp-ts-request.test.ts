/**
 * The service's request objects as an independent OpenID4VP implementation reads them: the
 * OpenWallet Foundation's `@openid4vc/openid4vp` (oid4vc-ts) resolves the `openid4vp://` URI the RP
 * API hands out — fetches the request object over `request_uri`, checks the JAR (`typ`, the
 * signature with the `x5c` leaf key), the `x509_hash` client identifier against that leaf, and
 * parses the payload with its own schema — and finds DCQL, the encryption parameters, the
 * registration certificate in `verifier_info` and the `transaction_data` items (OpenID4VP 1.0 §5.1,
 * §5.9.3; ETSI TS 119 475).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { setGlobalConfig, type Jwk } from '@openid4vc/oauth2';
import { resolveOpenid4vpAuthorizationRequest } from '@openid4vc/openid4vp';
import { compactVerify, exportJWK, importX509 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;

beforeAll(async () => {
  // The service runs on loopback over plain http in the tests; the library refuses that by default.
  setGlobalConfig({ allowInsecureUrls: true });
  dirs = await createFixtureDirs();
  t = await startTestService(dirs);
});
afterAll(async () => {
  setGlobalConfig({ allowInsecureUrls: false });
  await t.stop();
  await removeDir(dirs.root);
});

const pem = (base64Der: string): string => `-----BEGIN CERTIFICATE-----\n${base64Der.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;

/** The callbacks a wallet gives the library: fetch, SHA-256, JWT verification with the `x5c` leaf, certificate SANs. */
const callbacks = {
  fetch,
  hash: (data: Uint8Array, alg: string) => {
    if (alg !== 'sha-256') throw new Error(`unexpected hash ${alg}`);
    return new Uint8Array(createHash('sha256').update(data).digest());
  },
  verifyJwt: async (signer: { method: string; x5c?: string[]; alg?: string }, jwt: { compact: string }) => {
    if (signer.method !== 'x5c' || signer.x5c?.[0] === undefined) return { verified: false as const };
    const key = await importX509(pem(signer.x5c[0]), signer.alg ?? 'ES256');
    try {
      await compactVerify(jwt.compact, key);
      return { verified: true as const, signerJwk: (await exportJWK(key)) as Jwk };
    } catch {
      return { verified: false as const };
    }
  },
  getX509CertificateMetadata: (certificate: string) => {
    const cert = new X509Certificate(Buffer.from(certificate, 'base64'));
    const names = (cert.subjectAltName ?? '').split(', ');
    return { sanDnsNames: names.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4)), sanUriNames: names.filter((n) => n.startsWith('URI:')).map((n) => n.slice(4)) };
  },
  decryptJwe: () => {
    throw new Error('no JWE is expected while resolving a request');
  },
};

async function resolveRequestOf(useCase: string, extra: Record<string, unknown> = {}) {
  const created = await rp(t, 'POST', '/v1/presentations', { use_case: useCase, flow: 'cross_device', ...extra });
  expect(created.status).toBe(201);
  const uri = new URL(String(created.body['authorization_request_uri']));
  return resolveOpenid4vpAuthorizationRequest({
    authorizationRequestPayload: { client_id: String(uri.searchParams.get('client_id')), request_uri: String(uri.searchParams.get('request_uri')) },
    callbacks: callbacks as never,
  });
}

describe('an independent OpenID4VP library reads the request objects', () => {
  it('resolves a signed request by reference: x509_hash client, DCQL, direct_post.jwt with its encryption key, and verifier_info', async () => {
    const resolved = await resolveRequestOf('pid-basic');
    expect(resolved.jar?.signer).toMatchObject({ method: 'x5c' });
    expect(resolved.client).toMatchObject({ prefix: 'x509_hash' });
    expect(resolved.version).toBe(100);
    const payload = resolved.authorizationRequestPayload as Record<string, unknown>;
    expect(payload['response_mode']).toBe('direct_post.jwt');
    expect(resolved.dcql?.query).toMatchObject({ credentials: [expect.objectContaining({ id: 'pid', format: 'dc+sd-jwt' })] });
    const verifierInfo = payload['verifier_info'] as Array<{ format: string; data: unknown }>;
    expect(verifierInfo).toHaveLength(1);
    expect(verifierInfo[0]?.format).toBe('registration_cert');
    expect(String(verifierInfo[0]?.data).split('.')).toHaveLength(3);
  });

  it('parses transaction_data (OpenID4VP 1.0 §5.1) next to verifier_info: each item decoded to its type and credential_ids, the encoded string kept as sent', async () => {
    const item = { type: 'urn:eudi-verifier:transaction-data:application-submission:1', application_id: 'APP-2026-0042', service: 'se.example.service', summary: { sv: 'Ansökan', en: 'Application' } };
    const resolved = await resolveRequestOf('company-application-submit', { transaction_data: [item] });
    const payload = resolved.authorizationRequestPayload as Record<string, unknown>;
    expect(payload['verifier_info']).toEqual([{ format: 'registration_cert', data: expect.stringMatching(/^ey/) }]);
    expect(resolved.transactionData).toHaveLength(1);
    expect(resolved.transactionData?.[0]?.encoded).toBe((payload['transaction_data'] as string[])[0]);
    expect(resolved.transactionData?.[0]?.transactionData).toMatchObject({ ...item, credential_ids: ['company_signatory'] });
  });

  it('refuses the same request object when its signature is altered (the check is real)', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', flow: 'cross_device' });
    const uri = new URL(String(created.body['authorization_request_uri']));
    const jwt = await (await fetch(String(uri.searchParams.get('request_uri')))).text();
    const [h, p, s] = jwt.split('.');
    const forged = `${h}.${p}.${(s ?? '').startsWith('A') ? `B${(s ?? '').slice(1)}` : `A${(s ?? '').slice(1)}`}`;
    await expect(
      resolveOpenid4vpAuthorizationRequest({ authorizationRequestPayload: { client_id: String(uri.searchParams.get('client_id')), request: forged }, callbacks: callbacks as never }),
    ).rejects.toThrow(/signature|verif/i);
  });
});
