/**
 * The rooms of src/ and what each may not import (docs/architecture.md). One table, read by the
 * lint rule (eslint.config.js: no-restricted-imports per room) and by the folder-graph test
 * (tests/architecture/boundaries.test.ts, which also refuses any cycle between rooms).
 *
 * A room is a folder directly under src/, or a file there (server, errors, dev-environment).
 */

/** The rooms that carry the production request path's I/O and composition. */
const outer = ['http', 'store', 'web', 'cli', 'server', 'dev-environment'];
/** Development-only rooms: fixture issuer and developer wallet, never on the production path. */
const devOnly = ['issuer', 'wallet'];

/** room → rooms it must never import. */
export const forbiddenImports = {
  // The ground floor: settings, the error catalogue, tiny helpers.
  errors: ['config', 'util', 'trust', 'formats', 'status', 'query', 'use-cases', 'oid4vp', 'portal', ...outer, ...devOnly],
  util: ['config', 'trust', 'formats', 'status', 'query', 'use-cases', 'oid4vp', 'portal', ...outer, ...devOnly],
  config: ['trust', 'formats', 'status', 'query', 'use-cases', 'oid4vp', 'portal', ...outer, ...devOnly],
  // Pure rooms: bytes + context → verified value or typed error.
  trust: ['formats', 'status', 'query', 'use-cases', 'oid4vp', 'portal', ...outer, ...devOnly],
  formats: ['status', 'query', 'use-cases', 'oid4vp', 'portal', ...outer, ...devOnly],
  status: ['query', 'use-cases', 'oid4vp', 'portal', ...outer, ...devOnly],
  query: ['status', 'use-cases', 'oid4vp', 'portal', ...outer, ...devOnly],
  // The one model of a use case, loaded once.
  'use-cases': ['status', 'oid4vp', 'portal', ...outer, ...devOnly],
  // The domain: use cases with their own ports.
  oid4vp: ['portal', ...outer, ...devOnly],
  portal: [...outer, ...devOnly],
  // Adapters import the domain, never the other way.
  store: ['http', 'web', 'cli', 'server', 'dev-environment', ...devOnly],
  http: ['store', 'web', 'cli', 'server', 'dev-environment', ...devOnly],
  issuer: ['http', 'store', 'web', 'cli', 'server', 'dev-environment', 'wallet'],
  wallet: ['http', 'store', 'web', 'cli', 'server', 'dev-environment'],
};
