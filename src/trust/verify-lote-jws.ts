/**
 * Verifies a LoTE distributed as a compact JWS (SPECS.md B.2: JAdES baseline-B, `alg` ES256/384/512,
 * signer certificate in `x5c`) against pinned signer certificates (ARF TLPub_06/07: the signing
 * anchors are published out of band, in the OJEU).
 *
 * Checks, in order, before any payload is read: compact shape; `alg` in the allow-list; `x5c[0]`
 * is canonical base64 and byte-identical to a pinned signer certificate (the `x5c` alone is
 * never trusted); that certificate is valid at `now`; the signature verifies with its key
 * (only the JAdES `sigT` header may be critical). Only then is the payload decoded as JSON.
 *
 * Not checked: the rest of `x5c`, JAdES signed-property semantics (`sigT` value, `x5t#S256`),
 * and the LoTE content (see `parse-lote-json.ts`).
 */
import { compactVerify, decodeProtectedHeader } from 'jose';
import { ServiceError } from '../errors.ts';
import { bytesEqual, decodeBase64Strict } from './base64.ts';
import { parseCertificate } from './parse-certificate.ts';

/** Largest accepted compact JWS, in characters. */
export const MAX_LOTE_JWS_CHARS = 32 * 1024 * 1024;

const curveByAlg: Readonly<Record<string, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

const invalid = (detail: string): ServiceError => new ServiceError('TRUST_LIST_INVALID', `LoTE JWS: ${detail}`);

function readHeader(compactJws: string): { alg: string; signerDer: Uint8Array } {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(compactJws);
  } catch {
    throw invalid('the protected header cannot be decoded');
  }
  const alg = typeof header.alg === 'string' && curveByAlg[header.alg] !== undefined ? header.alg : undefined;
  if (alg === undefined) throw invalid('"alg" must be ES256, ES384 or ES512');
  const first: unknown = Array.isArray(header.x5c) ? header.x5c[0] : undefined;
  const signerDer = typeof first === 'string' ? decodeBase64Strict(first) : undefined;
  if (!signerDer) throw invalid('"x5c" must hold the signer certificate in standard base64');
  return { alg, signerDer };
}

async function signerKey(signerDer: Uint8Array, alg: string, now: Date): Promise<CryptoKey> {
  const parsed = parseCertificate(signerDer);
  if (!parsed.ok) throw invalid(`the signer certificate is invalid: ${parsed.reason}`);
  const signer = parsed.value;
  if (now.getTime() < signer.notBefore.getTime() || now.getTime() > signer.notAfter.getTime()) {
    throw invalid(`the signer certificate (${signer.subject}) is not valid at ${now.toISOString()}`);
  }
  try {
    return await signer.certificate.publicKey.export({ name: 'ECDSA', namedCurve: curveByAlg[alg] as string }, ['verify']);
  } catch {
    throw invalid(`the signer key (${signer.subject}) does not fit "alg" ${alg}`);
  }
}

/**
 * Verifies `compactJws` and returns its JSON payload.
 *
 * @param pinnedSignerCertsDer DER of the certificates allowed to sign trusted lists.
 * @throws ServiceError `TRUST_LIST_INVALID` for any failure.
 */
export async function verifyLoteJws(compactJws: string, pinnedSignerCertsDer: readonly Uint8Array[], now: Date): Promise<unknown> {
  if (typeof compactJws !== 'string' || compactJws.length > MAX_LOTE_JWS_CHARS || compactJws.split('.').length !== 3) {
    throw invalid('not a compact JWS of acceptable size');
  }
  const { alg, signerDer } = readHeader(compactJws);
  if (!pinnedSignerCertsDer.some((pinned) => bytesEqual(pinned, signerDer))) throw invalid('the signer certificate (x5c[0]) is not a pinned trust list signer');
  const key = await signerKey(signerDer, alg, now);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(compactJws, key, { algorithms: [alg], crit: { sigT: true } }));
  } catch {
    throw invalid('the signature does not verify with the pinned signer certificate');
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) as unknown;
  } catch {
    throw invalid('the payload is not UTF-8 JSON');
  }
}
