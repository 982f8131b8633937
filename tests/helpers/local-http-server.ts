/**
 * A loopback HTTP server for tests that serves status lists and trusted lists: routes are set
 * and changed while it runs, every request is counted per path, and a route can answer slowly,
 * with any status, a redirect, or a body larger than it claims.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  readonly status?: number;
  readonly contentType?: string;
  readonly body?: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
  /** Answer after this many milliseconds. */
  readonly delayMs?: number;
  /** Redirect (302) to this location. */
  readonly redirect?: string;
}

export interface LocalHttpServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  url(path: string): string;
  /** Sets (or replaces) what `path` answers. */
  route(path: string, route: Route): void;
  /** Requests received for `path` (without query). */
  count(path: string): number;
  /** The `Accept` header of the last request for `path`. */
  lastAccept(path: string): string | undefined;
  resetCounts(): void;
  close(): Promise<void>;
}

export async function startLocalHttpServer(): Promise<LocalHttpServer> {
  const routes = new Map<string, Route>();
  const counts = new Map<string, number>();
  const accepts = new Map<string, string | undefined>();
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    counts.set(path, (counts.get(path) ?? 0) + 1);
    accepts.set(path, req.headers.accept);
    const route = routes.get(path);
    const answer = (): void => {
      if (res.destroyed) return;
      if (route === undefined) {
        res.writeHead(404).end();
        return;
      }
      if (route.redirect !== undefined) {
        res.writeHead(302, { location: route.redirect }).end();
        return;
      }
      const headers: Record<string, string> = { ...(route.contentType !== undefined && { 'content-type': route.contentType }), ...route.headers };
      res.writeHead(route.status ?? 200, headers);
      res.end(route.body === undefined ? undefined : typeof route.body === 'string' ? route.body : Buffer.from(route.body));
    };
    if (route?.delayMs !== undefined) setTimeout(answer, route.delayMs).unref();
    else answer();
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    route: (path, route) => {
      routes.set(path, route);
    },
    count: (path) => counts.get(path) ?? 0,
    lastAccept: (path) => accepts.get(path),
    resetCounts: () => counts.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
