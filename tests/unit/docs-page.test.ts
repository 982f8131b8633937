/**
 * `/docs` renders the OpenAPI document readably, without script or external assets: every
 * operation with its answers, every component schema with its members, every error code.
 */
import { describe, expect, it } from 'vitest';
import { docsPage } from '../../src/http/docs-page.ts';
import { openApiDocument } from '../../src/http/openapi.ts';
import { errorCatalog } from '../../src/errors.ts';

const doc = openApiDocument('http://localhost:3000');
const html = docsPage(doc);

describe('the /docs page', () => {
  it('has no script and loads nothing from elsewhere', () => {
    expect(html).not.toMatch(/<script|<link|src=|@import/i);
    expect(html).toContain('<html lang="en">');
  });

  it('shows every operation, with its answers', () => {
    const paths = doc['paths'] as Record<string, Record<string, unknown>>;
    for (const [path, ops] of Object.entries(paths)) for (const method of Object.keys(ops)) expect(html).toContain(`<code>${method.toUpperCase()} ${path}</code>`);
    expect(html).toMatch(/<strong>201<\/strong> Created/);
  });

  it('shows every schema with its members, linked from where it is used, and every error code', () => {
    const schemas = (doc['components'] as { schemas: Record<string, unknown> }).schemas;
    for (const name of Object.keys(schemas)) expect(html).toContain(`id="schema-${name}"`);
    expect(html).toContain('<a href="#schema-PresentationResult">PresentationResult</a>');
    expect(html).toMatch(/<code>status_ref<\/code> <small>optional<\/small><\/td><td><a href="#schema-StatusRef">/);
    for (const code of Object.keys(errorCatalog)) expect(html).toContain(`<code>${code}</code>`);
  });

  it('escapes what it shows', () => {
    const page = docsPage({ info: { title: '<b>x</b>' }, paths: { '/a': { get: { summary: '<img src=x>', responses: {} } } } });
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x&gt;');
  });
});
