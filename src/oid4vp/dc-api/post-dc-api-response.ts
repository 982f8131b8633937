/**
 * PostDcApiResponse: the relying party's page posts the DigitalCredential the browser returned
 * (`{ protocol, data }`, W3C Digital Credentials API) to `POST /wallet/dc-api/{request_id}`.
 *
 * Order: find the open transaction; it must be a `dc_api` one, and the answer must use its
 * protocol; then per protocol
 * - OpenID4VP (Appendix A.2): `data` holds the response parameters — `response` (a JWE, for
 *   `dc_api.jwt`, decrypted with the transaction's own key) or `vp_token`; there is no `state`;
 * - ISO/IEC TS 18013-7:2024 Annex C: `data.response` is the HPKE-encrypted DeviceResponse, opened
 *   with the transaction's key and `info` = the Annex C SessionTranscript (origin and EncryptionInfo
 *   from the transaction);
 * then the presentations are verified against the transaction's origin (presentation-binding.ts)
 * and the transaction completes once (settleResponse). The answer carries a fresh single-use
 * `response_code` the page hands to its backend, which reads the result with it (OpenID4VP 1.0 §13.3).
 *
 * Does not check: the origin the browser reports (the page is not trusted to say it); the origin
 * is bound through the wallet's signature or KB-JWT over the registered origin instead.
 */
import { ServiceError } from '../../errors.ts';
import { loadOpenTransaction } from '../load-open-transaction.ts';
import { readResponse, settleResponse } from '../post-wallet-response.ts';
import type { AuthorizationResponse } from '../parse-authorization-response.ts';
import type { Transaction } from '../transaction.ts';
import type { VerifierDeps } from '../verifier-deps.ts';
import { parseAnnexCResponse } from './parse-annex-c-response.ts';
import { openHpke } from './open-hpke.ts';
import { annexCSessionTranscript } from './annex-c-session-transcript.ts';

export interface PostDcApiResponseInput {
  readonly requestId: string;
  /** The posted JSON body: the DigitalCredential's `protocol` and `data`. */
  readonly body: unknown;
}

export interface PostDcApiResponseOutput {
  readonly body: { readonly response_code?: string };
  readonly failure?: ServiceError;
}

export async function postDcApiResponse(deps: VerifierDeps, input: PostDcApiResponseInput): Promise<PostDcApiResponseOutput> {
  const tx = await loadOpenTransaction(deps, input.requestId, deps.now());
  if (tx.dcApi === undefined) throw new ServiceError('DC_API_FLOW_MISMATCH', 'dc_api answer to a redirect transaction');
  const { protocol, data } = readCredential(input.body);
  if (protocol !== tx.dcApi.protocol) throw new ServiceError('DC_API_PROTOCOL_MISMATCH', `answered with another protocol than ${tx.dcApi.protocol}`);
  const response = tx.dcApi.protocol === 'org-iso-mdoc' ? await readAnnexCResponse(deps, tx, data) : await readResponse(tx, data);
  const settled = await settleResponse(deps, tx, response);
  const body = settled.responseCode === undefined ? {} : { response_code: settled.responseCode };
  return settled.failure === undefined ? { body } : { body, failure: settled.failure };
}

function readCredential(body: unknown): { protocol: unknown; data: Readonly<Record<string, unknown>> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ServiceError('RESPONSE_MALFORMED', 'DC API answer is not an object');
  const { protocol, data } = body as Record<string, unknown>;
  if (typeof protocol !== 'string') throw new ServiceError('RESPONSE_MALFORMED', 'DC API answer without protocol');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ServiceError('RESPONSE_MALFORMED', 'DC API answer data is not an object');
  return { protocol, data: data as Record<string, unknown> };
}

/**
 * Annex C: decrypt the DeviceResponse and present it as the answer to the use case's one mdoc query
 * (create-annex-c-request.ts allows no other).
 */
async function readAnnexCResponse(deps: VerifierDeps, tx: Transaction, data: Readonly<Record<string, unknown>>): Promise<AuthorizationResponse> {
  const encrypted = parseAnnexCResponse(data['response']);
  const key = tx.encryptionKey;
  const binding = tx.dcApi;
  if (key === undefined || binding?.encryptionInfo === undefined) throw new ServiceError('INTERNAL_ERROR', 'Annex C transaction without its key');
  const info = annexCSessionTranscript({ encryptionInfo: binding.encryptionInfo, origin: binding.origin });
  const deviceResponse = await openHpke(key, encrypted.enc, encrypted.cipherText, info);
  const queryId = deps.useCases.get(tx.useCaseId)?.query.credentials[0]?.id;
  if (queryId === undefined) throw new ServiceError('INTERNAL_ERROR', `use case ${tx.useCaseId} is no longer loaded`);
  return { kind: 'vp_token', vpToken: { [queryId]: [Buffer.from(deviceResponse).toString('base64url')] }, state: undefined };
}
