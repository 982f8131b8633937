/**
 * Reading a request body within a limit, and parsing it as the route expects: a JSON object or
 * array (RFC 8259, `application/json`) or an HTML form (`application/x-www-form-urlencoded`).
 *
 * Every refusal is a {@link ServiceError}: a body over the limit is BODY_TOO_LARGE (known from
 * Content-Length before anything is read, or counted while reading); a content encoding
 * (gzip…) or a charset other than UTF-8 is UNSUPPORTED_MEDIA_TYPE; a body that does not parse,
 * or a form with more fields than the route takes, is INVALID_REQUEST. Form fields are parsed by
 * node:querystring into an object without prototype: a field named `__proto__` is an ordinary key,
 * and a repeated field becomes an array (which the routes' validation refuses).
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseQueryString, type ParsedUrlQuery } from 'node:querystring';
import { ServiceError } from '../errors.ts';

export type BodyKind = 'json' | 'form';

const MEDIA_TYPES: Record<BodyKind, string> = { json: 'application/json', form: 'application/x-www-form-urlencoded' };

/** The media type of a request without parameters, lowercased; undefined without a Content-Type. */
export function mediaTypeOf(req: IncomingMessage): string | undefined {
  const header = req.headers['content-type'];
  if (header === undefined) return undefined;
  return (header.split(';', 1)[0] ?? '').trim().toLowerCase();
}

/** True when the request announces a body (RFC 9112 §6.3). */
export const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** True when the request's media type is the one `kind` expects. */
export const isMediaType = (req: IncomingMessage, kind: BodyKind): boolean => mediaTypeOf(req) === MEDIA_TYPES[kind];

/**
 * Reads and parses the body as `kind`; undefined when the request has none. The caller has
 * checked the media type.
 */
export async function readBody(req: IncomingMessage, kind: BodyKind, limitBytes: number, maxFormFields: number): Promise<unknown> {
  if (!hasBody(req)) return undefined;
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') throw new ServiceError('UNSUPPORTED_MEDIA_TYPE', `content-encoding ${encoding.slice(0, 32)}`, 'Send the body without a Content-Encoding.');
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new ServiceError('UNSUPPORTED_MEDIA_TYPE', `charset ${charset.slice(0, 32)}`, 'Send the body as UTF-8.');
  const text = (await readLimited(req, limitBytes)).toString('utf8');
  return kind === 'json' ? parseJson(text) : parseForm(text, maxFormFields);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  // Strict, as body-parser's `strict`: only an object or an array at the top.
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') throw new ServiceError('INVALID_REQUEST', 'body parse', 'The request body is not valid JSON.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ServiceError('INVALID_REQUEST', 'body parse', 'The request body is not valid JSON.');
  }
}

function parseForm(text: string, maxFields: number): ParsedUrlQuery {
  let fields = 1;
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
    if (++fields > maxFields) throw new ServiceError('INVALID_REQUEST', 'too many form parameters', 'Too many form parameters.');
  }
  return parseQueryString(text, '&', '=', { maxKeys: maxFields });
}

/** The raw body, refused as soon as it is known to exceed `limitBytes`. */
function readLimited(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) return Promise.reject(new ServiceError('BODY_TOO_LARGE', `declared ${declared} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        cleanup();
        // The rest is read and dropped, so that the answer can still be sent on this connection.
        req.resume();
        reject(new ServiceError('BODY_TOO_LARGE', `more than ${limitBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
    };
    const onError = () => {
      cleanup();
      reject(new ServiceError('INVALID_REQUEST', 'request body stream failed', 'The request body could not be read.'));
    };
    const onClose = () => {
      if (req.complete) return;
      cleanup();
      reject(new ServiceError('INVALID_REQUEST', 'request aborted', 'The request body could not be read.'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
