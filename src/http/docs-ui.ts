/**
 * `/docs/ui`: the OpenAPI document in Swagger UI, a maintained renderer, served from its npm package
 * (swagger-ui-dist) by this service — no CDN, nothing fetched from elsewhere. The page loads the
 * package's stylesheet and bundle and one start script of ours, all from this origin, under a
 * Content-Security-Policy that allows scripts from `'self'` only; the online validator Swagger UI
 * would otherwise call (validator.swagger.io) is switched off. `/docs` stays the script-free page
 * and links here (ADR 0342).
 *
 * The package's files are read on the first request for them and kept: a service that nobody asks
 * for its docs never reads the 1.5 MB bundle.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ApiRoute } from './api-routes.ts';
import { sendText } from './respond.ts';

/** Scripts and styles from this origin only; Swagger UI sets inline styles and draws its icons as data: images. */
export const DOCS_UI_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The package's files this page uses, by the name it is served under. */
const PACKAGE_FILES: ReadonlyArray<{ readonly name: string; readonly type: string }> = [
  { name: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  { name: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
];

/** Starts Swagger UI on the service's own document; "Try it out" calls go to this origin. */
const START_SCRIPT = `window.addEventListener('DOMContentLoaded', function () {
  window.SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', validatorUrl: null, deepLinking: true, tryItOutEnabled: false });
});
`;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>EUDI wallet verifier API — Swagger UI</title>
<link rel="stylesheet" href="/docs/ui/swagger-ui.css">
</head><body>
<main><p><a href="/docs">The API reference without script</a> · <a href="/openapi.json">/openapi.json</a></p><div id="swagger-ui"></div></main>
<script src="/docs/ui/swagger-ui-bundle.js"></script>
<script src="/docs/ui/start.js"></script>
</body></html>
`;

/** The directory of the installed swagger-ui-dist package. */
function packageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

/** `read()` on first use, then its text kept. */
function once(read: () => string): () => string {
  let text: string | undefined;
  return () => (text ??= read());
}

/** The routes of `/docs/ui` and its assets. */
export function docsUiRoutes(): ApiRoute[] {
  const headers = { 'Content-Security-Policy': DOCS_UI_CONTENT_SECURITY_POLICY };
  const assetHeaders = { ...headers, 'Cache-Control': 'public, max-age=3600' };
  return [
    { method: 'GET', path: '/docs/ui', handler: (req) => sendText(req.res, 200, 'text/html; charset=utf-8', PAGE, headers) },
    { method: 'GET', path: '/docs/ui/start.js', handler: (req) => sendText(req.res, 200, 'text/javascript; charset=utf-8', START_SCRIPT, assetHeaders) },
    ...PACKAGE_FILES.map(({ name, type }): ApiRoute => {
      const text = once(() => readFileSync(join(packageDir(), name), 'utf8'));
      return { method: 'GET', path: `/docs/ui/${name}`, handler: (req) => sendText(req.res, 200, type, text(), assetHeaders) };
    }),
  ];
}

/** The paths `docsUiRoutes` answers (they belong to the API, never to the demo portal). */
export const DOCS_UI_PATHS: readonly string[] = docsUiRoutes().map((route) => route.path);
