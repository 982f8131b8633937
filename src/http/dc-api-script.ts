/**
 * `GET /v1/dc-api.js`: the browser module a relying party's page embeds for the W3C Digital
 * Credentials API (assets/dc-api.js, plain ESM). Public, no API key; CORS-readable from any origin
 * (hardening.ts), since a module script on the RP's origin is fetched in CORS mode. Wiring only.
 */
import { readFileSync } from 'node:fs';
import type { ApiRoute } from './api-routes.ts';
import { sendText } from './respond.ts';

export const DC_API_SCRIPT_PATH = '/v1/dc-api.js';

export function dcApiScriptRoutes(): ApiRoute[] {
  const script = readFileSync(new URL('./assets/dc-api.js', import.meta.url), 'utf8');
  return [
    {
      method: 'GET',
      path: DC_API_SCRIPT_PATH,
      handler: (req) => sendText(req.res, 200, 'text/javascript; charset=utf-8', script, { 'Cache-Control': 'public, max-age=300' }),
    },
  ];
}
