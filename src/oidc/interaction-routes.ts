/**
 * The interaction step of the bridge (oidc-provider hands the browser to
 * `/oidc/interaction/{uid}`): a wallet presentation of the use case the scopes name, the
 * confirmation with the role, then back to oidc-provider with the login and the grant.
 *
 *   GET  {uid}              the wallet request (cross-device QR; starts it on first view) or, once
 *                           verified, the confirmation
 *   POST {uid}/same-device  a same-device request returning to {uid}/callback; redirects to the wallet
 *   GET  {uid}/callback     the same-device return page (the response_code is in the fragment)
 *   POST {uid}/complete     redeems the same-device result with its response_code
 *   POST {uid}/retry        a new request after a failed or expired one
 *   POST {uid}/confirm      issues: the account record, the grant, the sharing-log entries
 *   POST {uid}/cancel       `access_denied` to the e-service
 *
 * Every step first asks oidc-provider for the interaction, which reads its cookie: a step from
 * another browser, or after the interaction's end, is `OIDC_INTERACTION_NOT_FOUND`. The cookie is
 * SameSite=Lax, so a cross-site form cannot post a step (the CSRF defence of these forms).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionDetails } from 'oidc-provider';
import { ServiceError } from '../errors.ts';
import { initTransaction } from '../oid4vp/init-transaction.ts';
import { readPresentationStatus } from '../oid4vp/watch-presentation-status.ts';
import type { PortalDeps } from '../portal/portal-deps.ts';
import type { RepresentationRole } from '../portal/session.ts';
import { partyName } from '../portal/sharing-log.ts';
import type { ActedOnBehalfEntry, DisclosureEntry } from '../portal/sharing-log-entry.ts';
import { qrCodeSvg } from '../web/qr-code.ts';
import { ACR_EIDAS_HIGH, amrOf, pairwiseSubject, releasableClaims, releasedClaims } from './oidc-claims.ts';
import { callbackPage, confirmPage, walletRequestPage, type Lang } from './interaction-pages.ts';
import type { OidcArtifactStore } from './ports.ts';
import { redeemWalletLogin, useCaseForScope, type BridgeClient, type VerifiedLogin } from './wallet-login.ts';

/** The interaction's own record (model `WalletInteraction`, id = the interaction uid). */
interface InteractionRecord {
  readonly tx: string;
  readonly flow: 'cross_device' | 'same_device';
  readonly uri: string;
  readonly login?: VerifiedLogin;
}

/**
 * What findAccount reads (model `WalletAccount`, id = the grant id): the claims released at this
 * confirmation. Keyed by grant, not by account: one person's logins differ (another role, another
 * e-service), while oidc-provider's session keeps one account id per person.
 */
export interface AccountRecord {
  readonly accountId: string;
  readonly sub: string;
  readonly clientId: string;
  readonly claims: Record<string, unknown>;
  [key: string]: unknown;
}

export const INTERACTION_MODEL = 'WalletInteraction';
export const ACCOUNT_MODEL = 'WalletAccount';

export interface InteractionDeps {
  readonly prefix: string;
  readonly publicBaseUrl: string;
  readonly portal: PortalDeps;
  readonly clients: ReadonlyMap<string, BridgeClient>;
  readonly store: OidcArtifactStore;
  /** Seconds a record of a login lives (the interaction's and the session's life). */
  readonly interactionTtlSeconds: number;
  readonly accountTtlSeconds: number;
  details(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
  finish(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>): Promise<void>;
  newGrant(accountId: string, clientId: string, scope: string): Promise<string>;
  send(res: ServerResponse, status: number, body: string, client?: BridgeClient): void;
  /** The audit line of an issued login: identifiers and kinds only, never a claim value. */
  audit(event: { readonly event: 'oidc_login_issued'; readonly rp_client_id: string; readonly use_case: string; readonly transaction_id: string; readonly role_kind: string; readonly claims: readonly string[] }): void;
}

/** Handles `{prefix}/interaction/{uid}[/{step}]`; false when the path is not one of them. */
export async function handleInteraction(deps: InteractionDeps, req: IncomingMessage, res: ServerResponse, path: string, asked: Lang | undefined): Promise<boolean> {
  const m = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(same-device|callback|status|complete|retry|confirm|cancel))?$/.exec(path);
  if (m === null) return false;
  const uid = m[1] ?? '';
  const step = m[2];
  const method = req.method ?? 'GET';
  const wantsGet = step === undefined || step === 'callback' || step === 'status';
  if ((wantsGet && method !== 'GET') || (!wantsGet && method !== 'POST')) throw new ServiceError('METHOD_NOT_ALLOWED');
  const action = `${deps.prefix}/interaction/${uid}`;

  if (step === 'callback') {
    deps.send(res, 200, callbackPage(asked ?? 'sv', action));
    return true;
  }
  const details = await interactionOf(deps, req, res, uid);
  // The language asked for on the page (`?lang=`), else the e-service's ui_locales (OpenID Connect Core 1.0 §3.1.2.1), else Swedish.
  const lang: Lang = asked ?? (String(details.params['ui_locales'] ?? '').split(' ')[0]?.startsWith('en') === true ? 'en' : 'sv');
  const here = `${action}?lang=${lang}`;
  const client = deps.clients.get(String(details.params['client_id']));
  if (client === undefined) throw new ServiceError('OIDC_INTERACTION_NOT_FOUND', 'client no longer registered');
  const form = method === 'POST' ? await readForm(req) : new URLSearchParams();
  if (step === 'cancel') {
    await deps.store.destroy(INTERACTION_MODEL, uid);
    await deps.finish(req, res, { error: 'access_denied', error_description: 'The citizen cancelled the login.' });
    return true;
  }
  let useCase: { useCaseId: string; scopes: string[] };
  try {
    useCase = useCaseForScope(client, String(details.params['scope'] ?? ''));
  } catch (err) {
    // The e-service asked for a combination it may not: told through the redirect, not to the citizen.
    await deps.finish(req, res, { error: 'invalid_scope', error_description: err instanceof ServiceError ? err.publicMessage : 'invalid scope' });
    return true;
  }
  let record = (await deps.store.find(INTERACTION_MODEL, uid)) as InteractionRecord | undefined;
  if (step === 'status') {
    // For wait.js: whether the page should be shown again (no result, no claim in it).
    // A same-device answer is completed by the return page (it holds the response_code): until then this page waits.
    const status = record === undefined ? 'expired' : record.login !== undefined ? 'verified' : record.flow === 'same_device' ? 'pending' : await statusOf(deps, client, record.tx);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ status }));
    return true;
  }

  switch (step) {
    case 'same-device': {
      record = await start(deps, uid, client, useCase.useCaseId, 'same_device', `${deps.publicBaseUrl}${action}/callback`);
      redirect(res, record.uri);
      return true;
    }
    case 'retry': {
      await start(deps, uid, client, useCase.useCaseId, 'cross_device');
      redirect(res, here);
      return true;
    }
    case 'complete': {
      if (record === undefined) throw new ServiceError('WEB_NO_PENDING_REQUEST');
      const code = form.get('response_code') ?? '';
      if (!/^[A-Za-z0-9_-]{1,200}$/.test(code)) throw new ServiceError('RESPONSE_CODE_INVALID', 'malformed response_code');
      const login = await redeemWalletLogin(deps.portal, { rpClientId: client.id, transactionId: record.tx, responseCode: code });
      await save(deps, uid, { ...record, login });
      redirect(res, here);
      return true;
    }
    case 'confirm': {
      if (record?.login === undefined) throw new ServiceError('WEB_NO_PENDING_REQUEST');
      await confirm(deps, req, res, client, useCase, record.login, form.get('role') ?? 'self', uid);
      return true;
    }
    default:
      break;
  }

  // GET: the request page, or the confirmation once verified.
  record ??= await start(deps, uid, client, useCase.useCaseId, 'cross_device');
  const purpose = deps.portal.verifier.useCases.get(useCase.useCaseId)?.purpose[lang] ?? '';
  // The citizen reads the e-service's display name, or its operator's name; never its client id.
  const clientName = client.display_name?.[lang] ?? client.name ?? (lang === 'sv' ? 'E-tjänsten' : 'The e-service');
  if (record.login === undefined && record.flow === 'cross_device') {
    const status = { status: await statusOf(deps, client, record.tx) };
    if (status.status === 'verified') {
      const login = await redeemWalletLogin(deps.portal, { rpClientId: client.id, transactionId: record.tx });
      record = { ...record, login };
      await save(deps, uid, record);
    } else {
      const shown = status.status === 'failed' || status.status === 'expired' ? status.status : 'pending';
      deps.send(res, 200, walletRequestPage({ lang, action, clientName, purpose, status: shown, authorizationRequestUri: record.uri, ...(shown === 'pending' && { qr: await qrCodeSvg(record.uri, 'qr-label') }) }), client);
      return true;
    }
  }
  if (record.login === undefined) {
    // Same-device, not yet back from the wallet: the request page lets the citizen start again.
    deps.send(res, 200, walletRequestPage({ lang, action, clientName, purpose, status: 'pending', authorizationRequestUri: record.uri, qr: await qrCodeSvg(record.uri, 'qr-label') }), client);
    return true;
  }
  // What will be released: the verified claims the client may have, and the role when there is one to choose.
  const releasable = releasableClaims(client.oidc, useCase.scopes);
  const roles = releasable.includes('represents') ? record.login.roles : [];
  const claims = [...Object.keys(releasedClaims(record.login.pidClaims, releasable, undefined)), ...(roles.length > 0 ? ['represents'] : [])];
  const country = record.login.pidClaims['issuing_country'];
  deps.send(res, 200, confirmPage({ lang, action, clientName, purpose, claims, roles, selfName: partyName(record.login.pidClaims) ?? null, ...(typeof country === 'string' && { issuingCountry: country }) }), client);
  return true;
}

/** The transaction's public status; one already purged counts as expired. */
async function statusOf(deps: InteractionDeps, client: BridgeClient, tx: string): Promise<string> {
  try {
    return (await readPresentationStatus(deps.portal.verifier, { rpClientId: client.id, transactionId: tx })).status;
  } catch (err) {
    if (err instanceof ServiceError && err.code === 'TRANSACTION_NOT_FOUND') return 'expired';
    throw err;
  }
}

async function interactionOf(deps: InteractionDeps, req: IncomingMessage, res: ServerResponse, uid: string): Promise<InteractionDetails> {
  let details: InteractionDetails;
  try {
    details = await deps.details(req, res);
  } catch {
    throw new ServiceError('OIDC_INTERACTION_NOT_FOUND', 'no interaction for this browser');
  }
  if (details.uid !== uid) throw new ServiceError('OIDC_INTERACTION_NOT_FOUND', 'interaction uid mismatch');
  return details;
}

async function start(deps: InteractionDeps, uid: string, client: BridgeClient, useCaseId: string, flow: InteractionRecord['flow'], redirectUri?: string): Promise<InteractionRecord> {
  // The bridge's own return page is the same-device redirect: the service's address, not the e-service's.
  const asClient = redirectUri === undefined ? client : { ...client, redirect_uris: [redirectUri] };
  const out = await initTransaction(deps.portal.verifier, { client: asClient, useCase: useCaseId, flow, ...(redirectUri !== undefined && { redirectUri }) });
  const record: InteractionRecord = { tx: out.transaction_id, flow, uri: out.authorization_request_uri };
  await save(deps, uid, record);
  return record;
}

const save = (deps: InteractionDeps, uid: string, record: InteractionRecord): Promise<void> => deps.store.upsert(INTERACTION_MODEL, uid, { ...record }, deps.interactionTtlSeconds);

async function confirm(
  deps: InteractionDeps,
  req: IncomingMessage,
  res: ServerResponse,
  client: BridgeClient,
  useCase: { useCaseId: string; scopes: string[] },
  login: VerifiedLogin,
  roleId: string,
  uid: string,
): Promise<void> {
  let role: RepresentationRole | undefined;
  if (roleId !== 'self') {
    role = releasableClaims(client.oidc, useCase.scopes).includes('represents') ? login.roles.find((r) => r.id === roleId) : undefined;
    if (role === undefined) throw new ServiceError('OIDC_ROLE_NOT_FOUND', 'role not among the verified roles');
  }
  const claims = releasedClaims(login.pidClaims, releasableClaims(client.oidc, useCase.scopes), role);
  // One account id per person (a second person in the same browser is a new session).
  const accountId = `acct_${createHash('sha256').update('eudi-verifier-oidc-account\u0000').update(login.accountKey).digest('base64url')}`;
  const grantId = await deps.newGrant(accountId, client.id, useCase.scopes.join(' '));
  const account: AccountRecord = { accountId, sub: pairwiseSubject(client.id, login.accountKey), clientId: client.id, claims };
  await deps.store.upsert(ACCOUNT_MODEL, grantId, account, deps.accountTtlSeconds);
  await recordIssuance(deps.portal, { client, useCaseId: useCase.useCaseId, login, claims, role, eventId: `oidc:${grantId}` });
  deps.audit({ event: 'oidc_login_issued', rp_client_id: client.id, use_case: useCase.useCaseId, transaction_id: login.transactionId, role_kind: role?.kind ?? 'self', claims: Object.keys(claims).sort() });
  await deps.store.destroy(INTERACTION_MODEL, uid);
  await deps.finish(req, res, { login: { accountId, acr: ACR_EIDAS_HIGH, amr: amrOf(login.format), remember: false }, consent: { grantId } });
}

/**
 * The citizen's sharing log gets what the e-service received (names of claims, never values);
 * under a role, the represented party's acted-on-my-behalf log gets who logged in for them.
 */
async function recordIssuance(
  portal: PortalDeps,
  input: { client: BridgeClient; useCaseId: string; login: VerifiedLogin; claims: Record<string, unknown>; role: RepresentationRole | undefined; eventId: string },
): Promise<void> {
  const now = portal.verifier.now();
  const useCase = portal.verifier.useCases.get(input.useCaseId);
  const purpose = { sv: useCase?.purpose.sv ?? '', en: useCase?.purpose.en ?? '' };
  const rpName = portal.rpName(input.client.id);
  const display = portal.rpDisplayName?.(input.client.id);
  const common = {
    at: now,
    expiresAt: now + portal.settings.sharingLogRetentionMs,
    rpClientId: input.client.id,
    ...(rpName !== undefined && { rpName }),
    ...(display !== undefined && { rpDisplayName: { sv: display.sv, en: display.en } }),
    useCaseId: input.useCaseId,
    purpose,
  };
  const disclosure: DisclosureEntry = {
    kind: 'disclosure',
    id: `disclosure:${input.eventId}`,
    accountKey: input.login.accountKey,
    ...common,
    credentials: [{ type: input.login.pidType, claimNames: Object.keys(input.claims).sort() }],
    role: input.role?.kind ?? 'self',
  };
  await portal.sharingLog.append(disclosure);
  const role = input.role;
  if (role === undefined) return;
  const acted: ActedOnBehalfEntry = {
    kind: 'acted_on_behalf',
    id: `acted:${input.eventId}`,
    accountKey: role.representedAccountKey,
    ...common,
    action: 'role_activated',
    actor: { name: partyName(input.login.pidClaims) ?? null, accountKey: input.login.accountKey },
    representation: { type: role.credential.type, kind: role.kind, authorityKind: role.authority.kind, issuer: role.credential.issuer },
  };
  await portal.sharingLog.append(acted);
}

function redirect(res: ServerResponse, location: string): void {
  res.statusCode = 303;
  res.setHeader('Location', location);
  res.setHeader('Content-Length', '0');
  res.end();
}

/** A small urlencoded form (at most 4 KiB). */
async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 4096) throw new ServiceError('BODY_TOO_LARGE');
    chunks.push(chunk as Buffer);
  }
  if (size > 0 && !type.startsWith('application/x-www-form-urlencoded')) throw new ServiceError('UNSUPPORTED_MEDIA_TYPE');
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
