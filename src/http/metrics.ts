/** Prometheus metrics. Labels are codes, routes and use case ids only — never personal data. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AuditEvent } from '../oid4vp/verifier-deps.ts';

export class Metrics {
  readonly registry = new Registry();
  private readonly events = new Counter({ name: 'verifier_events_total', help: 'Transaction events by kind and code', labelNames: ['event', 'use_case', 'code'], registers: [this.registry] });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  record(e: AuditEvent): void {
    this.events.inc({ event: e.event, use_case: e.use_case ?? '', code: e.code ?? '' });
  }
}
