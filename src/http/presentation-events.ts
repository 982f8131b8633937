/**
 * Server-Sent Events (HTML Living Standard §9.2) of a transaction's status changes: one
 * `event: status` per change with the JSON of {@link PresentationStatus}, a comment every 15 s so
 * that proxies keep the connection, and the end of the stream after a final status. The first
 * status is read before anything is written, so an unknown transaction is an ordinary problem+json
 * 404. A store failure later ends the stream with `event: stream_error` and the code. Used by the RP API
 * (`GET /v1/presentations/{id}/events`) and the demo portal.
 */
import type { ServerResponse } from 'node:http';
import { isServiceError } from '../errors.ts';
import type { PresentationStatus } from '../oid4vp/watch-presentation-status.ts';

const HEARTBEAT_MS = 15_000;
/** Reconnection delay asked of the client (EventSource `retry`). */
const RETRY_MS = 2000;

/**
 * Streams `watch(signal)` to the client until it ends, the client goes away or `shutdown` aborts.
 * @throws what the first read of `watch` throws, before any byte is written
 */
export async function sendStatusEvents(res: ServerResponse, watch: (signal: AbortSignal) => AsyncGenerator<PresentationStatus>, shutdown?: AbortSignal): Promise<void> {
  const stop = new AbortController();
  const onClose = () => stop.abort();
  res.on('close', onClose);
  shutdown?.addEventListener('abort', onClose, { once: true });
  const changes = watch(stop.signal);
  try {
    const first = await changes.next();
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write(`retry: ${RETRY_MS}\n\n`);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    let n = 0;
    try {
      if (first.done !== true) res.write(frame(++n, 'status', first.value));
      if (first.done !== true) {
        for await (const change of changes) res.write(frame(++n, 'status', change));
      }
    } catch (err) {
      res.write(frame(++n, 'stream_error', { code: isServiceError(err) ? err.code : 'INTERNAL_ERROR' }));
    } finally {
      clearInterval(heartbeat);
    }
    res.end();
  } finally {
    res.off('close', onClose);
    shutdown?.removeEventListener('abort', onClose);
    stop.abort();
  }
}

const frame = (id: number, event: string, data: unknown): string => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
