/**
 * docs/error-codes.md is rendered from the closed catalogue (src/errors.ts, grouped by its section
 * comments) and the citizen sentences (src/citizen-messages.ts); this test fails when the file
 * drifts from them. `UPDATE_ERROR_CODES_DOC=1` (npm run docs:error-codes) writes it anew.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCatalog, type ErrorCode } from '../../src/errors.ts';
import { citizenMessages } from '../../src/citizen-messages.ts';

const DOC = join(process.cwd(), 'docs', 'error-codes.md');

/** The catalogue's codes in source order, under the titles of its `// --- … ---` sections. */
async function sections(): Promise<Array<{ title: string; codes: ErrorCode[] }>> {
  const source = await readFile(join(process.cwd(), 'src', 'errors.ts'), 'utf8');
  const body = source.slice(source.indexOf('export const errorCatalog'));
  const out: Array<{ title: string; codes: ErrorCode[] }> = [];
  for (const line of body.split('\n')) {
    const section = /^\s*\/\/ --- (.+?) ---/.exec(line);
    if (section?.[1] !== undefined) out.push({ title: section[1], codes: [] });
    const code = /^\s*([A-Z][A-Z0-9_]+): e\(/.exec(line)?.[1];
    if (code !== undefined && code in errorCatalog) out.at(-1)?.codes.push(code as ErrorCode);
    if (/^\} as const/.test(line)) break;
  }
  return out;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, ' ');

/** The standard's clause; a reference to a document outside the repository is left out. */
const clause = (spec: string): string => spec.split(/;\s*/).filter((part) => !/SPECS\.md/.test(part)).join('; ');

async function render(): Promise<string> {
  const parts = [
    '# Error codes',
    '',
    '<!-- Rendered from src/errors.ts and src/citizen-messages.ts by tests/unit/error-codes-doc.test.ts; do not edit by hand: npm run docs:error-codes -->',
    '',
    'Every rejection of the service carries one of these codes: in `application/problem+json` answers',
    '(`code`, with the HTTP `status` below), in the `error.code` of a failed transaction, in the event',
    'stream and in `discarded_presentations`. The list is closed: a code is never added without this',
    'page and `/openapi.json` saying so.',
    '',
    '- **For the RP** (the developer): the title, and the clause of the standard the rule comes from.',
    '- **For the citizen**: a plain sentence in Swedish and English that an RP may show as it is — what',
    '  happened and what to do, without codes, protocol words or host names. Several codes share a',
    '  sentence where the citizen can do the same thing about them.',
    '',
    'Back to the [README](../README.md) · [Integrating](integrating.md#errors)',
    '',
  ];
  for (const { title, codes } of await sections()) {
    parts.push(`## ${title.charAt(0).toUpperCase()}${title.slice(1)}`, '', '| code | HTTP | for the RP | för medborgaren (sv) | for the citizen (en) |', '| --- | --- | --- | --- | --- |');
    for (const code of codes) {
      const spec = errorCatalog[code] as { status: number; title: string; spec?: string };
      const source = spec.spec === undefined ? '' : clause(spec.spec);
      const rp = source === '' ? spec.title : `${spec.title} (${source})`;
      parts.push(`| \`${code}\` | ${spec.status} | ${cell(rp)} | ${cell(citizenMessages[code].sv)} | ${cell(citizenMessages[code].en)} |`);
    }
    parts.push('');
  }
  return parts.join('\n');
}

describe('docs/error-codes.md', () => {
  it('lists every code of the catalogue, in its sections, with the citizen sentences: the file is current', async () => {
    const rendered = await render();
    if (process.env['UPDATE_ERROR_CODES_DOC'] === '1') await writeFile(DOC, rendered);
    const listed = (await sections()).flatMap((s) => s.codes);
    expect(new Set(listed)).toEqual(new Set(Object.keys(errorCatalog)));
    expect(await readFile(DOC, 'utf8').catch(() => ''), 'docs/error-codes.md is out of date: run npm run docs:error-codes').toBe(rendered);
  });

  it('a citizen sentence names no code, protocol, format or host, and ends as a sentence', () => {
    for (const [code, message] of Object.entries(citizenMessages)) {
      for (const text of [message.sv, message.en]) {
        expect(text, code).not.toMatch(/[A-Z]{2,}_|\b(PID|JWT|SD-JWT|mdoc|MSO|KB|nonce|OAuth|OpenID|DCQL|x5c|CBOR|COSE|HTTP|API|URI|URL|RP)\b|\.example|\.test\b/i);
        expect(text, code).toMatch(/^[A-ZÅÄÖ].*[.!]$/);
      }
    }
  });
});
