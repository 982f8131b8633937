/**
 * The shared specification vectors for mdoc (`tests/vectors/spec/`, see its README). Reading them
 * throws when the folder is missing, so every test that uses them fails rather than skips.
 */
import { createECDH, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VECTORS_DIR = fileURLToPath(new URL('../vectors/spec/', import.meta.url));

const hex = (path: string): Uint8Array => new Uint8Array(Buffer.from(readFileSync(`${VECTORS_DIR}${path}`, 'utf8').trim(), 'hex'));

export interface AnnexD {
  readonly deviceResponse: Uint8Array;
  /** SessionTranscriptBytes as given: `#6.24(bstr .cbor SessionTranscript)`. */
  readonly sessionTranscriptBytes: Uint8Array;
  readonly iacaDer: Uint8Array;
  readonly readerKey: KeyObject;
  readonly now: Date;
}

/** ISO/IEC 18013-5 Annex D: DeviceResponse (D.4.1.2), SessionTranscriptBytes (D.5.1), reader key, utopia IACA. */
export function loadAnnexD(): AnnexD {
  const d = hex('iso18013-5-annexD/ereader_key_private_d.hex');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  const readerKey = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: b64(d), x: b64(point.subarray(1, 33)), y: b64(point.subarray(33, 65)) }, format: 'jwk' });
  const params = JSON.parse(readFileSync(`${VECTORS_DIR}iso18013-5-annexD/params.json`, 'utf8')) as { now: string };
  return {
    deviceResponse: hex('iso18013-5-annexD/device_response.hex'),
    sessionTranscriptBytes: hex('iso18013-5-annexD/session_transcript_bytes.hex'),
    iacaDer: hex('iso18013-5-annexD/iaca_utopia.hex'),
    readerKey,
    now: new Date(params.now),
  };
}

export interface HandoverVectors {
  readonly response_encryption_jwk: { kty: string; crv: string; x: string; y: string; use?: string; alg?: string; kid?: string };
  readonly jwk_thumbprint_sha256_hex: string;
  readonly redirect: { client_id: string; nonce: string; response_uri: string; OpenID4VPHandoverInfo_hex: string; OpenID4VPHandover_hex: string; SessionTranscript_hex: string };
  readonly dc_api: { origin: string; nonce: string; OpenID4VPDCAPIHandoverInfo_hex: string; OpenID4VPDCAPIHandover_hex: string; SessionTranscript_hex: string };
}

/** OpenID4VP 1.0 Appendix B.2.6.1 and B.2.6.2. */
export function loadHandoverVectors(): HandoverVectors {
  return JSON.parse(readFileSync(`${VECTORS_DIR}openid4vp-1.0-b26-handovers.json`, 'utf8')) as HandoverVectors;
}
