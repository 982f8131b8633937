/**
 * VP Token validation (OpenID4VP 1.0 §8.6): every presentation is verified for its format with
 * the transaction's nonce and its audience or SessionTranscript (presentation-binding.ts: the full
 * client_id, or the origin over the Digital Credentials API), against the trust categories the use
 * case names for it, and its status checked; then the whole response must satisfy the DCQL query.
 * A failing presentation fails the response, except one answering a credential query that only
 * optional credential sets name: that one is discarded (§8.6) and reported by its code, and the
 * rest stands. Only the requested, retained claims survive.
 */
import { ServiceError, isServiceError } from '../errors.ts';
import { verifySdJwtVcPresentation } from '../formats/sd-jwt-vc/verify-sd-jwt-vc.ts';
import { verifyMdocPresentation } from '../formats/mdoc/verify-device-response.ts';
import { presentationBinding, type PresentationBinding } from './presentation-binding.ts';
import type { VerifiedCredential } from '../formats/types.ts';
import { applyStatusPolicy } from '../status/apply-status-policy.ts';
import type { CredentialStatusResult } from '../status/types.ts';
import type { TrustStore } from '../trust/types.ts';
import { evaluateResponse } from '../query/evaluate-response.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';
import type { VpToken } from './parse-authorization-response.ts';
import type { DiscardedPresentation, StoredCredentialResult, Transaction } from './transaction.ts';
import type { CredentialQuery, DcqlQuery } from '../query/z-dcql.ts';
import { isPidCredentialQuery } from '../query/pid-query.ts';
import { responseUriFor, type VerifierDeps } from './verifier-deps.ts';
import { checkPresentationForProfile } from './haip-profile.ts';

export interface VerifiedVpToken {
  readonly results: StoredCredentialResult[];
  readonly discarded: DiscardedPresentation[];
}

export async function verifyVpToken(deps: VerifierDeps, tx: Transaction, useCase: UseCase, vpToken: VpToken): Promise<VerifiedVpToken> {
  const ctx: ResponseContext = { now: new Date(deps.now()), trust: deps.trust(), binding: presentationBinding(tx, responseUriFor(deps, tx.requestId)) };
  const presented: Record<string, VerifiedCredential[]> = Object.create(null) as Record<string, VerifiedCredential[]>;
  const statuses = new Map<VerifiedCredential, CredentialStatusResult>();
  const optional = optionalQueryIds(useCase.query);
  const discarded: DiscardedPresentation[] = [];
  for (const [queryId, presentations] of Object.entries(vpToken)) {
    const credentialQuery = useCase.query.credentials.find((c) => c.id === queryId);
    if (credentialQuery === undefined) throw new ServiceError('CREDENTIAL_UNEXPECTED', `vp_token key ${queryId} not in query`);
    if (presentations.length > 1 && credentialQuery.multiple !== true) {
      throw new ServiceError('MULTIPLE_PRESENTATIONS_NOT_ALLOWED', `query ${queryId}`);
    }
    const verified: VerifiedCredential[] = [];
    for (const presentation of presentations) {
      const started = process.hrtime.bigint();
      let outcome: 'ok' | 'error' = 'error';
      try {
        const credentials = await verifyPresentation(deps, tx, useCase, credentialQuery, presentation, ctx);
        for (const credential of credentials) checkPresentationForProfile(deps.settings.profile, presentation, credential);
        // Token Status List: each verified credential, whatever its format; the use case's policy decides when a list cannot be had.
        for (const credential of credentials) statuses.set(credential, await applyStatusPolicy(deps.status, credential, useCase.status_policy ?? 'reject', ctx.now));
        verified.push(...credentials);
        outcome = 'ok';
      } catch (err) {
        if (!isServiceError(err) || err.code === 'INTERNAL_ERROR' || !optional.has(queryId)) throw err;
        discarded.push({ query_id: queryId, code: err.code });
      } finally {
        deps.observeVerification?.(credentialQuery.format, outcome, Number(process.hrtime.bigint() - started) / 1e9);
      }
    }
    if (verified.length > 0) presented[queryId] = verified;
  }
  checkTransactionDataAuthorised(tx, useCase.query, presented);
  const evaluated = evaluateResponse(useCase.query, presented, useCase.retention.keep);
  const results = Object.entries(evaluated).flatMap(([queryId, items]) => items.map(({ credential, claims }) => storedResult(queryId, credential, claims, statuses.get(credential))));
  return { results, discarded };
}

/** What every presentation of one response is verified against. */
interface ResponseContext {
  readonly now: Date;
  readonly trust: TrustStore;
  /** The nonce's audience or SessionTranscript (presentation-binding.ts). */
  readonly binding: PresentationBinding;
}

/**
 * Verifies one presentation in the format of its credential query, against the trust categories
 * the use case names for it: an SD-JWT VC (one credential), or an mdoc DeviceResponse (one per
 * document).
 * @throws ServiceError the format's codes, `FORMAT_UNSUPPORTED`
 */
async function verifyPresentation(deps: VerifierDeps, tx: Transaction, useCase: UseCase, credentialQuery: CredentialQuery, presentation: string, ctx: ResponseContext): Promise<VerifiedCredential[]> {
  const categories = useCase.trust[credentialQuery.id] ?? [];
  switch (credentialQuery.format) {
    case 'dc+sd-jwt': {
      const meta = credentialQuery.meta as { vct_values: string[] };
      const credential = await verifySdJwtVcPresentation(presentation, {
        now: ctx.now,
        nonce: tx.nonce,
        audience: ctx.binding.audience,
        acceptedVcts: meta.vct_values,
        legacyTypVcts: [...deps.settings.legacyTypVcts, ...(useCase.legacy_typ_vcts ?? [])],
        categories,
        trust: ctx.trust,
        requireKeyBinding: credentialQuery.require_cryptographic_holder_binding !== false,
        clockSkewSeconds: deps.settings.clockSkewSeconds,
        kbMaxAgeSeconds: deps.settings.kbMaxAgeSeconds,
        typeRules: deps.credentialTypeRules,
        ...(deps.formatCaches !== undefined && { caches: deps.formatCaches }),
        transactionData: transactionDataFor(tx, credentialQuery),
      });
      return [credential];
    }
    case 'mso_mdoc': {
      const meta = credentialQuery.meta as { doctype_value: string };
      return verifyMdocPresentation(presentation, {
        now: ctx.now,
        docType: meta.doctype_value,
        categories,
        trust: ctx.trust,
        // OpenID4VP 1.0 B.2.6: the SessionTranscript from OUR stored request values, never the wallet's.
        sessionTranscript: ctx.binding.sessionTranscript(),
        multiple: credentialQuery.multiple,
        clockSkewSeconds: deps.settings.clockSkewSeconds,
        ...(deps.formatCaches !== undefined && { caches: deps.formatCaches }),
      });
    }
    default:
      throw new ServiceError('FORMAT_UNSUPPORTED', `format ${credentialQuery.format}`);
  }
}

/** A verified credential as the transaction stores it: the retained claims, with provenance. */
function storedResult(queryId: string, credential: VerifiedCredential, claims: StoredCredentialResult['claims'], status: CredentialStatusResult | undefined): StoredCredentialResult {
  return {
    query_id: queryId,
    format: credential.format,
    type: credential.type,
    issuer: credential.issuer,
    claims,
    trust: credential.trust,
    holder_bound: credential.holderBound,
    ...(credential.validity.validUntil !== undefined && { valid_until: credential.validity.validUntil }),
    status: status ?? 'not_checked',
    ...(credential.status !== undefined && { status_ref: { idx: credential.status.idx, uri: credential.status.uri } }),
  };
}

/**
 * The encoded transaction data items that name this credential query (OpenID4VP 1.0 §5.1
 * `credential_ids`), in request order — none for a PID query: the PID key shall not sign
 * transaction data (PID Rulebook §5), so a PID presentation is never asked for the hashes and
 * never counts as authorising an item.
 */
function transactionDataFor(tx: Transaction, credentialQuery: CredentialQuery): string[] {
  if (isPidCredentialQuery(credentialQuery)) return [];
  return (tx.transactionData ?? []).filter((item) => item.credential_ids.includes(credentialQuery.id)).map((item) => item.encoded);
}

/**
 * Every transaction data item must be authorised by at least one verified presentation of a
 * credential it names (OpenID4VP 1.0 §8.4): a response that answers a credential set option
 * without any of them, or whose only authorising presentation was discarded, binds nothing.
 */
function checkTransactionDataAuthorised(tx: Transaction, query: DcqlQuery, presented: Readonly<Record<string, readonly VerifiedCredential[]>>): void {
  const authorising = (id: string): boolean => {
    const cq = query.credentials.find((c) => c.id === id);
    return cq !== undefined && !isPidCredentialQuery(cq) && (presented[id]?.length ?? 0) > 0;
  };
  (tx.transactionData ?? []).forEach((item, k) => {
    if (!item.credential_ids.some(authorising)) {
      throw new ServiceError('TRANSACTION_DATA_HASHES_MISSING', `transaction data item ${k} is authorised by no verified presentation`);
    }
  });
}

/** Credential queries that no required credential set names: their presentations may be discarded. */
function optionalQueryIds(query: DcqlQuery): ReadonlySet<string> {
  if (query.credential_sets === undefined) return new Set();
  const required = new Set(query.credential_sets.filter((set) => set.required !== false).flatMap((set) => set.options.flat()));
  return new Set(query.credentials.map((c) => c.id).filter((id) => !required.has(id)));
}
