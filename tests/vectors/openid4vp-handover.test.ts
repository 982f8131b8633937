/**
 * OpenID4VP 1.0 Appendix B.2.6.1 (redirects, OpenID4VPHandover) and B.2.6.2 (DC API,
 * OpenID4VPDCAPIHandover), reproduced byte for byte from the example values, including the
 * RFC 7638 thumbprint of the example response encryption key.
 */
import { ecJwkThumbprint } from '../../src/jose/jwk-thumbprint.ts';
import { describe, expect, it } from 'vitest';
import {
  dcApiHandover,
  dcApiHandoverInfo,
  dcApiSessionTranscript,
  openId4VpHandover,
  openId4VpHandoverInfo,
  openId4VpSessionTranscript,
} from '../../src/formats/mdoc/session-transcript.ts';
import { loadHandoverVectors } from '../helpers/mdoc-vectors.ts';

const v = loadHandoverVectors();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const thumbprint = Buffer.from(v.jwk_thumbprint_sha256_hex, 'hex');

describe('RFC 7638 thumbprint of the example response encryption JWK', () => {
  it('is the one the examples use (kid, use and alg do not enter it)', () => {
    expect(hex(ecJwkThumbprint(v.response_encryption_jwk))).toBe(v.jwk_thumbprint_sha256_hex);
  });
});

describe('B.2.6.1 OpenID4VPHandover (redirect flows)', () => {
  const input = { clientId: v.redirect.client_id, nonce: v.redirect.nonce, jwkThumbprint: new Uint8Array(thumbprint), responseUri: v.redirect.response_uri };

  it('OpenID4VPHandoverInfo', () => expect(hex(openId4VpHandoverInfo(input))).toBe(v.redirect.OpenID4VPHandoverInfo_hex));
  it('OpenID4VPHandover', () => expect(hex(openId4VpHandover(input))).toBe(v.redirect.OpenID4VPHandover_hex));
  it('SessionTranscript', () => expect(hex(openId4VpSessionTranscript(input))).toBe(v.redirect.SessionTranscript_hex));

  it('changes with each input (client_id, nonce, thumbprint, response_uri)', () => {
    const base = hex(openId4VpSessionTranscript(input));
    for (const changed of [
      { ...input, clientId: `${input.clientId}x` },
      { ...input, nonce: `${input.nonce}x` },
      { ...input, jwkThumbprint: null },
      { ...input, responseUri: `${input.responseUri}x` },
    ]) {
      expect(hex(openId4VpSessionTranscript(changed))).not.toBe(base);
    }
  });

  it('encodes an unencrypted response (direct_post) with a null thumbprint', () => {
    const info = openId4VpHandoverInfo({ ...input, jwkThumbprint: null });
    expect(hex(info)).toContain('f6781c'); // null, then the 28-character response_uri
  });
});

describe('B.2.6.2 OpenID4VPDCAPIHandover (Digital Credentials API)', () => {
  const input = { origin: v.dc_api.origin, nonce: v.dc_api.nonce, jwkThumbprint: new Uint8Array(thumbprint) };

  it('OpenID4VPDCAPIHandoverInfo', () => expect(hex(dcApiHandoverInfo(input))).toBe(v.dc_api.OpenID4VPDCAPIHandoverInfo_hex));
  it('OpenID4VPDCAPIHandover', () => expect(hex(dcApiHandover(input))).toBe(v.dc_api.OpenID4VPDCAPIHandover_hex));
  it('SessionTranscript', () => expect(hex(dcApiSessionTranscript(input))).toBe(v.dc_api.SessionTranscript_hex));
});
