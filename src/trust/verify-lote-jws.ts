/**
 * Verifies a LoTE distributed as a JWS — compact, or JSON serialization (flattened, or general
 * with exactly one signature) — against pinned signer certificates (ETSI TS 119 602: JAdES
 * baseline-B, `alg` ES256/384/512, signer certificate in `x5c` or named by `x5t#S256`; ARF
 * TLPub_06/07: the signing anchors are published out of band, in the OJEU).
 *
 * Checks, in order, before any payload is read: shape and size; `alg` in the allow-list; the
 * signer named in the *protected* header — `x5c[0]` byte-identical to a pinned certificate, or
 * `x5t#S256` the thumbprint of one (a header certificate alone is never trusted); that certificate
 * is valid at `now`; the signature verifies with its key (only the JAdES `sigT` header may be
 * critical). Only then is the payload decoded as strict JSON (duplicate member names refused).
 *
 * Not checked: the rest of `x5c`, JAdES signed-property semantics (`sigT` value), and the LoTE
 * content (see `parse-lote-json.ts`).
 */
import { createHash } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, flattenedVerify, type FlattenedJWSInput } from 'jose';
import { ServiceError } from '../errors.ts';
import { parseStrictJson } from '../util/strict-json.ts';
import { curveForAlgorithm, isAcceptedJwsAlgorithm, type JwsAlgorithm } from '../jose/jws-algorithms.ts';
import { bytesEqual, decodeBase64Strict } from './base64.ts';
import { parseCertificate } from './parse-certificate.ts';

/** Largest accepted JWS, in characters. */
export const MAX_LOTE_JWS_CHARS = 32 * 1024 * 1024;


const invalid = (detail: string): ServiceError => new ServiceError('TRUST_LIST_INVALID', `LoTE JWS: ${detail}`);

/** The serialization of a signed LoTE document, told apart by its first character and members. */
export type LoteJwsSerialization = 'compact' | 'json';

interface ReadHeader {
  readonly alg: JwsAlgorithm;
  readonly signerDer: Uint8Array;
}

function readHeader(header: Record<string, unknown>, pinned: readonly Uint8Array[]): ReadHeader {
  const alg = isAcceptedJwsAlgorithm(header['alg']) ? header['alg'] : undefined;
  if (alg === undefined) throw invalid('"alg" must be ES256, ES384 or ES512');
  const x5c = header['x5c'];
  if (x5c !== undefined) {
    const first: unknown = Array.isArray(x5c) ? x5c[0] : undefined;
    const signerDer = typeof first === 'string' ? decodeBase64Strict(first) : undefined;
    if (!signerDer) throw invalid('"x5c" must hold the signer certificate in standard base64');
    if (!pinned.some((der) => bytesEqual(der, signerDer))) throw invalid('the signer certificate (x5c[0]) is not a pinned trust list signer');
    return { alg, signerDer };
  }
  const thumbprint = header['x5t#S256'];
  if (typeof thumbprint !== 'string') throw invalid('the protected header must name the signer with "x5c" or "x5t#S256"');
  const signerDer = pinned.find((der) => createHash('sha256').update(der).digest('base64url') === thumbprint);
  if (signerDer === undefined) throw invalid('"x5t#S256" is not the thumbprint of a pinned trust list signer');
  return { alg, signerDer };
}

async function signerKey(signerDer: Uint8Array, alg: JwsAlgorithm, now: Date): Promise<{ key: CryptoKey; subject: string }> {
  const parsed = parseCertificate(signerDer);
  if (!parsed.ok) throw invalid(`the signer certificate is invalid: ${parsed.reason}`);
  const signer = parsed.value;
  if (now.getTime() < signer.notBefore.getTime() || now.getTime() > signer.notAfter.getTime()) {
    throw invalid(`the signer certificate (${signer.subject}) is not valid at ${now.toISOString()}`);
  }
  try {
    return { key: await signer.certificate.publicKey.export({ name: 'ECDSA', namedCurve: curveForAlgorithm(alg) }, ['verify']), subject: signer.subject };
  } catch {
    throw invalid(`the signer key (${signer.subject}) does not fit "alg" ${alg}`);
  }
}

function decodePayload(payload: Uint8Array): unknown {
  try {
    return parseStrictJson(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    throw invalid('the payload is not UTF-8 JSON without duplicate member names');
  }
}

/** A verified LoTE JWS: its payload and the subject of the pinned certificate that signed it. */
export interface VerifiedLoteJws {
  readonly payload: unknown;
  readonly signer: string;
}

async function verifyCompact(compactJws: string, pinned: readonly Uint8Array[], now: Date): Promise<VerifiedLoteJws> {
  if (compactJws.split('.').length !== 3) throw invalid('not a compact JWS');
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(compactJws) as Record<string, unknown>;
  } catch {
    throw invalid('the protected header cannot be decoded');
  }
  const { alg, signerDer } = readHeader(header, pinned);
  const { key, subject } = await signerKey(signerDer, alg, now);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(compactJws, key, { algorithms: [alg], crit: { sigT: true } }));
  } catch {
    throw invalid('the signature does not verify with the pinned signer certificate');
  }
  return { payload: decodePayload(payload), signer: subject };
}

/** The one signature of a JWS JSON serialization, as a flattened JWS (RFC 7515 §7.2). */
function flattened(json: Record<string, unknown>): FlattenedJWSInput {
  const signatures = json['signatures'];
  let entry: Record<string, unknown> = json;
  if (signatures !== undefined) {
    if (!Array.isArray(signatures) || signatures.length !== 1) throw invalid('a JWS JSON serialization must carry exactly one signature');
    if ('signature' in json || 'protected' in json) throw invalid('a general JWS JSON serialization must not also be flattened');
    entry = signatures[0] as Record<string, unknown>;
  }
  const { protected: protectedHeader, signature, header } = entry as { protected?: unknown; signature?: unknown; header?: unknown };
  const payload = json['payload'];
  if (typeof protectedHeader !== 'string' || typeof signature !== 'string' || typeof payload !== 'string') throw invalid('the JWS JSON serialization lacks "protected", "payload" or "signature"');
  if (header !== undefined) {
    if (typeof header !== 'object' || header === null || Array.isArray(header)) throw invalid('the unprotected header is not an object');
    for (const name of ['alg', 'x5c', 'x5t#S256', 'crit']) if (name in header) throw invalid(`"${name}" must be in the protected header`);
  }
  return { protected: protectedHeader, payload, signature, ...(header === undefined ? {} : { header: header as Record<string, unknown> }) };
}

async function verifyJson(text: string, pinned: readonly Uint8Array[], now: Date): Promise<VerifiedLoteJws> {
  let json: unknown;
  try {
    json = parseStrictJson(text);
  } catch {
    throw invalid('the JWS JSON serialization is not strict JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('the JWS JSON serialization is not an object');
  const jws = flattened(json as Record<string, unknown>);
  let header: Record<string, unknown>;
  try {
    header = parseStrictJson(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(jws.protected ?? '', 'base64url'))) as Record<string, unknown>;
  } catch {
    throw invalid('the protected header cannot be decoded');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw invalid('the protected header is not an object');
  const { alg, signerDer } = readHeader(header, pinned);
  const { key, subject } = await signerKey(signerDer, alg, now);
  let payload: Uint8Array;
  try {
    ({ payload } = await flattenedVerify(jws, key, { algorithms: [alg], crit: { sigT: true } }));
  } catch {
    throw invalid('the signature does not verify with the pinned signer certificate');
  }
  return { payload: decodePayload(payload), signer: subject };
}

/** True when `text` looks like a JWS JSON serialization rather than a plain LoTE document. */
export function isJwsJson(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && 'payload' in json && ('signature' in json || 'signatures' in json);
}

/**
 * Verifies `jws` (compact or JSON serialization) and returns its JSON payload.
 *
 * @param pinnedSignerCertsDer DER of the certificates allowed to sign trusted lists.
 * @throws ServiceError `TRUST_LIST_INVALID` for any failure.
 */
export async function verifyLoteJws(jws: string, pinnedSignerCertsDer: readonly Uint8Array[], now: Date): Promise<unknown> {
  return (await verifyLoteJwsSigner(jws, pinnedSignerCertsDer, now)).payload;
}

/** As {@link verifyLoteJws}, with the subject of the pinned certificate that signed. */
export async function verifyLoteJwsSigner(jws: string, pinnedSignerCertsDer: readonly Uint8Array[], now: Date): Promise<VerifiedLoteJws> {
  if (typeof jws !== 'string' || jws.length > MAX_LOTE_JWS_CHARS) throw invalid('not a JWS of acceptable size');
  const trimmed = jws.trim();
  return trimmed.startsWith('{') ? verifyJson(trimmed, pinnedSignerCertsDer, now) : verifyCompact(trimmed, pinnedSignerCertsDer, now);
}
