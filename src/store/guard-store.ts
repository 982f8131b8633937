/**
 * Wraps a store so that a failure of the storage backend (connection refused, timeout, disk
 * error, a value that no configured key opens) reaches callers as one error: a
 * {@link ServiceError} `STORE_UNAVAILABLE` (503), with the backend's message as internal detail
 * only. Each failure is reported to `observe` (the store error metric). Errors that already carry
 * a code pass through unchanged.
 */
import { ServiceError, isServiceError } from '../errors.ts';

/** Called once per failed store operation, with names only. */
export type StoreErrorObserver = (store: string, operation: string) => void;

export function guardStore<T extends object>(storeName: string, store: T, observe: StoreErrorObserver): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const operation = String(property);
      return async (...args: unknown[]): Promise<unknown> => {
        try {
          return await (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          if (isServiceError(err)) throw err;
          observe(storeName, operation);
          throw new ServiceError('STORE_UNAVAILABLE', `${storeName}.${operation}: ${describe(err)}`);
        }
      };
    },
  });
}

/** The error's name and message — except a JSON parse error, whose message quotes the stored text. */
function describe(err: unknown): string {
  if (err instanceof SyntaxError) return 'SyntaxError: a stored value is not readable';
  return err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error';
}
