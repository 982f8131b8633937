/**
 * The presentation transaction: value types and its state machine.
 *
 * pending ──wallet fetches request──▶ request_retrieved ──one response──▶ verified | failed
 * An open state (pending, request_retrieved) is `expired` once `expiresAt` has passed: at once by
 * the clock ({@link publicStatus}), and in the store when the expiry sweep records it (stored
 * status `expired`, expire-transactions.ts). A response is accepted from an open state only, once,
 * by one atomic compare-and-set in the store, which the sweep's compare-and-set excludes (OpenID4VP
 * 1.0 §13.3; the EU reference verifier's Requested → RequestObjectRetrieved → Submitted).
 */
import type { ErrorCode } from '../errors.ts';
import { randomToken } from '../util/random.ts';
import type { VerifiedCredential } from '../formats/types.ts';
import type { CredentialStatusResult } from '../status/types.ts';

export type TransactionStatus = 'pending' | 'request_retrieved' | 'expired' | 'verified' | 'failed';
export type PublicStatus = TransactionStatus;
/** `dc_api`: the browser hands the request to the wallet (W3C Digital Credentials API; OpenID4VP 1.0 Appendix A). */
export type Flow = 'same_device' | 'cross_device' | 'dc_api';
/** `dc_api` and `dc_api.jwt` only with the `dc_api` flow (OpenID4VP 1.0 Appendix A.2), the others only without it. */
export type ResponseMode = 'direct_post' | 'direct_post.jwt' | 'dc_api' | 'dc_api.jwt';
/**
 * The Digital Credentials API protocol identifiers this service speaks: OpenID4VP 1.0 Appendix A.1
 * (unsigned and signed requests) and ISO/IEC 18013-7 Annex C (`org-iso-mdoc`).
 */
export const DC_API_PROTOCOLS = ['openid4vp-v1-unsigned', 'openid4vp-v1-signed', 'org-iso-mdoc'] as const;
export type DcApiProtocol = (typeof DC_API_PROTOCOLS)[number];

/** What a `dc_api` transaction holds besides the common fields; fixed at creation. */
export interface DcApiBinding {
  readonly protocol: DcApiProtocol;
  /** The web origin the request is bound to: one of the RP client's registered origins (OpenID4VP 1.0 Appendix A.2). */
  readonly origin: string;
  /** ISO/IEC 18013-7 Annex C: the base64url EncryptionInfo exactly as sent (the SessionTranscript hashes it). */
  readonly encryptionInfo?: string;
}
export type RequestUriMethod = 'get' | 'post';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };
export type TransactionId = Brand<string, 'TransactionId'>;
export type RequestId = Brand<string, 'RequestId'>;
export type Nonce = Brand<string, 'Nonce'>;
export type ResponseCode = Brand<string, 'ResponseCode'>;

/** URL-safe random identifier; 32 bytes = 256 bits of entropy (OpenID4VP 1.0 §5.2 asks ≥ 128). */
const random = (bytes = 32): string => randomToken(bytes);
const idPattern = /^[A-Za-z0-9_-]{22,64}$/;

export const newTransactionId = (): TransactionId => random(18) as TransactionId;
export const newRequestId = (): RequestId => random(24) as RequestId;
export const newNonce = (): Nonce => random(32) as Nonce;
export const newResponseCode = (): ResponseCode => random(32) as ResponseCode;

/** Checked constructors for identifiers that arrive from outside. */
export const parseTransactionId = (s: string): TransactionId | undefined => (idPattern.test(s) ? (s as TransactionId) : undefined);
export const parseRequestId = (s: string): RequestId | undefined => (idPattern.test(s) ? (s as RequestId) : undefined);

/** What is kept of a verified presentation: only the requested (and retained) claims, with provenance. */
export interface StoredCredentialResult {
  readonly query_id: string;
  readonly format: VerifiedCredential['format'];
  readonly type: string;
  readonly issuer: string;
  readonly claims: Record<string, unknown>;
  readonly trust: VerifiedCredential['trust'];
  readonly holder_bound: boolean;
  readonly valid_until?: string;
  /**
   * Token Status List outcome: `valid`; `unknown` when the list could not be had and the use case
   * accepts that (`status_policy: accept_unknown`); `not_checked` when the credential has no status reference.
   */
  readonly status?: CredentialStatusResult;
  /** The credential's Token Status List entry, kept so that a portal role can re-check it later (portal/role-status.ts). */
  readonly status_ref?: { readonly idx: number; readonly uri: string };
}

/** An optional presentation that failed verification and was set aside (OpenID4VP 1.0 §8.6). */
export interface DiscardedPresentation {
  readonly query_id: string;
  readonly code: ErrorCode;
}

/** Why a transaction failed. */
export interface TransactionError {
  readonly code: ErrorCode;
  /** For wallet error responses: the OAuth error value the wallet sent. */
  readonly wallet_error?: string;
}

/**
 * A transaction data item as sent in the request object (OpenID4VP 1.0 §5.1): the base64url
 * string exactly as sent (the hashes in the KB-JWT are over it), and what it names.
 */
export interface TransactionDataItem {
  readonly encoded: string;
  readonly type: string;
  readonly credential_ids: readonly string[];
}

/** What a transaction holds from its creation on, whatever its state. */
interface TransactionBase {
  readonly id: TransactionId;
  /** Identifies the request object URI and is the OpenID4VP `state`. */
  readonly requestId: RequestId;
  readonly rpClientId: string;
  readonly useCaseId: string;
  /** RP-supplied purpose text overriding the use case's, if any. */
  readonly purpose?: string;
  readonly flow: Flow;
  readonly responseMode: ResponseMode;
  readonly requestUriMethod: RequestUriMethod;
  readonly redirectUri?: string;
  readonly nonce: Nonce;
  /** The full client_id with its prefix, fixed at creation. */
  readonly clientId: string;
  /** Transaction data the presentation must be bound to (OpenID4VP 1.0 §5.1, §8.4); absent when none. */
  readonly transactionData?: readonly TransactionDataItem[];
  /** The Digital Credentials API binding of a `dc_api` transaction; absent in the redirect flows. */
  readonly dcApi?: DcApiBinding;
  /**
   * Private JWK for `direct_post.jwt` and `dc_api.jwt` (ECDH-ES), or the HPKE recipient key of
   * ISO/IEC 18013-7 Annex C; fresh per transaction (HAIP 1.0 §5.1).
   */
  readonly encryptionKey?: JsonWebKey & { kid: string };
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** Awaiting the wallet: created (`pending`), or its request object fetched (`request_retrieved`). */
export interface OpenTransaction extends TransactionBase {
  readonly status: 'pending' | 'request_retrieved';
}

/** Expired without an answer, as recorded by the expiry sweep: nothing more than the open state held. */
export interface ExpiredTransaction extends TransactionBase {
  readonly status: 'expired';
}

/** What every final state holds: the same-device response code (hashed) and when the result is deleted. */
interface FinalState {
  readonly responseCodeHash?: string;
  /** When the stored result (personal data) is deleted. */
  readonly resultExpiresAt: number;
}

/** Verified: the kept claims, and the optional presentations that were set aside with their codes. */
export interface VerifiedState extends FinalState {
  readonly status: 'verified';
  readonly result: readonly StoredCredentialResult[];
  readonly discarded?: readonly DiscardedPresentation[];
}

/** Failed: an attributed response that did not verify, or the wallet's error. */
export interface FailedState extends FinalState {
  readonly status: 'failed';
  readonly error: TransactionError;
}

/** The one atomic transition out of an open state (the store's `complete`). */
export type Completion = VerifiedState | FailedState;

export type VerifiedTransaction = TransactionBase & VerifiedState;
export type FailedTransaction = TransactionBase & FailedState;
export type FinalTransaction = VerifiedTransaction | FailedTransaction;

/** A transaction in one of its states; `status` tells which members it has. */
export type Transaction = OpenTransaction | ExpiredTransaction | FinalTransaction;

/** The status a reader reports: a stored `expired`, or an open state past `expiresAt` by this clock. */
export const publicStatus = (tx: Transaction, now: number): PublicStatus =>
  (tx.status === 'pending' || tx.status === 'request_retrieved') && now >= tx.expiresAt ? 'expired' : tx.status;

export const isOpen = (tx: Transaction, now: number): boolean =>
  (tx.status === 'pending' || tx.status === 'request_retrieved') && now < tx.expiresAt;
