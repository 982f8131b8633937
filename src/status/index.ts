/**
 * Token Status List (draft-ietf-oauth-status-list): JWT and CWT status list tokens,
 * bounded decoding, and the format-independent status checker with its shared cache.
 */
export type { CredentialStatusResult, StatusBits, StatusChecker, StatusCheckOutcome, StatusList, StatusListReference, StatusListToken, StatusPolicy, StatusSubject } from './types.ts';
export { allowedBits, statusValues } from './types.ts';
export { decodeStatusList, inflateBounded, setStatus, statusAt, type InflateLimits } from './decode-status-list.ts';
export { MAX_STATUS_LIST_JWT_CHARS, STATUS_LIST_JWT_MEDIA_TYPE, STATUS_LIST_JWT_TYP, verifyStatusListJwt, type StatusListKeyInput, type VerifyStatusListOptions } from './verify-status-list-jwt.ts';
export { cwtClaims, MAX_STATUS_LIST_CWT_BYTES, STATUS_LIST_CWT_MEDIA_TYPE, verifyStatusListCwt } from './verify-status-list-cwt.ts';
export { fetchStatusList, keyFromX5c, type FetchStatusListOptions } from './fetch-status-list.ts';
export { createStatusChecker, TokenStatusListChecker, type StatusCheckerOptions, type StatusEvent } from './check-credential-status.ts';
export { applyStatusPolicy } from './apply-status-policy.ts';
export { lookUpStatus, type StatusLookupResult } from './status-lookup.ts';
