/**
 * Sends one webhook event to a relying party (the {@link WebhookSender} adapter).
 *
 * Body: `{"type":"presentation.completed","event_id","transaction_id","status","time"}` — no claim.
 * Signed per client:
 * - `jws`: the body is a compact JWS (RFC 7515 §7.1), ES256 with the service's key, `kid` of the
 *   key in the service's JWKS (`/.well-known/jwks.json`), `typ` `webhook-event+jwt`, with the JWT
 *   claims `iss` (the service), `aud` (the client id), `iat` and `jti` (the event id) beside the
 *   fields above; `Content-Type: application/jwt`.
 * - `hmac`: the body is the JSON; headers `webhook-id`, `webhook-timestamp` and
 *   `webhook-signature: v1,<base64 HMAC-SHA-256(secret, id.timestamp.body)>` (Standard Webhooks
 *   specification, "Signature scheme").
 * Both carry `webhook-id` (the event id, for de-duplication) and `webhook-timestamp`.
 *
 * Server-side request forgery: the host is resolved once, every address checked against the
 * special-purpose ranges (RFC 6890 and the IANA IPv4/IPv6 Special-Purpose Address Registries:
 * loopback, private, link-local, shared, unique-local, multicast, unspecified, documentation,
 * IPv4-mapped) — the one policy the trusted-list and status-list fetches use too
 * (trust/address-policy.ts) — and the connection goes to the checked address (no second lookup, so no DNS
 * rebinding). A private address is refused unless the client allows it. Redirects are not
 * followed; a 2xx answer is success; each attempt has a time limit.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isNonPublicAddress } from '../trust/address-policy.ts';
import { signCompactJws } from '../jose/sign-jws.ts';
import type { VerifierIdentity } from '../oid4vp/verifier-identity.ts';
import type { SendOutcome, WebhookEvent, WebhookSender } from '../oid4vp/webhooks.ts';

export interface WebhookTarget {
  readonly url: string;
  readonly signing: 'jws' | 'hmac';
  /** The HMAC key (with `hmac`). */
  readonly hmacSecret?: Buffer;
  readonly allowPrivateAddresses: boolean;
}

export interface WebhookSenderOptions {
  /** The webhook of a client, if it has one. */
  readonly targetOf: (rpClientId: string) => WebhookTarget | undefined;
  /** Signs `jws` events. */
  readonly identity: VerifierIdentity;
  /** `iss` of `jws` events: the service's public URL. */
  readonly issuer: string;
  readonly timeoutMs: number;
  /** DNS resolution (tests may pin it); default: the system resolver, every address. */
  readonly resolve?: (host: string) => Promise<string[]>;
}

export function createWebhookSender(opts: WebhookSenderOptions): WebhookSender {
  const resolve = opts.resolve ?? (async (host: string) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address));
  return {
    async send(event: WebhookEvent): Promise<SendOutcome> {
      const target = opts.targetOf(event.rpClientId);
      if (target === undefined) return { ok: false, reason: 'the client has no webhook (any more)', permanent: true };
      const url = new URL(target.url);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      let addresses: string[];
      try {
        addresses = isIP(host) !== 0 ? [host] : await resolve(host);
      } catch {
        return { ok: false, reason: 'DNS resolution failed' };
      }
      if (addresses.length === 0) return { ok: false, reason: 'DNS resolution gave no address' };
      // Every address must be allowed: a name with one public and one private address is refused.
      if (!target.allowPrivateAddresses && addresses.some(isNonPublicAddress)) return { ok: false, reason: 'refused: the webhook host resolves to a private, loopback or link-local address', permanent: true };
      const timestamp = Math.floor(Date.now() / 1000);
      const { body, headers } = signedRequest(event, target, opts, timestamp);
      return post(url, addresses[0]!, body, { ...headers, 'webhook-id': event.id, 'webhook-timestamp': String(timestamp) }, opts.timeoutMs);
    },
  };
}

/** The event as the relying party receives it. */
export function eventBody(event: WebhookEvent): Record<string, unknown> {
  return { type: 'presentation.completed', event_id: event.id, transaction_id: event.transactionId, status: event.status, time: new Date(event.at).toISOString() };
}

function signedRequest(event: WebhookEvent, target: WebhookTarget, opts: WebhookSenderOptions, timestamp: number): { body: string; headers: Record<string, string> } {
  if (target.signing === 'hmac') {
    const body = JSON.stringify(eventBody(event));
    const mac = createHmac('sha256', target.hmacSecret ?? Buffer.alloc(0)).update(`${event.id}.${timestamp}.${body}`, 'utf8').digest('base64');
    return { body, headers: { 'content-type': 'application/json', 'webhook-signature': `v1,${mac}` } };
  }
  const claims = { iss: opts.issuer, aud: event.rpClientId, iat: timestamp, jti: event.id, ...eventBody(event) };
  const body = signCompactJws({ typ: 'webhook-event+jwt', kid: opts.identity.kid }, claims, opts.identity.privateKey);
  return { body, headers: { 'content-type': 'application/jwt' } };
}

/** One POST to the checked address (the URL's host stays in Host and TLS SNI); never throws. */
function post(url: URL, address: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendOutcome> {
  return new Promise((resolveOutcome) => {
    let settled = false;
    const done = (outcome: SendOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolveOutcome(outcome);
    };
    const family = isIP(address);
    const options = {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'eudi-verifier-webhook', 'x-request-id': randomUUID() },
      // The connection goes to the address that was checked, whatever DNS says now.
      lookup: (_host: string, o: { all?: boolean }, cb: (err: Error | null, address: string | Array<{ address: string; family: number }>, family?: number) => void) =>
        o.all === true ? cb(null, [{ address, family }]) : cb(null, address, family),
      ...(url.protocol === 'https:' && { servername: url.hostname }),
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res: IncomingMessage) => {
      res.resume();
      const status = res.statusCode ?? 0;
      res.on('end', () => done(status >= 200 && status < 300 ? { ok: true } : { ok: false, reason: `HTTP ${status}` }));
      res.on('error', () => done({ ok: false, reason: `HTTP ${status}, answer cut off` }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, reason: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, reason: `connection failed: ${err.code ?? err.name}` }));
    req.end(body);
  });
}
