/**
 * The request a log line belongs to. Each HTTP request gets an id (the caller's `X-Request-Id`
 * when it is a plain token, otherwise a fresh one), echoed in the response; log lines written
 * while the request is handled carry it as `req_id` (pino `mixin`), audit events included.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface RequestContext {
  readonly req_id: string;
}

const storage = new AsyncLocalStorage<RequestContext>();
const acceptedId = /^[A-Za-z0-9._:-]{1,64}$/;

/** The id for a request: the caller's when it is a plain token of at most 64 characters. */
export const requestIdFrom = (header: unknown): string => (typeof header === 'string' && acceptedId.test(header) ? header : randomUUID());

/** Runs `fn` (and everything it starts) as part of the request `reqId`. */
export const runInRequest = <T>(reqId: string, fn: () => T): T => storage.run({ req_id: reqId }, fn);

/** Fields for a log line: the current request's id, if any (pino `mixin`). */
export const logContext = (): Record<string, string> => {
  const ctx = storage.getStore();
  return ctx === undefined ? {} : { req_id: ctx.req_id };
};
