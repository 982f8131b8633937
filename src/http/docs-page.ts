/**
 * `/docs`: the OpenAPI document rendered as one self-contained HTML page — no script, no external
 * asset (its Content-Security-Policy allows inline style only). Each operation with its parameters,
 * body and answers; each component schema with its members; the error codes with their HTTP status.
 * The integration guide (docs/integrating.md) explains how the calls fit together; it and the error
 * codes with their citizen sentences (docs/error-codes.md) are served next to the page as they are
 * written, in Markdown as plain text, so that an integrator of a running service has them without
 * the repository.
 */
import { readFileSync } from 'node:fs';

type JsonObject = Record<string, unknown>;

/** The guides served under `/docs/<name>`, with what each is. */
export const DOCS_GUIDES: Readonly<Record<string, string>> = {
  'integrating.md': 'the integration guide: the three calls, the QR code and the same-device fragment, the event stream, single-use codes',
  'error-codes.md': 'every error code with a sentence in Swedish and English that an RP can show a citizen',
};

/** The guides' text, read once from the repository's docs/ folder; a guide that is not there is left out. */
export function readDocsGuides(dir: URL = new URL('../../docs/', import.meta.url)): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const name of Object.keys(DOCS_GUIDES)) {
    try {
      out.set(name, readFileSync(new URL(name, dir), 'utf8'));
    } catch {
      // not shipped with this installation: /docs says where it is in the repository instead
    }
  }
  return out;
}

const obj = (v: unknown): JsonObject => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** `code` spans for `text`'s back-quoted parts, the rest escaped. */
const prose = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

const refName = (schema: unknown): string | undefined => {
  const ref = str(obj(schema)['$ref']);
  return ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
};

/** A short type: a link to a component, `array of …`, an enum, or the JSON type. */
function typeOf(schema: unknown): string {
  const s = obj(schema);
  const name = refName(s);
  if (name !== undefined) return `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
  if (Array.isArray(s['enum'])) return s['enum'].length > 8 ? `string (${s['enum'].length} values)` : (s['enum'] as unknown[]).map((v) => `<code>${escapeHtml(JSON.stringify(v))}</code>`).join(' | ');
  if (s['const'] !== undefined) return `<code>${escapeHtml(JSON.stringify(s['const']))}</code>`;
  if (s['type'] === 'array') return `array of ${typeOf(s['items'])}`;
  for (const key of ['anyOf', 'oneOf'] as const) if (Array.isArray(s[key])) return (s[key] as unknown[]).map(typeOf).join(' | ');
  const type = Array.isArray(s['type']) ? (s['type'] as string[]).join(' | ') : str(s['type']) || 'any';
  return escapeHtml(s['format'] === undefined ? type : `${type} (${str(s['format'])})`);
}

function members(schema: unknown): string {
  const s = obj(schema);
  const props = obj(s['properties']);
  const required = new Set(Array.isArray(s['required']) ? (s['required'] as string[]) : []);
  const rows = Object.entries(props).map(
    ([name, p]) => `<tr><td><code>${escapeHtml(name)}</code>${required.has(name) ? '' : ' <small>optional</small>'}</td><td>${typeOf(p)}</td><td>${prose(str(obj(p)['description']))}</td></tr>`,
  );
  if (rows.length === 0) return `<p>${typeOf(s)}${s['description'] === undefined ? '' : ` — ${prose(str(s['description']))}`}</p>`;
  return `<table><thead><tr><th scope="col">Member</th><th scope="col">Type</th><th scope="col">Meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function content(c: unknown): string {
  return Object.entries(obj(c))
    .map(([media, m]) => `<code>${escapeHtml(media)}</code> ${typeOf(obj(m)['schema'])}`)
    .join('; ');
}

function operation(path: string, method: string, op: JsonObject): string {
  const id = `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const params = (Array.isArray(op['parameters']) ? (op['parameters'] as JsonObject[]) : []).map(
    (p) => `<li><code>${escapeHtml(str(p['name']))}</code> (${escapeHtml(str(p['in']))}${p['required'] === true ? ', required' : ''})${p['description'] === undefined ? '' : `: ${prose(str(p['description']))}`}</li>`,
  );
  const body = obj(op['requestBody']);
  const responses = Object.entries(obj(op['responses'])).map(([status, r]) => `<li><strong>${escapeHtml(status)}</strong> ${prose(str(obj(r)['description']))}${obj(r)['content'] === undefined ? '' : ` — ${content(obj(r)['content'])}`}</li>`);
  return `<section id="${escapeHtml(id)}"><h3><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h3>
<p>${prose(str(op['summary']))}${Array.isArray(op['security']) ? ' <small>(API key)</small>' : ''}</p>
${op['description'] === undefined ? '' : `<p>${prose(str(op['description']))}</p>`}
${params.length === 0 ? '' : `<p>Parameters:</p><ul>${params.join('')}</ul>`}
${body['content'] === undefined ? '' : `<p>Body: ${content(body['content'])}</p>`}
<p>Answers:</p><ul>${responses.join('')}</ul></section>`;
}

/** The page for `doc` (an OpenAPI 3.1 document as {@link openApiDocument} makes it). */
export function docsPage(doc: JsonObject, guides: readonly string[] = []): string {
  const info = obj(doc['info']);
  const paths = Object.entries(obj(doc['paths']));
  const ops = paths.flatMap(([path, methods]) => Object.entries(obj(methods)).map(([method, op]) => ({ path, method, op: obj(op) })));
  const schemas = Object.entries(obj(obj(doc['components'])['schemas']));
  const errorCode = obj(obj(obj(doc['components'])['schemas'])['ErrorCode']);
  const codeDescriptions = obj(errorCode['x-enumDescriptions']);
  const index = ops.map(({ path, method, op }) => `<tr><td><a href="#op-${method}-${escapeHtml(path.replace(/[^A-Za-z0-9]+/g, '-'))}"><code>${method.toUpperCase()}</code></a></td><td><code>${escapeHtml(path)}</code></td><td>${prose(str(op['summary']))}</td></tr>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(str(info['title']))} API</title>
<style>body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border-bottom:1px solid #ccc;padding:.35rem;text-align:left;vertical-align:top}a{color:#0b4f9c}code{font-size:.92em}section{border-top:1px solid #ddd;margin-top:1rem}small{color:#555}</style>
</head><body><main><h1>${escapeHtml(str(info['title']))} API</h1>
<p>${prose(str(info['description']))}</p>
<p>The machine-readable description is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1); <a href="/docs/ui">the same document in Swagger UI</a> is served by this service too. How the calls fit together — the three calls, the QR code and the same-device fragment, the event stream, single-use codes — is in the integration guide, <code>docs/integrating.md</code> in the repository; each error code with a sentence for the citizen in <code>docs/error-codes.md</code>.</p>
${guides.length === 0 ? '' : `<h2 id="guides">Guides</h2>\n<ul>${guides.map((name) => `<li><a href="/docs/${escapeHtml(name)}"><code>${escapeHtml(name)}</code></a>: ${escapeHtml(DOCS_GUIDES[name] ?? '')}</li>`).join('')}</ul>`}
<nav aria-label="Contents"><ul>${guides.length === 0 ? '' : '<li><a href="#guides">Guides</a></li>'}<li><a href="#operations">Operations</a></li><li><a href="#schemas">Schemas</a></li><li><a href="#error-codes">Error codes</a></li></ul></nav>
<h2 id="operations">Operations</h2>
<table><thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What</th></tr></thead><tbody>
${index.join('\n')}
</tbody></table>
${ops.map(({ path, method, op }) => operation(path, method, op)).join('\n')}
<h2 id="schemas">Schemas</h2>
${schemas
  .filter(([name]) => name !== 'ErrorCode')
  .map(([name, schema]) => `<section id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${obj(schema)['description'] === undefined ? '' : `<p>${prose(str(obj(schema)['description']))}</p>`}${members(schema)}</section>`)
  .join('\n')}
<h2 id="error-codes"><span id="schema-ErrorCode">Error codes</span></h2>
<p>${prose(str(errorCode['description']))}</p>
<table><thead><tr><th scope="col">Code</th><th scope="col">Meaning</th></tr></thead><tbody>
${Object.entries(codeDescriptions)
  .map(([code, text]) => `<tr><td><code>${escapeHtml(code)}</code></td><td>${prose(str(text))}</td></tr>`)
  .join('\n')}
</tbody></table></main></body></html>`;
}
