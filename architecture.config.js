/**
 * The rooms of src/ and what each may not import (docs/architecture.md). One table, read by the
 * lint rule (eslint.config.js: no-restricted-imports per room) and by the folder-graph test
 * (tests/architecture/boundaries.test.ts, which also refuses any cycle between rooms).
 *
 * A room is a folder directly under src/, or a file there (server, errors, citizen-messages); every
 * room but cli/ (the top floor, which may import anything) has a line here. The rules are about
 * static imports; development code (dev/) is reached only by the composition root's dynamic import
 * in development mode, which the graph test checks separately.
 */

/** The production request path's I/O, composition and entry points. */
const outer = ['http', 'store', 'web', 'oidc', 'cli', 'server', 'compose'];
/** Development-only rooms: the development composition, fixture issuer and developer wallet. */
const devOnly = ['dev', 'issuer', 'wallet'];

/** Every room above the crypto kernel. */
const aboveKernel = ['config', 'trust', 'formats', 'status', 'query', 'use-cases', 'oid4vp', 'portal', 'mandates'];

/** room → rooms it must never import. */
export const forbiddenImports = {
  // The crypto kernel: JOSE, COSE, one bounded CBOR decoder, one algorithm table.
  cbor: ['jose', 'cose', ...aboveKernel, ...outer, ...devOnly],
  jose: ['cbor', 'cose', ...aboveKernel, ...outer, ...devOnly],
  cose: [...aboveKernel, ...outer, ...devOnly],
  // The ground floor: settings, the error catalogue, tiny helpers.
  errors: ['cbor', 'jose', 'cose', 'config', 'util', 'trust', 'formats', 'status', 'query', 'use-cases', 'oid4vp', 'portal', 'mandates', ...outer, ...devOnly],
  // The citizen's sentence per error code: beside the catalogue, on the ground floor.
  'citizen-messages': ['cbor', 'jose', 'cose', 'config', 'util', 'trust', 'formats', 'status', 'query', 'use-cases', 'oid4vp', 'portal', 'mandates', ...outer, ...devOnly],
  util: ['cbor', 'jose', 'cose', 'config', 'trust', 'formats', 'status', 'query', 'use-cases', 'oid4vp', 'portal', 'mandates', ...outer, ...devOnly],
  config: ['cbor', 'jose', 'cose', 'trust', 'formats', 'status', 'query', 'use-cases', 'oid4vp', 'portal', 'mandates', ...outer, ...devOnly],
  // Pure rooms: bytes + context → verified value or typed error.
  trust: ['formats', 'status', 'query', 'use-cases', 'oid4vp', 'portal', 'mandates', ...outer, ...devOnly],
  formats: ['status', 'query', 'use-cases', 'oid4vp', 'portal', 'mandates', ...outer, ...devOnly],
  status: ['query', 'use-cases', 'oid4vp', 'portal', 'mandates', ...outer, ...devOnly],
  query: ['status', 'use-cases', 'oid4vp', 'portal', 'mandates', ...outer, ...devOnly],
  // The one model of a use case, loaded once.
  'use-cases': ['status', 'oid4vp', 'portal', 'mandates', ...outer, ...devOnly],
  // The domain: use cases with their own ports.
  oid4vp: ['portal', 'mandates', ...outer, ...devOnly],
  portal: ['mandates', ...outer, ...devOnly],
  // Powers of attorney granted here and issued with OpenID4VCI (the credential service half).
  mandates: [...outer, ...devOnly],
  // Adapters import the domain, never the other way.
  store: ['http', 'web', 'cli', 'server', 'compose', ...devOnly],
  http: ['store', 'web', 'oidc', 'cli', 'server', 'compose', ...devOnly],
  web: ['store', 'oidc', 'cli', 'server', 'compose', ...devOnly],
  // The OpenID Connect bridge (oidc-provider in front of the verifier): loaded by the composition root's
  // dynamic import only when enabled; its store port (oidc/ports.ts) is implemented in store/.
  oidc: ['store', 'http', 'cli', 'server', 'compose', ...devOnly],
  // The composition root: builds everything from configuration; development code only by dynamic import.
  compose: ['cli', 'server', ...devOnly],
  server: ['cli', ...devOnly],
  // Development code: fixtures and the developer wallet; never imported by production rooms.
  issuer: ['http', 'store', 'web', 'cli', 'server', 'compose', 'dev', 'wallet'],
  wallet: ['http', 'store', 'web', 'cli', 'server', 'compose', 'dev'],
  dev: ['cli', 'server', 'store', 'http'],
};
