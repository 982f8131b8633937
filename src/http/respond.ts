/**
 * Writing answers on a plain node:http response: JSON and text with their content type and
 * length, written at once with the headers already set (security headers, request id, CORS).
 * Used by the API (http/) and the demo portal's problem answers (web/) alike.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Writes `body` as JSON (`application/json; charset=utf-8` unless `type` says otherwise). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}, type = 'application/json'): void {
  sendText(res, status, `${type}; charset=utf-8`, JSON.stringify(body), headers);
}

/** Writes `text` with the exact content type given. */
export function sendText(res: ServerResponse, status: number, contentType: string, text: string, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text, 'utf8') });
  res.end(text);
}
