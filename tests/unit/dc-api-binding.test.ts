/**
 * The binding a Digital Credentials API presentation is checked against, built from the stored
 * transaction: OpenID4VP 1.0 B.2.6.2 reproduced byte for byte (origin, nonce, the thumbprint of the
 * response encryption key of `dc_api.jwt`), the `origin:` audience, and the Annex C handover.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { originAudience, presentationBinding } from '../../src/oid4vp/presentation-binding.ts';
import { annexCHandoverInfo, annexCSessionTranscript } from '../../src/oid4vp/dc-api/annex-c-session-transcript.ts';
import { encodeCbor } from '../../src/cbor/encode-cbor.ts';
import type { Transaction } from '../../src/oid4vp/transaction.ts';

const vectors = JSON.parse(readFileSync('tests/vectors/spec/openid4vp-1.0-b26-handovers.json', 'utf8')) as {
  response_encryption_jwk: JsonWebKey & { kid: string };
  dc_api: { origin: string; nonce: string; SessionTranscript_hex: string };
};

const tx = (over: Partial<Transaction>): Transaction =>
  ({
    id: 'tx',
    requestId: 'req',
    rpClientId: 'rp',
    useCaseId: 'pid-mdoc',
    flow: 'dc_api',
    responseMode: 'dc_api.jwt',
    requestUriMethod: 'get',
    nonce: vectors.dc_api.nonce,
    clientId: 'x509_hash:abc',
    encryptionKey: vectors.response_encryption_jwk,
    dcApi: { protocol: 'openid4vp-v1-signed', origin: vectors.dc_api.origin },
    createdAt: 0,
    expiresAt: 1,
    status: 'pending',
    ...over,
  }) as Transaction;

describe('presentation binding over the Digital Credentials API', () => {
  it('reproduces the OpenID4VP 1.0 B.2.6.2 SessionTranscript from the stored origin, nonce and dc_api.jwt key', () => {
    const binding = presentationBinding(tx({}), 'https://unused.example/response');
    expect(Buffer.from(binding.sessionTranscript()).toString('hex')).toBe(vectors.dc_api.SessionTranscript_hex);
  });

  it('the KB-JWT audience is origin:<origin>, signed request or not (Appendix A.4)', () => {
    expect(presentationBinding(tx({}), '').audience).toBe('origin:https://example.com');
    expect(presentationBinding(tx({ dcApi: { protocol: 'openid4vp-v1-unsigned', origin: 'https://example.com' } }), '').audience).toBe(originAudience('https://example.com'));
  });

  it('dc_api (unencrypted) puts null in place of the thumbprint: the transcript differs from the vector', () => {
    const binding = presentationBinding(tx({ responseMode: 'dc_api' }), '');
    expect(Buffer.from(binding.sessionTranscript()).toString('hex')).not.toBe(vectors.dc_api.SessionTranscript_hex);
  });

  it('redirect flows keep the client_id audience', () => {
    const { dcApi: _omit, ...redirect } = tx({ flow: 'cross_device', responseMode: 'direct_post.jwt' }) as Transaction & { dcApi?: unknown };
    expect(presentationBinding(redirect as Transaction, 'https://v.example/r').audience).toBe('x509_hash:abc');
  });

  it('Annex C: SessionTranscript = [null, null, ["dcapi", SHA-256(CBOR([encryptionInfo, origin]))]]', () => {
    const input = { encryptionInfo: 'gmVkY2FwaaA', origin: 'https://example.com' };
    expect(Buffer.from(annexCHandoverInfo(input)).toString('hex')).toBe(Buffer.from(encodeCbor(['gmVkY2FwaaA', 'https://example.com'])).toString('hex'));
    const hash = createHash('sha256').update(annexCHandoverInfo(input)).digest();
    expect(Buffer.from(annexCSessionTranscript(input)).toString('hex')).toBe(`83f6f682656463617069${'5820'}${hash.toString('hex')}`);
    const binding = presentationBinding(tx({ dcApi: { protocol: 'org-iso-mdoc', origin: 'https://example.com', encryptionInfo: 'gmVkY2FwaaA' } }), '');
    expect(binding.sessionTranscript()).toEqual(annexCSessionTranscript(input));
  });
});
