/**
 * The OpenAPI contract, checked on every answer the tests' RP API helpers receive (`rp()`,
 * `rpCall()`, the portal test service's `call()`): the answer's path, method and status must be in
 * the service's own `/openapi.json`, and its JSON body must validate against the schema documented
 * for that status and media type (JSON Schema 2020-12, as OpenAPI 3.1 uses, with Ajv). A path the
 * document does not know must answer a problem (404, 405) that validates against `Problem`.
 * `/openapi.json` and `/docs` are the contract itself and are not checked.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'vitest';

type Doc = { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> };

interface Contract {
  readonly doc: Doc;
  readonly ajv: Ajv2020;
  readonly validators: Map<string, ValidateFunction>;
  readonly routes: ReadonlyArray<{ readonly template: string; readonly pattern: RegExp }>;
}

const contracts = new Map<string, Promise<Contract>>();

async function load(baseUrl: string): Promise<Contract> {
  const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)) });
  ajv.addSchema(doc as object, 'openapi');
  const routes = Object.keys(doc.paths).map((template) => ({ template, pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`) }));
  return { doc, ajv, validators: new Map(), routes };
}

const pointer = (...parts: string[]): string => `openapi#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

function validator(contract: Contract, ref: string): ValidateFunction {
  let v = contract.validators.get(ref);
  if (v === undefined) {
    v = contract.ajv.compile({ $ref: ref });
    contract.validators.set(ref, v);
  }
  return v;
}

export interface ReceivedAnswer {
  readonly method: string;
  /** The request path, with its query. */
  readonly path: string;
  readonly status: number;
  readonly contentType: string | null;
  /** The body as received (text). */
  readonly text: string;
}

/** What is wrong with `answer` by the contract; empty when it keeps it. */
export async function contractViolations(baseUrl: string, answer: ReceivedAnswer): Promise<string[]> {
  const path = answer.path.split('?')[0] ?? answer.path;
  if (path === '/openapi.json' || path === '/docs') return [];
  let pending = contracts.get(baseUrl);
  if (pending === undefined) {
    pending = load(baseUrl);
    contracts.set(baseUrl, pending);
  }
  const contract = await pending;
  const where = `${answer.method} ${path} → ${answer.status}`;
  const mediaType = (answer.contentType ?? '').split(';')[0]?.trim() ?? '';
  const route = contract.routes.find((r) => r.pattern.test(path));
  const operation = route === undefined ? undefined : contract.doc.paths[route.template]?.[answer.method.toLowerCase()];
  if (route === undefined || operation === undefined) {
    // Not a documented operation: only a problem may answer.
    if (mediaType !== 'application/problem+json') return [`${where}: an undocumented operation answered ${mediaType || 'without a body'}, not a problem`];
    const check = validator(contract, pointer('components', 'schemas', 'Problem'));
    return check(JSON.parse(answer.text)) ? [] : [`${where}: ${contract.ajv.errorsText(check.errors)}`];
  }
  const statusKey = operation.responses?.[String(answer.status)] !== undefined ? String(answer.status) : operation.responses?.['default'] !== undefined ? 'default' : undefined;
  if (statusKey === undefined) return [`${where}: status not documented for ${answer.method} ${route.template}`];
  const content = operation.responses?.[statusKey]?.content;
  if (answer.text === '') return content === undefined || answer.status === 204 ? [] : [`${where}: documented with a body, answered none`];
  if (content === undefined) return [`${where}: answered a body the document does not describe`];
  if (content[mediaType] === undefined) return [`${where}: media type ${mediaType} not documented (${Object.keys(content).join(', ')})`];
  if (!/json$/.test(mediaType)) return [];
  const check = validator(contract, pointer('paths', route.template, answer.method.toLowerCase(), 'responses', statusKey, 'content', mediaType, 'schema'));
  return check(JSON.parse(answer.text)) ? [] : [`${where}: ${contract.ajv.errorsText(check.errors)}`];
}

/** Fails the test when `answer` breaks the contract. */
export async function expectContract(baseUrl: string, answer: ReceivedAnswer): Promise<void> {
  expect(await contractViolations(baseUrl, answer), 'the answer must match /openapi.json').toEqual([]);
}
