/** Prometheus metrics. Labels are codes, routes, use case ids and trusted-list names only — never personal data. */
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AuditEvent } from '../oid4vp/verifier-deps.ts';
import type { StatusEvent } from '../status/check-credential-status.ts';
import type { TrustListsReport } from '../trust/trust-list-manager.ts';

const TRUST_LIST_STATES = ['current', 'stale', 'expired', 'failed'] as const;

/**
 * Prometheus metrics of one process. With WORKERS > 1 a scrape is answered for every worker at
 * once: the primary combines the workers' registries (prom-client `AggregatorRegistry`), counters
 * and histograms summed, each gauge by its `aggregator` (the default process metrics carry theirs).
 */
/** A certificate the service sends to wallets, and when it stops being valid. */
export interface CertificateExpiry {
  readonly kind: 'access' | 'registration';
  /** The RP client it belongs to, or "service" for the service's own access certificate. */
  readonly client: string;
  /** The use case a registration certificate is for; empty for an access certificate. */
  readonly useCase: string;
  readonly notAfterMs: number;
}

export class Metrics {
  readonly registry = new Registry();
  /** With WORKERS > 1: a scrape answered for every worker at once (src/cli/cluster-messages.ts); unset, this process's own. */
  clusterScrape?: () => Promise<string>;
  private readonly events = new Counter({ name: 'verifier_events_total', help: 'Transaction events by kind and code', labelNames: ['event', 'use_case', 'code'], registers: [this.registry] });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  private readonly statusEvents = new Counter({
    name: 'verifier_status_list_events_total',
    help: 'Token Status List fetches and credential status checks by outcome and code',
    labelNames: ['kind', 'outcome', 'code'],
    registers: [this.registry],
  });

  // --- presentations and store (oid4vp/, store/) ---
  private readonly presentations = new Counter({
    name: 'verifier_presentations_total',
    help: 'Wallet responses by outcome (verified, failed: attributed but not verified, rejected: not accepted) and error code',
    labelNames: ['outcome', 'code'],
    registers: [this.registry],
  });
  private readonly verificationDuration = new Histogram({
    name: 'verifier_verification_duration_seconds',
    help: 'Time to verify one presentation, by credential format and outcome (ok, error)',
    labelNames: ['format', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly storeErrors = new Counter({
    name: 'verifier_store_errors_total',
    help: 'Failed store operations (backend unreachable, timeout, disk error) by store and operation',
    labelNames: ['store', 'operation'],
    registers: [this.registry],
  });
  // Every worker reads the one store: up only when every worker found it up.
  private readonly storeUp = new Gauge({ name: 'verifier_store_up', help: '1 when the store answered the last readiness check', aggregator: 'min', registers: [this.registry] });
  private readonly webhookAttempts = new Counter({
    name: 'verifier_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome: delivered, failed (to be retried), dead (set aside after the last attempt or refused)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  // Every worker counts the same outbox: the latest count, not a sum.
  private readonly webhookOutbox = new Gauge({
    name: 'verifier_webhook_outbox',
    help: 'Webhook events in the outbox: pending (waiting for delivery) and dead (set aside)',
    labelNames: ['state'],
    aggregator: 'max',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // A worker answers the primary's requests for this registry (prom-client's cluster messages).
    AggregatorRegistry.setRegistries([this.registry]);
    this.storeUp.set(1);
    for (const outcome of ['delivered', 'failed', 'dead']) this.webhookAttempts.inc({ outcome }, 0);
  }

  /** A wallet response that was not accepted (replay, expired, undecryptable, store down…). */
  recordPresentationRejected(code: string): void {
    this.presentations.inc({ outcome: 'rejected', code });
  }

  /** The verification of one presentation of `format` took `seconds`. */
  observeVerification(format: string, outcome: 'ok' | 'error', seconds: number): void {
    this.verificationDuration.observe({ format, outcome }, seconds);
  }

  recordStoreError(store: string, operation: string): void {
    this.storeErrors.inc({ store, operation });
  }

  /** One webhook delivery attempt. */
  recordWebhook(outcome: 'delivered' | 'failed' | 'dead'): void {
    this.webhookAttempts.inc({ outcome });
  }

  /** The outbox as last counted. */
  setWebhookOutbox(counts: { readonly pending: number; readonly dead: number }): void {
    this.webhookOutbox.set({ state: 'pending' }, counts.pending);
    this.webhookOutbox.set({ state: 'dead' }, counts.dead);
  }

  setStoreUp(up: boolean): void {
    this.storeUp.set(up ? 1 : 0);
  }

  /** Records a status list fetch or a credential status check. */
  recordStatus(e: StatusEvent): void {
    this.statusEvents.inc({ kind: e.kind, outcome: e.outcome, code: e.kind === 'check' ? (e.code ?? '') : '' });
  }

  /** Exposes each trusted list's state, age, anchors and time to NextUpdate, read from `report` at every scrape. */
  observeTrustLists(report: () => TrustListsReport): void {
    const registers = [this.registry];
    new Gauge({
      name: 'verifier_trust_list_state',
      aggregator: 'max',
      help: 'State of each trusted list (1 for its current state: current, stale, expired, failed)',
      labelNames: ['list', 'state'],
      registers,
      collect() {
        this.reset();
        for (const list of report().lists) for (const state of TRUST_LIST_STATES) this.set({ list: list.name, state }, list.state === state ? 1 : 0);
      },
    });
    new Gauge({
      name: 'verifier_trust_list_age_seconds',
      aggregator: 'max',
      help: 'Seconds since the ListIssueDateTime of the loaded copy of each trusted list',
      labelNames: ['list'],
      registers,
      collect() {
        this.reset();
        for (const list of report().lists) if (list.age_seconds !== undefined) this.set({ list: list.name }, list.age_seconds);
      },
    });
    new Gauge({
      name: 'verifier_trust_list_next_update_seconds',
      aggregator: 'min',
      help: 'Seconds until the NextUpdate of each trusted list (negative when past)',
      labelNames: ['list'],
      registers,
      collect() {
        this.reset();
        for (const list of report().lists) if (list.next_update_in_seconds !== undefined) this.set({ list: list.name }, list.next_update_in_seconds);
      },
    });
    new Gauge({
      name: 'verifier_trust_list_anchors',
      aggregator: 'min',
      help: 'Anchors in force from each trusted list',
      labelNames: ['list'],
      registers,
      collect() {
        this.reset();
        for (const list of report().lists) this.set({ list: list.name }, list.anchors);
      },
    });
    new Gauge({
      name: 'verifier_trust_ready',
      aggregator: 'min',
      help: '1 when every configured trusted list is usable and every use case has anchors in force',
      registers,
      collect() {
        this.set(report().ready ? 1 : 0);
      },
    });
  }

  /** Seconds until each certificate the service sends to wallets expires, computed at every scrape (negative once past). */
  observeCertificates(certificates: readonly CertificateExpiry[], now: () => number): void {
    new Gauge({
      name: 'verifier_certificate_expiry_seconds',
      aggregator: 'min',
      help: 'Seconds until each certificate sent to wallets expires: access certificates (client "service" for the service\'s own) and registration certificates per client and use case; negative when past',
      labelNames: ['kind', 'client', 'use_case'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of certificates) this.set({ kind: c.kind, client: c.client, use_case: c.useCase }, Math.floor((c.notAfterMs - now()) / 1000));
      },
    });
  }

  /** The text and content type of a scrape: every worker's metrics combined with WORKERS > 1, else this process's. */
  async scrape(): Promise<{ readonly contentType: string; readonly text: string }> {
    return { contentType: this.registry.contentType, text: this.clusterScrape === undefined ? await this.registry.metrics() : await this.clusterScrape() };
  }

  record(e: AuditEvent): void {
    this.events.inc({ event: e.event, use_case: e.use_case ?? '', code: e.code ?? '' });
    if (e.event === 'response_verified') this.presentations.inc({ outcome: 'verified', code: '' });
    // The code only, not a wallet's own error value after it (`WALLET_ERROR:<value>`): labels stay a closed set.
    if (e.event === 'response_failed') this.presentations.inc({ outcome: 'failed', code: (e.code ?? '').split(':')[0] ?? '' });
  }
}
