/**
 * The OpenAPI document is true: every answer the RP API helpers of the integration tests receive is
 * validated against it (tests/helpers/openapi-contract.ts); here, the document itself — components
 * referenced with `$ref`, the error codes as one enum with a description each, examples that keep
 * their own schemas, no generator leftovers, every API route documented — and the catalogue the
 * calling RP reads: `GET /v1/use-cases` and `GET /v1/forms`.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalog } from '../../src/errors.ts';
import { createFixtureDirs, removeDir, rp, startTestService, type TestService } from '../helpers/test-service.ts';
import { contractViolations } from '../helpers/openapi-contract.ts';
import { runWallet } from '../../src/wallet/wallet.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
let doc: Record<string, unknown> & { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, Record<string, unknown>> } };

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startTestService(dirs);
  doc = (await (await fetch(`${t.baseUrl}/openapi.json`)).json()) as typeof doc;
}, 120_000);
afterAll(async () => {
  await t.stop();
  await removeDir(dirs.root);
});

/** Every `{"example": …}` of a media type with its schema, as [where, schema, example]. */
function examples(): Array<[string, unknown, unknown]> {
  const out: Array<[string, unknown, unknown]> = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const bodies = [['request', (op['requestBody'] as { content?: Record<string, { schema?: unknown; example?: unknown }> } | undefined)?.content]] as Array<[string, Record<string, { schema?: unknown; example?: unknown }> | undefined]>;
      for (const [status, response] of Object.entries((op['responses'] ?? {}) as Record<string, { content?: Record<string, { schema?: unknown; example?: unknown }> }>)) bodies.push([status, response.content]);
      for (const [where, content] of bodies) {
        for (const [media, m] of Object.entries(content ?? {})) if (m.example !== undefined && /json$/.test(media)) out.push([`${method.toUpperCase()} ${path} ${where} ${media}`, m.schema, m.example]);
      }
    }
  }
  return out;
}

describe('/openapi.json', () => {
  it('has no generator leftovers: no $schema or $id, no ±(2^53−1) bounds, no date-time regular expression', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain('"$schema"');
    expect(text).not.toContain('"$id"');
    expect(text).not.toContain('9007199254740991');
    // No regular expression (the date-time one); a member named "pattern" (a form field's) is no leftover.
    expect(text).not.toMatch(/"pattern":"/);
  });

  it('lists every error code of the catalogue as one enum, each with a description', () => {
    const codes = doc.components.schemas['ErrorCode'] as { enum: string[]; 'x-enumDescriptions': Record<string, string> };
    expect(new Set(codes.enum)).toEqual(new Set(Object.keys(errorCatalog)));
    for (const code of codes.enum) expect(codes['x-enumDescriptions'][code], code).toMatch(/\S/);
    expect(doc.components.schemas['Problem']?.['properties']).toMatchObject({ code: { $ref: '#/components/schemas/ErrorCode' } });
  });

  it('names its schemas as components and refers to them with $ref', () => {
    const result = doc.paths['/v1/presentations/{transaction_id}']?.['get'] as { responses: Record<string, { content: Record<string, { schema: unknown }> }> };
    expect(result.responses['200']?.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/PresentationResult' });
    const item = doc.components.schemas['CredentialResult'] as { properties: Record<string, unknown>; additionalProperties?: unknown };
    // A strict client generated from the document accepts what the service really sends.
    expect(item.properties['status_ref']).toEqual({ $ref: '#/components/schemas/StatusRef' });
  });

  it('every example keeps its own schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema(doc as object, 'openapi');
    const all = examples();
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const [where, schema, example] of all) {
      const ref = (schema as { $ref?: string }).$ref;
      const check = ajv.compile(ref === undefined ? (schema as object) : { $ref: `openapi${ref}` });
      expect(check(example), `${where}: ${ajv.errorsText(check.errors)}`).toBe(true);
    }
  });

  it('documents every RP API route the service answers', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    for (const route of ['POST /v1/presentations', 'GET /v1/presentations/{transaction_id}', 'GET /v1/presentations/{transaction_id}/events', 'GET /v1/use-cases', 'GET /v1/forms', 'POST /v1/sessions', 'GET /v1/sessions/{id}', 'DELETE /v1/sessions/{id}'])
      expect(documented).toContain(route);
  });

  it('the contract check refuses an answer the document does not describe', async () => {
    const answer = { method: 'GET', path: '/v1/presentations/x', status: 200, contentType: 'application/json', text: JSON.stringify({ transaction_id: 'x', status: 'verified' }) };
    expect((await contractViolations(t.baseUrl, answer)).join('\n')).toMatch(/must have required property/);
    const undocumented = { method: 'GET', path: '/v1/nothing-here', status: 200, contentType: 'application/json', text: '{}' };
    expect(await contractViolations(t.baseUrl, undocumented)).toHaveLength(1);
  });
});

describe('GET /v1/use-cases', () => {
  it('needs the API key', async () => {
    expect((await rp(t, 'GET', '/v1/use-cases', undefined, '')).status).toBe(401);
  });

  it('lists the use cases of the calling client: purpose, credentials with formats, types, labelled claims, trust categories', async () => {
    const res = await rp(t, 'GET', '/v1/use-cases');
    expect(res.status).toBe(200);
    const useCases = res.body['use_cases'] as Array<{ id: string; purpose: { sv: string; en: string }; credentials: Array<{ query_id: string; format: string; types: string[]; claims: Array<{ path: unknown[]; label: { sv: string; en: string } }>; trust_categories: string[] }>; portal_session: boolean }>;
    const basic = useCases.find((u) => u.id === 'pid-basic');
    expect(basic?.purpose.sv).toMatch(/\S/);
    expect(basic?.credentials[0]).toMatchObject({ query_id: 'pid', format: 'dc+sd-jwt', types: ['urn:eudi:pid:1'], trust_categories: ['pid'] });
    expect(basic?.credentials[0]?.claims).toContainEqual({ path: ['given_name'], label: { sv: 'förnamn', en: 'first name' } });
    expect(basic?.portal_session).toBe(false);
    expect(useCases.find((u) => u.id === 'mdl')?.credentials[0]).toMatchObject({ format: 'mso_mdoc', types: ['org.iso.18013.5.1.mDL'], trust_categories: ['mdl'] });
    expect(useCases.find((u) => u.id === 'login-portal')?.portal_session).toBe(true);
  });

  it('shows a client only its own use cases', async () => {
    const other = await startTestService(dirs, { RP_CLIENTS_FILE: await clientsFile(['pid-basic']) });
    try {
      const res = await rp(other, 'GET', '/v1/use-cases', undefined, ONLY_BASIC_KEY);
      expect((res.body['use_cases'] as Array<{ id: string }>).map((u) => u.id)).toEqual(['pid-basic']);
      // No portal use case: no forms either.
      expect((await rp(other, 'GET', '/v1/forms', undefined, ONLY_BASIC_KEY)).body).toEqual({ forms: [] });
    } finally {
      await other.stop();
    }
  });
});

describe('GET /v1/forms', () => {
  it('lists the forms a portal session can prefill, with each field and whose data fills it', async () => {
    const res = await rp(t, 'GET', '/v1/forms');
    expect(res.status).toBe(200);
    const forms = res.body['forms'] as Array<{ id: string; roles: string[]; fields: Array<{ name: string; prefilled_from?: string }> }>;
    const parental = forms.find((f) => f.id === 'parental-benefit');
    expect(parental?.roles).toContain('guardianship');
    expect(parental?.fields).toContainEqual(expect.objectContaining({ name: 'child_given_name', prefilled_from: 'represented_party' }));
    expect(parental?.fields.some((f) => f.prefilled_from === undefined)).toBe(true);
    // What the service checks is said too: an RP building its own page can check the same.
    const postal = forms.find((f) => f.id === 'address-change')?.fields.find((f) => f.name === 'new_postal_code') as Record<string, unknown> | undefined;
    expect(postal).toMatchObject({ type: 'text', pattern: '[0-9]{3} ?[0-9]{2}', invalid_message: { sv: expect.any(String) as string, en: expect.any(String) as string } });
    expect(new RegExp(`^(?:${String(postal?.['pattern'])})$`, 'u').test('abc')).toBe(false);
  });
});

describe('the answers of a whole flow keep the contract', () => {
  it('create, pending, verified with status_ref, an unknown transaction, a bad body', async () => {
    const created = await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic' });
    expect(created.status).toBe(201);
    expect((await rp(t, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`)).body['status']).toBe('pending');
    await runWallet(String(created.body['authorization_request_uri']), { wallet: await t.wallet('anna'), trust: t.walletTrust });
    const result = await rp(t, 'GET', `/v1/presentations/${String(created.body['transaction_id'])}`);
    expect((result.body['credentials'] as Array<Record<string, unknown>>)[0]?.['status_ref']).toMatchObject({ idx: expect.any(Number) as number });
    expect((await rp(t, 'GET', `/v1/presentations/${'x'.repeat(24)}`)).status).toBe(404);
    expect((await rp(t, 'POST', '/v1/presentations', { use_case: 'pid-basic', extra: 1 })).status).toBe(400);
    expect((await rp(t, 'POST', '/v1/presentations', { use_case: 'no-such-case' })).body['code']).toBe('USE_CASE_UNKNOWN');
  });
});

const ONLY_BASIC_KEY = 'only-basic-key-0123456789abcdef';

async function clientsFile(useCases: string[]): Promise<string> {
  const file = join(dirs.root, `clients-${useCases.join('-')}.json`);
  await writeFile(file, JSON.stringify([{ id: 'only-basic', api_key_sha256: createHash('sha256').update(ONLY_BASIC_KEY).digest('hex'), use_cases: useCases }]));
  return file;
}
