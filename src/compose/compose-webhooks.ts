/**
 * Webhooks (oid4vp/webhooks.ts): which RP clients have one, their signing (the service's key, or
 * an HMAC secret read here from its file), and the delivery worker that each instance runs — a
 * loop that, every WEBHOOK_POLL_MS, records the expiry of due unanswered transactions (which writes
 * their `expired` events, oid4vp/expire-transactions.ts) and takes due events from the store's
 * outbox. Nothing runs when no client has a webhook (the purge sweep still records expiries).
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { ConfigError } from '../config/load-config.ts';
import type { RpClientRegistry } from '../config/rp-clients.ts';
import type { Config } from '../config/z-config.ts';
import type { Metrics } from '../http/metrics.ts';
import { createWebhookSender, type WebhookTarget } from '../http/webhook-sender.ts';
import type { VerifierIdentity } from '../oid4vp/verifier-identity.ts';
import { deliverDue, type WebhookOutbox, type WebhookSender } from '../oid4vp/webhooks.ts';

export interface ComposedWebhooks {
  /** Clients with a webhook (their completions write an event). */
  readonly clients: ReadonlySet<string>;
  /** Starts the delivery loop (no-op without webhooks). */
  start(): void;
  /** Stops it; resolves when the pass under way has finished. */
  stop(): Promise<void>;
}

export function composeWebhooks(
  config: Config,
  deps: {
    clients: RpClientRegistry;
    identity: VerifierIdentity;
    outbox: WebhookOutbox;
    metrics: Metrics;
    logger: Logger;
    now: () => number;
    sender?: WebhookSender;
    /** The expiry sweep, run at the start of each pass so that `expired` events leave within a poll interval. */
    expire?: (now: number) => Promise<unknown>;
  },
): ComposedWebhooks {
  const targets = new Map<string, WebhookTarget>();
  for (const client of deps.clients.clients) {
    const w = client.webhook;
    if (w === undefined) continue;
    let hmacSecret: Buffer | undefined;
    if (w.hmac_secret_file !== undefined) {
      try {
        hmacSecret = Buffer.from(readFileSync(w.hmac_secret_file, 'utf8').trim(), 'utf8');
      } catch {
        throw new ConfigError(`RP_CLIENTS_FILE: client "${client.id}": cannot read webhook.hmac_secret_file ${w.hmac_secret_file}`);
      }
      if (hmacSecret.length < 32) throw new ConfigError(`RP_CLIENTS_FILE: client "${client.id}": webhook.hmac_secret_file must hold at least 32 bytes`);
    }
    targets.set(client.id, { url: w.url, signing: w.signing, allowPrivateAddresses: w.allow_private_addresses, ...(hmacSecret !== undefined && { hmacSecret }) });
  }
  const sender = deps.sender ?? createWebhookSender({ targetOf: (id) => targets.get(id), identity: deps.identity, issuer: config.publicBaseUrl, timeoutMs: config.WEBHOOK_TIMEOUT_MS });
  const settings = {
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    backoffBaseMs: config.WEBHOOK_BACKOFF_BASE_MS,
    backoffMaxMs: config.WEBHOOK_BACKOFF_MAX_MS,
    leaseMs: config.WEBHOOK_LEASE_MS,
    batch: 50,
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let passes = 0;
  const pass = async (): Promise<void> => {
    try {
      await deps.expire?.(deps.now());
    } catch (err) {
      deps.logger.error({ err: err instanceof Error ? err.message : 'unknown' }, 'transaction expiry sweep failed');
    }
    try {
      await deliverDue(deps.outbox, sender, settings, deps.now, (outcome, event, reason) => {
        deps.metrics.recordWebhook(outcome === 'retry' ? 'failed' : outcome);
        // Identifiers and the reason only: an event holds no claim.
        const line = { event_id: event.id, transaction_id: event.transactionId, rp_client_id: event.rpClientId, ...(reason !== undefined && { reason }) };
        if (outcome === 'delivered') deps.logger.info(line, 'webhook delivered');
        else if (outcome === 'retry') deps.logger.warn(line, 'webhook delivery failed, will retry');
        else deps.logger.error(line, 'webhook event set aside (dead letter)');
      });
      if (passes++ % 10 === 0) deps.metrics.setWebhookOutbox(await deps.outbox.outboxCounts());
    } catch (err) {
      deps.logger.error({ err: err instanceof Error ? err.message : 'unknown' }, 'webhook delivery pass failed');
    }
  };
  const loop = (): void => {
    if (stopped) return;
    running = pass().finally(() => {
      running = undefined;
      if (!stopped) timer = setTimeout(loop, config.WEBHOOK_POLL_MS).unref();
    });
  };
  return {
    clients: new Set(targets.keys()),
    start() {
      if (targets.size === 0 || timer !== undefined || running !== undefined) return;
      stopped = false;
      timer = setTimeout(loop, 0).unref();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
