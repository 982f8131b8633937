/**
 * PostWalletResponse: the wallet posts its Authorization Response to the response URI
 * (OpenID4VP 1.0 §8.2 `direct_post`, §8.3 `direct_post.jwt`).
 *
 * Order: find the open transaction; decrypt (if the request asked for encryption); check `state`;
 * verify the VP token; then one atomic transition to verified or failed. A response that cannot be
 * attributed to this transaction (undecryptable, wrong state) changes nothing. The same-device
 * answer carries `redirect_uri` with a fresh single-use `response_code` (§13.3).
 */
import { createHash, randomUUID } from 'node:crypto';
import { ServiceError, isServiceError } from '../errors.ts';
import { parseStrictJson } from '../util/strict-json.ts';
import { decryptResponse } from './decrypt-response.ts';
import { loadOpenTransaction } from './load-open-transaction.ts';
import { parseAuthorizationResponse, type AuthorizationResponse } from './parse-authorization-response.ts';
import { newResponseCode, publicStatus, type DiscardedPresentation, type StoredCredentialResult, type Transaction, type TransactionError } from './transaction.ts';
import { verifyVpToken } from './verify-vp-token.ts';
import { resultTtlMs } from './redeem-verified-result.ts';
import type { VerifierDeps } from './verifier-deps.ts';
import type { CompleteTransaction } from './ports.ts';
import type { WebhookEvent } from './webhooks.ts';

export interface PostWalletResponseInput {
  readonly requestId: string;
  /** The form fields as received (`application/x-www-form-urlencoded`). */
  readonly form: Readonly<Record<string, unknown>>;
}

export interface PostWalletResponseOutput {
  /** The body of the 200 answer to the wallet. */
  readonly body: { redirect_uri?: string };
  /** Set when the response was attributed to the transaction but failed verification. */
  readonly failure?: ServiceError;
}

export const hashResponseCode = (code: string): string => createHash('sha256').update(code, 'utf8').digest('base64url');

export async function postWalletResponse(deps: VerifierDeps, input: PostWalletResponseInput): Promise<PostWalletResponseOutput> {
  const tx = await loadOpenTransaction(deps, input.requestId, deps.now());
  if (tx.dcApi !== undefined) throw new ServiceError('DC_API_FLOW_MISMATCH', 'direct_post to a dc_api transaction');
  const response = await readResponse(tx, input.form);
  if (response.state !== tx.requestId) throw new ServiceError('STATE_MISMATCH');
  const settled = await settleResponse(deps, tx, response);
  const body = settled.responseCode !== undefined && tx.redirectUri !== undefined ? { redirect_uri: appendResponseCode(tx.redirectUri, settled.responseCode) } : {};
  return settled.failure === undefined ? { body } : { body, failure: settled.failure };
}

export interface SettledResponse {
  /** The fresh single-use response code of a same-device or Digital Credentials API flow (§13.3). */
  readonly responseCode?: string;
  /** Set when the response was attributed to the transaction but failed verification. */
  readonly failure?: ServiceError;
}

/**
 * Verifies an attributed response and makes the one atomic transition to verified or failed, with
 * its audit event. Shared by the redirect response URI and the Digital Credentials API endpoint.
 * @throws ServiceError `RESPONSE_REPLAYED` when the transaction completed concurrently or expired
 */
export async function settleResponse(deps: VerifierDeps, tx: Transaction, response: AuthorizationResponse): Promise<SettledResponse> {
  const useCase = deps.useCases.get(tx.useCaseId);
  let outcome: { readonly result: StoredCredentialResult[]; readonly discarded: DiscardedPresentation[] } | { readonly error: TransactionError };
  let failure: ServiceError | undefined;
  if (response.kind === 'error') {
    outcome = { error: { code: 'WALLET_ERROR', wallet_error: response.error } };
  } else {
    try {
      if (useCase === undefined) throw new ServiceError('INTERNAL_ERROR', `use case ${tx.useCaseId} is no longer loaded`);
      const verified = await verifyVpToken(deps, tx, useCase, response.vpToken);
      outcome = { result: verified.results, discarded: verified.discarded };
    } catch (err) {
      if (!isServiceError(err)) throw err;
      failure = err;
      outcome = { error: { code: err.code } };
    }
  }

  const code = tx.flow === 'cross_device' ? undefined : newResponseCode();
  const now = deps.now();
  const final = { ...(code !== undefined && { responseCodeHash: hashResponseCode(code) }), resultExpiresAt: now + resultTtlMs(deps, useCase) };
  const completion: CompleteTransaction =
    'error' in outcome
      ? { status: 'failed', error: outcome.error, ...final }
      : { status: 'verified', result: outcome.result, ...(outcome.discarded.length > 0 && { discarded: outcome.discarded }), ...final };
  // The webhook event is written with the final status, in one step: no crash can separate them.
  const event: WebhookEvent | undefined = deps.webhookClients?.has(tx.rpClientId) === true ? { id: randomUUID(), rpClientId: tx.rpClientId, transactionId: tx.id, status: completion.status, at: now } : undefined;
  const accepted = await deps.store.complete(tx.id, completion, now, event);
  if (!accepted) {
    // Completed by another response, or expired meanwhile — by the clock, or by the expiry sweep (expire-transactions.ts), whose stored state decides.
    const after = await deps.store.get(tx.id);
    const code = after !== undefined && publicStatus(after, now) === 'expired' ? 'TRANSACTION_EXPIRED' : 'RESPONSE_REPLAYED';
    deps.audit({ event: 'response_rejected', transaction_id: tx.id, code });
    throw new ServiceError(code, `transaction ${tx.id} completed concurrently or expired`);
  }
  if (completion.status === 'verified') {
    deps.onVerified?.({ ...tx, ...completion });
    deps.audit({
      event: 'response_verified',
      transaction_id: tx.id,
      use_case: tx.useCaseId,
      credential_types: completion.result.map((r) => r.type),
      trust_anchors: completion.result.map((r) => r.trust.anchorId),
      ...(completion.discarded !== undefined && { code: `DISCARDED:${completion.discarded.map((d) => d.code).join(',')}` }),
    });
  } else {
    const { error } = completion;
    deps.audit({ event: 'response_failed', transaction_id: tx.id, use_case: tx.useCaseId, code: error.wallet_error === undefined ? error.code : `WALLET_ERROR:${error.wallet_error}` });
  }
  return { ...(code !== undefined && { responseCode: code }), ...(failure !== undefined && { failure }) };
}

/**
 * The Authorization Response from its parameters: a `response` JWE is decrypted (only when the
 * transaction asked for an encrypted mode), else the plain parameters are read — never a plain
 * `vp_token` for an encrypted mode (§8.3; Appendix A.2 `dc_api.jwt`).
 */
export async function readResponse(tx: Transaction, form: Readonly<Record<string, unknown>>): Promise<AuthorizationResponse> {
  const encrypted = tx.responseMode === 'direct_post.jwt' || tx.responseMode === 'dc_api.jwt';
  const jwe = form['response'];
  if (jwe !== undefined) {
    if (!encrypted) throw new ServiceError('RESPONSE_MODE_MISMATCH', `encrypted response for ${tx.responseMode}`);
    if (typeof jwe !== 'string') throw new ServiceError('RESPONSE_MALFORMED', 'response is not a string');
    const plaintext = await decryptResponse(tx, jwe);
    let payload: unknown;
    try {
      payload = parseStrictJson(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
    } catch {
      throw new ServiceError('RESPONSE_MALFORMED', 'decrypted response is not strict JSON');
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new ServiceError('RESPONSE_MALFORMED', 'decrypted response is not an object');
    return parseAuthorizationResponse(payload as Record<string, unknown>);
  }
  const parsed = parseAuthorizationResponse(form);
  // A wallet that cannot encrypt may still send an unencrypted error (§8.3); never an unencrypted vp_token.
  if (encrypted && parsed.kind === 'vp_token') {
    throw new ServiceError('RESPONSE_MODE_MISMATCH', `unencrypted vp_token for ${tx.responseMode}`);
  }
  return parsed;
}

/** The response code travels in the fragment, so it never reaches a server log by the redirect itself. */
function appendResponseCode(redirectUri: string, code: string): string {
  const u = new URL(redirectUri);
  const fragment = new URLSearchParams(u.hash.replace(/^#/, ''));
  fragment.set('response_code', code);
  u.hash = fragment.toString();
  return u.toString();
}
