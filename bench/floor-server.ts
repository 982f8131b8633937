/**
 * The protocol floor: the least a process must do for one flow of the flow bench, and nothing
 * else — to measure what bounds the flow efficiency on this runtime (`bench/floor.ts`).
 *
 * The same four HTTP exchanges on node:http as the service (create → request object →
 * `direct_post.jwt` → result), the same cryptography per flow (a P-256 key pair for the response
 * encryption, an ES256 request object signature, ECDH-ES + A128GCM decryption, the issuer's ES256
 * signature over the SD-JWT, the KB-JWT's ES256 signature, SHA-256 of the disclosures and of the
 * `sd_hash`), state in a Map. What it leaves out is everything that makes the service a verifier:
 * no trust chain, no validity or status check, no schema of any input, no strict JSON, no store,
 * no sealing at rest, no logs, no metrics, no limits, no errors beyond a bare 400. It is not a
 * verifier and never runs outside the bench.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { decryptEcdhEs, newEcP256KeyPair, splitCompactJwe } from '../src/jose/jwe-ecdh-es.ts';

interface Pending {
  readonly nonce: string;
  readonly state: string;
  readonly d: string;
  readonly requestObject: string;
  result?: Record<string, unknown>;
}

const port = Number(process.env['PORT'] ?? 0);
const apiKey = process.env['FLOOR_API_KEY'] ?? 'floor';
const base = `http://127.0.0.1:${port}`;
const dcqlQuery = JSON.parse(process.env['FLOOR_DCQL'] ?? '{}') as Record<string, unknown>;
const { privateKey: requestKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const requestHeader = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'oauth-authz-req+jwt' })).toString('base64url');
const pending = new Map<string, Pending>();
const issuerKeys = new Map<string, KeyObject>();
const holderKeys = new Map<string, KeyObject>();

const b64 = (s: string): Buffer => Buffer.from(s, 'base64url');
const sha256 = (s: string): string => createHash('sha256').update(s, 'ascii').digest('base64url');

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function create(): string {
  const id = randomBytes(16).toString('base64url');
  const key = newEcP256KeyPair();
  const claims = {
    client_id: 'x509_hash:floor',
    response_type: 'vp_token',
    response_mode: 'direct_post.jwt',
    response_uri: `${base}/response/${id}`,
    nonce: randomBytes(16).toString('base64url'),
    state: randomBytes(16).toString('base64url'),
    dcql_query: dcqlQuery,
    client_metadata: { jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: key.x, y: key.y, alg: 'ECDH-ES', use: 'enc', kid: '1' }] }, encrypted_response_enc_values_supported: ['A128GCM'] },
  };
  const signingInput = `${requestHeader}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(signingInput, 'ascii'), { key: requestKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  pending.set(id, { nonce: claims.nonce, state: claims.state, d: key.d, requestObject: `${signingInput}.${signature}` });
  return JSON.stringify({ transaction_id: id, request_uri: `${base}/request/${id}` });
}

/** Decrypts the response and verifies the one SD-JWT VC with its KB-JWT; the disclosed claims, or undefined. */
function verifyResponse(tx: Pending, body: string): Record<string, unknown> | undefined {
  const jwe = new URLSearchParams(body).get('response') ?? '';
  const parts = splitCompactJwe(jwe);
  if (parts === undefined) return undefined;
  const header = JSON.parse(b64(parts.protectedB64).toString('utf8')) as Record<string, unknown>;
  const payload = JSON.parse(Buffer.from(decryptEcdhEs(parts, header, tx.d, 'A128GCM')).toString('utf8')) as { vp_token: Record<string, string[]>; state: string };
  if (payload.state !== tx.state) return undefined;
  const presentation = Object.values(payload.vp_token)[0]?.[0] ?? '';
  const pieces = presentation.split('~');
  const kb = pieces.pop() ?? '';
  const [h, p, s] = (pieces[0] ?? '').split('.');
  const jwsHeader = JSON.parse(b64(h ?? '').toString('utf8')) as { x5c: string[] };
  const leaf = jwsHeader.x5c[0] ?? '';
  let issuerKey = issuerKeys.get(leaf);
  if (issuerKey === undefined) issuerKeys.set(leaf, (issuerKey = new X509Certificate(b64(leaf)).publicKey));
  if (!verify('sha256', Buffer.from(`${h}.${p}`, 'ascii'), { key: issuerKey, dsaEncoding: 'ieee-p1363' }, b64(s ?? ''))) return undefined;
  const claims = JSON.parse(b64(p ?? '').toString('utf8')) as { _sd: string[]; cnf: { jwk: Record<string, string> } };
  const digests = new Set(claims._sd);
  const disclosed: Record<string, unknown> = {};
  for (const d of pieces.slice(1)) {
    if (d === '') continue;
    if (!digests.has(sha256(d))) return undefined;
    const [, name, value] = JSON.parse(b64(d).toString('utf8')) as [string, string, unknown];
    disclosed[name] = value;
  }
  const jwkKey = JSON.stringify(claims.cnf.jwk);
  let holderKey = holderKeys.get(jwkKey);
  if (holderKey === undefined) holderKeys.set(jwkKey, (holderKey = createPublicKey({ key: claims.cnf.jwk, format: 'jwk' })));
  const [kh, kp, ks] = kb.split('.');
  if (!verify('sha256', Buffer.from(`${kh}.${kp}`, 'ascii'), { key: holderKey, dsaEncoding: 'ieee-p1363' }, b64(ks ?? ''))) return undefined;
  const kbClaims = JSON.parse(b64(kp ?? '').toString('utf8')) as { nonce: string; sd_hash: string };
  if (kbClaims.nonce !== tx.nonce || kbClaims.sd_hash !== sha256(presentation.slice(0, presentation.length - kb.length))) return undefined;
  return disclosed;
}

const server = createServer((req, res) => {
  const url = req.url ?? '';
  if (req.method === 'POST' && url === '/v1/presentations') {
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, 'text/plain', '');
    void readBody(req).then((body) => {
      JSON.parse(body);
      send(res, 201, 'application/json', create());
    });
    return;
  }
  if (req.method === 'GET' && url.startsWith('/request/')) {
    const tx = pending.get(url.slice(9));
    return tx === undefined ? send(res, 404, 'text/plain', '') : send(res, 200, 'application/oauth-authz-req+jwt', tx.requestObject);
  }
  if (req.method === 'POST' && url.startsWith('/response/')) {
    const tx = pending.get(url.slice(10));
    void readBody(req).then((body) => {
      const result = tx === undefined ? undefined : verifyResponse(tx, body);
      if (tx === undefined || result === undefined) return send(res, 400, 'text/plain', '');
      tx.result = result;
      send(res, 200, 'application/json', '{}');
    });
    return;
  }
  if (req.method === 'GET' && url.startsWith('/v1/presentations/')) {
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, 'text/plain', '');
    const id = url.slice(18);
    const tx = pending.get(id);
    if (tx?.result === undefined) return send(res, 404, 'text/plain', '');
    pending.delete(id);
    return send(res, 200, 'application/json', JSON.stringify({ status: 'verified', claims: tx.result }));
  }
  send(res, 404, 'text/plain', '');
});
server.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
