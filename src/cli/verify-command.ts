/**
 * `eudi-verifier verify`: verifies one presentation offline, with the service's own verification
 * code (`verifySdJwtVcPresentation`, `verifyDeviceResponse`, `verifyIssuerSigned`), and prints
 * every check made and its outcome (docs/verify-offline.md).
 *
 * Prints claim names, never claim values. Exit codes: 0 verified, 1 refused (the line names the
 * error code), 2 a usage mistake (one line, no stack trace).
 *
 * Does not check: the credential's status (no network), whether the claims satisfy a query.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { errorCatalog, isServiceError } from '../errors.ts';
import { formatCheck, type MdocCheck } from '../formats/mdoc/checks.ts';
import { parseDeviceResponse } from '../formats/mdoc/parse-device-response.ts';
import { decodeCbor } from '../cbor/decode-cbor.ts';
import { parseDocument } from '../formats/mdoc/parse-document.ts';
import { openId4VpSessionTranscript } from '../formats/mdoc/session-transcript.ts';
import { verifyDeviceResponse } from '../formats/mdoc/verify-device-response.ts';
import { verifyDeviceResponseIssuerSigned, verifyIssuerSigned } from '../formats/mdoc/verify-issuer-signed.ts';
import { verifySdJwtVcPresentation } from '../formats/sd-jwt-vc/verify-sd-jwt-vc.ts';
import { representationTypeRules } from '../portal/representation/type-metadata.ts';
import type { VerifiedCredential } from '../formats/types.ts';
import { anchorFromCertificate } from '../trust/anchor.ts';
import { loadTrustDirectory } from '../trust/load-trust-directory.ts';
import { createTrustStore } from '../trust/trust-store.ts';
import { type TrustCategory, type TrustStore, trustCategories } from '../trust/types.ts';
import { decodeBase64url } from '../util/base64url.ts';
import { isJsonObject, parseStrictJson } from '../util/strict-json.ts';

export const VERIFY_USAGE = `  verify --presentation <file> [--query <id>] [--format dc+sd-jwt|mso_mdoc] (--anchor <pem> … | --trust-list-dir <dir>)
         [--at <ISO date-time>] [--type <vct|doctype>] [--legacy-typ] [--category <c> …] [--signer-cert <pem> …]
         (--nonce <n> --client-id <c> --response-uri <u> [--jwk-thumbprint <b64url>] | --no-key-binding)
                              verify one presentation offline and print every check (docs/verify-offline.md)`;

/** A usage mistake: one line on standard error, exit code 2. */
class UsageError extends Error {}

const MAX_PRESENTATION_FILE_BYTES = 4 * 1024 * 1024;

interface Options {
  readonly presentation: string;
  /** With a `vp_token` JSON object: the credential query id whose presentation to verify. */
  readonly query: string | undefined;
  readonly format: 'dc+sd-jwt' | 'mso_mdoc' | undefined;
  readonly anchors: readonly string[];
  readonly trustListDir: string | undefined;
  readonly signerCerts: readonly string[];
  readonly at: Date;
  readonly type: string | undefined;
  /** Accept the pre-Nov-2024 header `typ: vc+sd-jwt` for the expected `vct`, as a use case's `legacy_typ_vcts` does. */
  readonly legacyTyp: boolean;
  readonly categories: readonly TrustCategory[];
  readonly keyBinding: { readonly nonce: string; readonly clientId: string; readonly responseUri: string; readonly jwkThumbprint: Uint8Array | null } | undefined;
}

/** Runs the command; returns the exit code. */
export async function verifyCommand(argv: readonly string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  let options: Options;
  let trust: TrustStore;
  let input: Buffer;
  try {
    options = parseOptions(argv);
    input = selectPresentation(await readInput(options.presentation), options.query);
    trust = await buildTrust(options, err);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`eudi-verifier verify: ${error.message}`);
      return 2;
    }
    throw error;
  }
  try {
    const format = options.format ?? detectFormat(input);
    out(`Presentation: ${options.presentation} (${format}, ${input.length} bytes); verified at ${options.at.toISOString()}`);
    const credentials = format === 'dc+sd-jwt' ? [await verifySdJwt(input, options, trust, out)] : await verifyMdoc(input, options, trust, out);
    for (const credential of credentials) report(credential, out);
    out(`Result: VERIFIED (${credentials.length} credential${credentials.length === 1 ? '' : 's'})`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`eudi-verifier verify: ${error.message}`);
      return 2;
    }
    if (isServiceError(error)) {
      out(`  ✗ ${error.code}: ${errorCatalog[error.code].title}${error.detail === undefined ? '' : ` (${error.detail})`}`);
      const spec = errorCatalog[error.code].spec;
      out(`Result: REFUSED (${error.code}${spec === undefined ? '' : `, ${spec}`})`);
      return 1;
    }
    err(`eudi-verifier verify: unexpected ${error instanceof Error ? error.name : typeof error}`);
    return 1;
  }
}

function parseOptions(argv: readonly string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        presentation: { type: 'string' },
        query: { type: 'string' },
        format: { type: 'string' },
        anchor: { type: 'string', multiple: true },
        'trust-list-dir': { type: 'string' },
        'signer-cert': { type: 'string', multiple: true },
        at: { type: 'string' },
        type: { type: 'string' },
        category: { type: 'string', multiple: true },
        nonce: { type: 'string' },
        'client-id': { type: 'string' },
        'response-uri': { type: 'string' },
        'jwk-thumbprint': { type: 'string' },
        'no-key-binding': { type: 'boolean' },
        'legacy-typ': { type: 'boolean' },
      },
    }));
  } catch (error) {
    const first = error instanceof Error ? (error.message.split('. To specify')[0] ?? 'invalid arguments') : 'invalid arguments';
    throw new UsageError(`${first.replace(/\.$/, '')} (see eudi-verifier verify --help)`);
  }
  if (values.presentation === undefined) throw new UsageError('--presentation <file> is required');
  const format = values.format;
  if (format !== undefined && format !== 'dc+sd-jwt' && format !== 'mso_mdoc') throw new UsageError(`--format must be dc+sd-jwt or mso_mdoc, not "${format}"`);
  const anchors = values.anchor ?? [];
  if ((anchors.length > 0) === (values['trust-list-dir'] !== undefined)) throw new UsageError('give either --anchor <pem> (one or more) or --trust-list-dir <dir>');
  if (values['signer-cert'] !== undefined && values['trust-list-dir'] === undefined) throw new UsageError('--signer-cert applies only with --trust-list-dir');
  const at = values.at === undefined ? new Date() : parseInstant(values.at);
  const categories = (values.category ?? [...trustCategories]).map((category) => {
    if (!(trustCategories as readonly string[]).includes(category)) throw new UsageError(`--category must be one of ${trustCategories.join(', ')}, not "${category}"`);
    return category as TrustCategory;
  });
  const session = [values.nonce, values['client-id'], values['response-uri']];
  const noKeyBinding = values['no-key-binding'] === true;
  if (noKeyBinding && (session.some((v) => v !== undefined) || values['jwk-thumbprint'] !== undefined)) throw new UsageError('--no-key-binding excludes --nonce, --client-id, --response-uri and --jwk-thumbprint');
  if (!noKeyBinding && session.some((v) => v === undefined || v === '')) throw new UsageError('give --nonce, --client-id and --response-uri of the request (or --no-key-binding)');
  const [nonce, clientId, responseUri] = session as [string, string, string];
  return {
    presentation: values.presentation,
    query: values.query,
    format,
    anchors,
    trustListDir: values['trust-list-dir'],
    signerCerts: values['signer-cert'] ?? [],
    at,
    type: values.type,
    legacyTyp: values['legacy-typ'] === true,
    categories,
    keyBinding: noKeyBinding ? undefined : { nonce, clientId, responseUri, jwkThumbprint: values['jwk-thumbprint'] === undefined ? null : thumbprint(values['jwk-thumbprint']) },
  };
}

function parseInstant(text: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at "${text}" is not an ISO 8601 date or date-time with a time zone (e.g. 2026-08-20T12:00:00Z)`);
  return at;
}

function thumbprint(text: string): Uint8Array {
  try {
    const bytes = decodeBase64url(text);
    if (bytes.length === 32) return bytes;
  } catch {
    // reported below
  }
  throw new UsageError('--jwk-thumbprint must be the base64url SHA-256 JWK thumbprint (32 bytes)');
}

async function readFileOrFail(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`${what} ${path} cannot be read${typeof code === 'string' ? ` (${code})` : ''}`);
  }
}

async function readInput(path: string): Promise<Buffer> {
  const bytes = await readFileOrFail(path, '--presentation');
  if (bytes.length === 0 || bytes.length > MAX_PRESENTATION_FILE_BYTES) throw new UsageError(`--presentation ${path} is empty or larger than ${MAX_PRESENTATION_FILE_BYTES} bytes`);
  return bytes;
}

function certificatesOf(pem: string, path: string): Uint8Array[] {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) throw new UsageError(`${path} holds no PEM certificate`);
  return blocks.map((block) => new Uint8Array(Buffer.from((block[1] ?? '').replace(/\s+/g, ''), 'base64')));
}

async function buildTrust(options: Options, err: (line: string) => void): Promise<TrustStore> {
  try {
    if (options.trustListDir === undefined) {
      const anchors = [];
      for (const path of options.anchors) {
        for (const der of certificatesOf((await readFileOrFail(path, '--anchor')).toString('utf8'), path)) {
          anchors.push(anchorFromCertificate(der, options.categories, { list: path, listType: 'etsi-119602', service: '--anchor', serviceType: 'urn:eudi-verifier:cli:anchor' }));
        }
      }
      return createTrustStore(anchors);
    }
    const pinned = [];
    for (const path of options.signerCerts) pinned.push(...certificatesOf((await readFileOrFail(path, '--signer-cert')).toString('utf8'), path));
    const { store } = await loadTrustDirectory(options.trustListDir, {
      mode: pinned.length > 0 ? 'production' : 'development',
      pinnedSignerCertsDer: pinned,
      now: options.at,
      warn: (message) => err(`warning: ${message}`),
    });
    return store;
  } catch (error) {
    if (isServiceError(error)) throw new UsageError(`the trust anchors cannot be used: ${error.code}: ${error.detail ?? errorCatalog[error.code].title}`);
    throw error;
  }
}

/**
 * A file that is a `vp_token` JSON object (OpenID4VP 1.0 §8.1: `{ <credential query id>: [<presentation>, …] }`)
 * gives the one presentation it holds, or the one of `--query`; any other file is the presentation itself.
 */
function selectPresentation(input: Buffer, query: string | undefined): Buffer {
  const text = input.toString('utf8').trim();
  if (!text.startsWith('{')) {
    if (query !== undefined) throw new UsageError('--query applies only to a vp_token JSON object');
    return input;
  }
  let token: unknown;
  try {
    token = parseStrictJson(text);
  } catch {
    throw new UsageError('the file starts with "{" but is not a JSON object (a vp_token is expected)');
  }
  if (!isJsonObject(token)) throw new UsageError('the file is not a vp_token JSON object');
  const ids = Object.keys(token);
  const id = query ?? (ids.length === 1 ? ids[0] : undefined);
  if (id === undefined) throw new UsageError(`the vp_token holds presentations for several credential queries (${ids.join(', ')}); choose one with --query`);
  const entry = token[id];
  if (entry === undefined) throw new UsageError(`the vp_token has no credential query "${id}" (it has ${ids.join(', ')})`);
  const presentations = Array.isArray(entry) ? entry : [entry];
  if (presentations.length !== 1 || typeof presentations[0] !== 'string') throw new UsageError(`the vp_token entry "${id}" is not exactly one presentation string`);
  return Buffer.from(presentations[0], 'utf8');
}

/** An SD-JWT starts with a base64url JOSE header (`ey…`) and has `~` separators; anything else is taken for CBOR. */
function detectFormat(input: Buffer): 'dc+sd-jwt' | 'mso_mdoc' {
  const text = input.subarray(0, 64).toString('latin1');
  return text.startsWith('ey') && input.includes('~') ? 'dc+sd-jwt' : 'mso_mdoc';
}

async function verifySdJwt(input: Buffer, options: Options, trust: TrustStore, out: (line: string) => void): Promise<VerifiedCredential> {
  let presentation = input.toString('utf8').replace(/\s+/g, '');
  if (options.keyBinding === undefined && !presentation.endsWith('~')) {
    presentation = presentation.slice(0, presentation.lastIndexOf('~') + 1);
    out('  - A KB-JWT is present and is not verified (--no-key-binding).');
  }
  const type = options.type ?? presentedVct(presentation);
  return verifySdJwtVcPresentation(presentation, {
    now: options.at,
    nonce: options.keyBinding?.nonce ?? 'no-key-binding',
    audience: options.keyBinding?.clientId ?? 'no-key-binding',
    acceptedVcts: [type],
    ...(options.legacyTyp ? { legacyTypVcts: [type] } : {}),
    categories: options.categories,
    trust,
    requireKeyBinding: options.keyBinding !== undefined,
    // The same per-type rules as the service (representation credentials: sd "never", status required).
    typeRules: representationTypeRules,
    onCheck: (check) => out(`  ✓ ${check}`),
  });
}

/** The `vct` the credential claims, read without verification only to name the type to expect; the verification checks it. */
function presentedVct(presentation: string): string {
  try {
    const payload: unknown = JSON.parse(Buffer.from(presentation.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const vct = (payload as { vct?: unknown } | null)?.vct;
    if (typeof vct === 'string') return vct;
  } catch {
    // the verification reports the malformed JWT with its code
  }
  return '(unknown)';
}

function mdocBytes(input: Buffer): Uint8Array {
  const text = input.toString('latin1').trim();
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0) return new Uint8Array(Buffer.from(text, 'hex'));
  if (/^[A-Za-z0-9_-]+={0,2}$/.test(text) || /^[A-Za-z0-9+/]+={0,2}$/.test(text)) return new Uint8Array(Buffer.from(text.replace(/=+$/, ''), text.includes('+') || text.includes('/') ? 'base64' : 'base64url'));
  return new Uint8Array(input);
}

async function verifyMdoc(input: Buffer, options: Options, trust: TrustStore, out: (line: string) => void): Promise<VerifiedCredential[]> {
  const bytes = mdocBytes(input);
  const root = decodeCbor(bytes, 'mdoc');
  const isIssuerSigned = root instanceof Map && root.has('issuerAuth');
  const base = { now: options.at, categories: options.categories, trust, onCheck: (check: MdocCheck) => out(`  ${check.outcome === 'passed' ? '✓' : '-'} ${formatCheck(check)}`) };
  if (isIssuerSigned) {
    if (options.keyBinding !== undefined) throw new UsageError('the file is an IssuerSigned structure (as issued, not presented): it has no device authentication; use --no-key-binding');
    out('  - The file is an IssuerSigned structure: issuer authentication and data integrity only.');
    return [(await verifyIssuerSigned(bytes, { ...base, ...(options.type === undefined ? {} : { docType: options.type }) })).credential];
  }
  const response = parseDeviceResponse(bytes);
  if (options.keyBinding === undefined) {
    out('  - Device authentication is not checked (--no-key-binding): issuer authentication and data integrity only.');
    return (await verifyDeviceResponseIssuerSigned(bytes, { ...base, ...(options.type === undefined ? {} : { docType: options.type }) })).map((document) => document.credential);
  }
  const docType = options.type ?? presentedDocType(response.documents[0]);
  const sessionTranscript = openId4VpSessionTranscript(options.keyBinding);
  const documents = await verifyDeviceResponse(bytes, { ...base, docType, sessionTranscript, multiple: true });
  return documents.map((document) => document.credential);
}

function presentedDocType(document: Parameters<typeof parseDocument>[0] | undefined): string {
  if (document === undefined) return '(none)';
  return parseDocument(document, 'DeviceResponse.documents[0]').docType;
}

/** The summary of a verified credential; its checks were printed as they passed. */
function report(credential: VerifiedCredential, out: (line: string) => void): void {
  out(`  type: ${credential.type}`);
  out(`  issuer: ${credential.issuer}`);
  out(`  trust: anchor ${credential.trust.anchorSubject} (${credential.trust.category}; ${credential.trust.list}, ${credential.trust.service})`);
  out(`  validity: ${credential.validity.validFrom ?? '-'} … ${credential.validity.validUntil ?? '-'}`);
  out(`  holder bound: ${credential.holderBound ? 'yes' : 'no'}`);
  if (credential.status !== undefined) out('  status: a Token Status List reference (not checked offline)');
  out(`  claims (names only): ${claimNames(credential).join(', ') || '(none)'}`);
}

function claimNames(credential: VerifiedCredential): string[] {
  if (credential.format === 'dc+sd-jwt') return Object.keys(credential.claims);
  return Object.entries(credential.claims).flatMap(([namespace, elements]) => Object.keys(elements as Record<string, unknown>).map((element) => `${namespace}/${element}`));
}
