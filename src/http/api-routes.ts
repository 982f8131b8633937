/**
 * The API's routes as data: a method, a path pattern (`/v1/presentations/:id`), the body the
 * route reads (kind and limit) and a handler. {@link RouteTable} matches a request path segment
 * by segment; a `:name` segment matches any one non-empty segment and is percent-decoded (a
 * segment that does not decode matches nothing). One trailing slash is ignored. HEAD is answered
 * by the GET route. The request pipeline (headers, CORS, limits, body, errors) is in app.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParsedUrlQuery } from 'node:querystring';
import { ServiceError } from '../errors.ts';
import type { RpClient } from '../config/rp-clients.ts';
import type { BodyKind } from './read-body.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequest {
  readonly raw: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: ParsedUrlQuery;
  /** The parsed body of a route that reads one; undefined when the request had none. */
  readonly body: unknown;
  /** The RP client a valid `Authorization: Bearer` key names, on `/v1/*`; see {@link requireClient}. */
  readonly client: RpClient | undefined;
}

export interface ApiRoute {
  readonly method: Method;
  readonly path: string;
  readonly body?: { readonly kind: BodyKind; readonly limitBytes: number; readonly maxFormFields: number };
  readonly handler: (req: ApiRequest) => Promise<void> | void;
}

/** The authenticated RP client, or UNAUTHORIZED. */
export function requireClient(req: ApiRequest): RpClient {
  if (req.client === undefined) throw new ServiceError('UNAUTHORIZED');
  return req.client;
}

interface CompiledRoute {
  readonly route: ApiRoute;
  /** Literal segments as they are; parameter segments as `:name`. */
  readonly segments: readonly string[];
}

export interface RouteMatch {
  readonly route: ApiRoute;
  readonly params: Record<string, string>;
}

export class RouteTable {
  private readonly byMethod = new Map<string, CompiledRoute[]>();

  constructor(routes: readonly ApiRoute[]) {
    for (const route of routes) {
      const list = this.byMethod.get(route.method) ?? [];
      list.push({ route, segments: route.path.split('/').slice(1) });
      this.byMethod.set(route.method, list);
    }
  }

  match(method: string, path: string): RouteMatch | undefined {
    const candidates = this.byMethod.get(method === 'HEAD' ? 'GET' : method);
    if (candidates === undefined) return undefined;
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const segments = trimmed.split('/').slice(1);
    for (const candidate of candidates) {
      const params = matchSegments(candidate.segments, segments);
      if (params !== undefined) return { route: candidate.route, params };
    }
    return undefined;
  }
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const a = actual[i] as string;
    if (p.startsWith(':')) {
      if (a === '') return undefined;
      try {
        params[p.slice(1)] = decodeURIComponent(a);
      } catch {
        return undefined;
      }
    } else if (p !== a) {
      return undefined;
    }
  }
  return params;
}
