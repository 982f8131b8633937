/*
 * eudi-verifier browser module (plain ES module, no build step), served at /v1/dc-api.js.
 * The relying party's page embeds it to hand a presentation request to the wallet through the
 * W3C Digital Credentials API (navigator.credentials.get({ digital })) and post the answer back.
 *
 *   import { signInWithWallet } from 'https://verifier.example/v1/dc-api.js';
 *   button.onclick = () => signInWithWallet({ start: '/wallet/start', finish: '/wallet/finish', fallback: '/login/qr' });
 *
 * Browsers open the wallet only within a user gesture: call it from a click.
 *
 * `start` is the RP's own backend route: it calls POST /v1/presentations with "flow": "dc_api"
 * (its API key never reaches the browser) and returns that answer as JSON. The module runs the
 * request, posts the DigitalCredential to the service, and sends { transaction_id, response_code }
 * to `finish` (the RP backend reads the result with them). Without the API it goes to `fallback`
 * (the QR / same-device flow). docs/dc-api.md has the details.
 */
/* global window, navigator, location, fetch */

/** Whether this browser offers the Digital Credentials API (and, if it says so, the protocol). */
export function isDcApiAvailable(protocol) {
  if (typeof window === 'undefined' || typeof window.DigitalCredential === 'undefined') return false;
  if (typeof navigator === 'undefined' || navigator.credentials === undefined || typeof navigator.credentials.get !== 'function') return false;
  var allows = window.DigitalCredential.userAgentAllowsProtocol;
  return protocol === undefined || typeof allows !== 'function' || allows.call(window.DigitalCredential, protocol) === true;
}

/**
 * Hands `dcApi.request` ({ protocol, data }, from the RP answer's `dc_api`) to the wallet and posts
 * the DigitalCredential to `dcApi.response_uri`. Resolves with { response_code }.
 * Rejects with an Error whose `code` is the service's error code, or `DC_API_UNAVAILABLE`,
 * `DC_API_CANCELLED` when the person closed the wallet dialogue.
 */
export async function presentWithWallet(dcApi, options) {
  if (!isDcApiAvailable(dcApi.request.protocol)) throw failure('DC_API_UNAVAILABLE', 'The Digital Credentials API is not available in this browser.');
  var credential;
  try {
    credential = await navigator.credentials.get({
      mediation: 'required',
      digital: { requests: [dcApi.request] },
      signal: options && options.signal,
    });
  } catch (err) {
    throw failure(err && err.name === 'AbortError' ? 'DC_API_CANCELLED' : 'DC_API_UNAVAILABLE', 'The wallet did not answer.');
  }
  if (!credential || typeof credential.protocol !== 'string') throw failure('DC_API_CANCELLED', 'The wallet returned no credential.');
  var data = typeof credential.data === 'string' ? JSON.parse(credential.data) : credential.data;
  var res = await fetch(dcApi.response_uri, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ protocol: credential.protocol, data: data }),
    credentials: 'omit',
  });
  var body = await res.json().catch(function () { return {}; });
  if (!res.ok) throw failure(body.code || 'INTERNAL_ERROR', body.title || 'The answer was refused.');
  return { response_code: body.response_code };
}

/**
 * The whole sign-in: `start` (POST, JSON answer of the RP backend holding `dc_api` and
 * `transaction_id`), the wallet, then POST { transaction_id, response_code } as JSON to `finish`
 * and follow its `redirect` if it returns one. Without the API, or if the RP asks so on a refusal,
 * goes to `fallback`. Resolves with what `finish` returned.
 */
export async function signInWithWallet(options) {
  if (!isDcApiAvailable()) {
    if (options.fallback) location.assign(options.fallback);
    return { fallback: true };
  }
  var started = await postJson(options.start, options.startBody || {});
  if (!started.dc_api || !started.transaction_id) throw failure('INVALID_REQUEST', 'The start route did not return a dc_api presentation.');
  var answer = await presentWithWallet(started.dc_api, options);
  var finished = await postJson(options.finish, { transaction_id: started.transaction_id, response_code: answer.response_code });
  if (finished && typeof finished.redirect === 'string') location.assign(finished.redirect);
  return finished;
}

async function postJson(url, body) {
  var res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
  var json = await res.json().catch(function () { return {}; });
  if (!res.ok) throw failure(json.code || 'INTERNAL_ERROR', json.title || 'The request failed.');
  return json;
}

function failure(code, message) {
  var err = new Error(message);
  err.code = code;
  return err;
}
