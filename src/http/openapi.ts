/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate the requests and
 * describe the answers. Every named schema is a component referenced with `$ref`; the error codes
 * are one enum with a description per code (from the closed catalogue, src/errors.ts); the RP API's
 * main answers carry examples. What JSON Schema generation leaves behind that a reader or a client
 * generator should not see — `$schema` and `$id` on every component, the ±(2^53 − 1) bounds of
 * integers, the date-time regular expression beside `format: date-time` — is removed.
 *
 * tests/integration/openapi-contract.test.ts validates the answers of the integration tests
 * against this document.
 */
import { z } from 'zod';
import { errorCatalog } from '../errors.ts';
import {
  zCreatePresentationBody,
  zCreatePresentationResponse,
  zCredentialResult,
  zDiscardedPresentation,
  zErrorCode,
  zForms,
  zPresentationResult,
  zPresentationStatus,
  zProblem,
  zStatusRef,
  zTransactionError,
  zTrustEvidence,
  zUseCases,
  zWalletRequestPost,
} from './z-api.ts';
import { zCompleteStepUpBody, zCreateSessionBody, zLogView, zPrefilledForm, zSessionView, zSwitchRoleBody } from './z-sessions-api.ts';
import { openApiExamples } from './openapi-examples.ts';
import { zGrantMandateBody, zMandateList, zMandateOffer, zMandateView } from './z-mandates-api.ts';

type JsonObject = Record<string, unknown>;

/** Answers (output): defaults are filled in, so a defaulted member is always present. */
const answers = {
  CreatePresentationResponse: zCreatePresentationResponse,
  PresentationResult: zPresentationResult,
  CredentialResult: zCredentialResult,
  TrustEvidence: zTrustEvidence,
  StatusRef: zStatusRef,
  TransactionError: zTransactionError,
  DiscardedPresentation: zDiscardedPresentation,
  PresentationStatus: zPresentationStatus,
  Problem: zProblem,
  ErrorCode: zErrorCode,
  SessionView: zSessionView,
  PrefilledForm: zPrefilledForm,
  LogView: zLogView,
  UseCases: zUseCases,
  Forms: zForms,
  MandateView: zMandateView,
  MandateList: zMandateList,
  MandateOffer: zMandateOffer,
} as const;

/** Request bodies (input): a defaulted member may be left out. */
const bodies = {
  CreatePresentationBody: zCreatePresentationBody,
  CreateSessionBody: zCreateSessionBody,
  SwitchRoleBody: zSwitchRoleBody,
  CompleteStepUpBody: zCompleteStepUpBody,
  WalletRequestPost: zWalletRequestPost,
  GrantMandateBody: zGrantMandateBody,
} as const;

type SchemaName = keyof typeof answers | keyof typeof bodies;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Removes what JSON Schema generation leaves behind (see the module header), recursively. */
function clean(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(clean);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node as JsonObject)) {
    if (key === '$schema' || key === '$id') continue;
    if ((key === 'minimum' && value === -MAX_SAFE) || (key === 'maximum' && value === MAX_SAFE)) continue;
    if (key === 'pattern' && ((node as JsonObject)['format'] === 'date-time' || (node as JsonObject)['format'] === 'date')) continue;
    if (key === 'propertyNames' && JSON.stringify(value) === '{"type":"string"}') continue;
    out[key] = clean(value);
  }
  return out;
}

function componentSchemas(): Record<SchemaName, unknown> {
  const generate = (schemas: Readonly<Record<string, z.ZodType>>, io: 'input' | 'output'): JsonObject => {
    const registry = z.registry<{ id: string }>();
    for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
    return z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` }).schemas as JsonObject;
  };
  const all = clean({ ...generate(answers, 'output'), ...generate(bodies, 'input') }) as Record<SchemaName, unknown>;
  const codes = Object.keys(errorCatalog);
  return {
    ...all,
    ErrorCode: {
      type: 'string',
      description: 'Stable error code from the closed catalogue. Each code, with a sentence an RP may show the citizen in Swedish and English, is listed in docs/error-codes.md.',
      enum: codes,
      'x-enumDescriptions': Object.fromEntries(Object.entries(errorCatalog).map(([code, spec]) => [code, `${spec.title} (HTTP ${spec.status})`])),
    },
  };
}

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });

const json = (name: SchemaName, example?: keyof typeof openApiExamples) => ({
  'application/json': { schema: ref(name), ...(example !== undefined && { example: openApiExamples[example] }) },
});

const problem = (description: string, example?: keyof typeof openApiExamples) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem'), ...(example !== undefined && { example: openApiExamples[example] }) } },
});

/** Every operation may also answer with any other problem (rate limit, store down, …). */
const otherProblems = { default: problem('Any other error: a problem with its code (429 RATE_LIMITED, 503 STORE_UNAVAILABLE, …)') };

const security = [{ apiKey: [] }];
const unauthorized = { '401': problem('Missing or wrong API key (UNAUTHORIZED)', 'unauthorized') };

export function openApiDocument(publicBaseUrl: string): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'EUDI wallet verifier',
      version: '1',
      description:
        'OpenID4VP 1.0 verifier: relying parties start presentations and read verified, minimal claims; portal sessions with representation. The RP API (`/v1/*`) is for RP back ends only (no CORS), authenticated with `Authorization: Bearer <api key>`. Errors are RFC 9457 problem details with a stable `code` (the ErrorCode enum). The integration guide is docs/integrating.md.',
    },
    servers: [{ url: publicBaseUrl }],
    tags: [
      { name: 'presentations', description: 'Start a presentation, follow it, read the verified claims' },
      { name: 'catalogue', description: 'What the calling RP may ask for' },
      { name: 'sessions', description: 'Portal sessions: roles, prefill, logs, step-up (docs/representation.md)' },
      { name: 'wallet', description: 'Called by the wallet (OpenID4VP 1.0), not by the RP' },
      { name: 'operations', description: 'Health, readiness, metrics' },
    ],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'RP client API key' } },
      schemas: componentSchemas(),
    },
    paths: {
      '/v1/presentations': {
        post: {
          tags: ['presentations'],
          summary: 'Start a presentation for a registered use case',
          security,
          requestBody: { required: true, content: json('CreatePresentationBody', 'createPresentationBody') },
          responses: {
            '201': { description: 'Created: hand `authorization_request_uri` to the wallet (QR code or link)', content: json('CreatePresentationResponse', 'createPresentationResponse') },
            '400': problem('Invalid body (INVALID_REQUEST), unknown use case (USE_CASE_UNKNOWN), same-device without redirect_uri (REDIRECT_URI_REQUIRED)', 'invalidRequest'),
            ...unauthorized,
            '403': problem('Use case not registered for this client (USE_CASE_NOT_ALLOWED)'),
            ...otherProblems,
          },
        },
      },
      '/v1/presentations/{transaction_id}': {
        get: {
          tags: ['presentations'],
          summary: 'Status and, once verified, the requested claims with issuer and trust evidence',
          security,
          parameters: [
            { name: 'transaction_id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'response_code', in: 'query', required: false, schema: { type: 'string' }, description: 'Same-device flow: the response_code from the wallet redirect (single use)' },
          ],
          responses: {
            '200': { description: 'The transaction', content: json('PresentationResult', 'presentationResult') },
            ...unauthorized,
            '403': problem('Wrong or already used response_code (RESPONSE_CODE_INVALID)'),
            '404': problem("Unknown transaction, or another client's (TRANSACTION_NOT_FOUND)"),
            ...otherProblems,
          },
        },
      },
      '/v1/presentations/{transaction_id}/events': {
        get: {
          tags: ['presentations'],
          summary: 'Server-Sent Events of the status changes; the stream ends after a final status',
          description:
            'First the current status, then one `event: status` per change — `request_retrieved`, then `verified`, `failed` or `expired` — none merged into the next, each with a PresentationStatus as `data` (no claims: read them with GET /v1/presentations/{transaction_id}). A comment every 15 s keeps proxies open; `retry` asks 2 s between reconnects. A store failure ends the stream with `event: stream_error` and `{"code"}`.',
          security,
          parameters: [{ name: 'transaction_id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The event stream; each `data` line is a PresentationStatus',
              content: { 'text/event-stream': { schema: { type: 'string' }, example: openApiExamples.eventStream } },
            },
            ...unauthorized,
            '404': problem('Unknown transaction (TRANSACTION_NOT_FOUND)'),
            ...otherProblems,
          },
        },
      },
      '/v1/use-cases': {
        get: {
          tags: ['catalogue'],
          summary: 'The use cases this client may start: purpose, credentials, claims, formats, trust categories',
          security,
          responses: { '200': { description: 'The use cases, in the order of the client registration', content: json('UseCases', 'useCases') }, ...unauthorized, ...otherProblems },
        },
      },
      '/v1/forms': {
        get: {
          tags: ['catalogue'],
          summary: "The forms this client's portal sessions can prefill (empty without portal use cases)",
          security,
          responses: { '200': { description: 'The forms', content: json('Forms') }, ...unauthorized, ...otherProblems },
        },
      },
      '/wallet/request/{request_id}': {
        get: {
          tags: ['wallet'],
          summary: 'Signed request object (OpenID4VP 1.0 §5.10)',
          parameters: [{ name: 'request_id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'JAR (RFC 9101)', content: { 'application/oauth-authz-req+jwt': { schema: { type: 'string' } } } }, ...otherProblems },
        },
        post: {
          tags: ['wallet'],
          summary: 'Signed request object, request_uri_method=post (OpenID4VP 1.0 §5.10.1)',
          parameters: [{ name: 'request_id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { content: { 'application/x-www-form-urlencoded': { schema: ref('WalletRequestPost') } } },
          responses: { '200': { description: 'JAR (RFC 9101)', content: { 'application/oauth-authz-req+jwt': { schema: { type: 'string' } } } }, ...otherProblems },
        },
      },
      '/wallet/response/{request_id}': {
        post: {
          tags: ['wallet'],
          summary: 'Authorization response (direct_post, direct_post.jwt; OpenID4VP 1.0 §8.2, §8.3)',
          parameters: [{ name: 'request_id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: {
            content: {
              'application/x-www-form-urlencoded': {
                schema: { type: 'object', properties: { response: { type: 'string' }, vp_token: { type: 'string' }, state: { type: 'string' }, error: { type: 'string' }, error_description: { type: 'string' } } },
              },
            },
          },
          responses: {
            '200': {
              description: 'Accepted; a same-device answer carries the redirect_uri with the response_code in its fragment',
              content: { 'application/json': { schema: { type: 'object', properties: { redirect_uri: { type: 'string' } }, additionalProperties: false } } },
            },
            '400': problem('Rejected, with the code and the OAuth error value'),
            ...otherProblems,
          },
        },
      },
      '/v1/dc-api.js': {
        get: {
          tags: ['wallet'],
          summary: 'The browser module an RP page embeds for the W3C Digital Credentials API (plain ES module; public, CORS-readable; docs/dc-api.md)',
          responses: { '200': { description: 'ES module', content: { 'text/javascript': { schema: { type: 'string' } } } } },
        },
      },
      '/wallet/dc-api/{request_id}': {
        post: {
          tags: ['wallet'],
          summary: 'The DigitalCredential the browser returned, posted by the RP page (W3C Digital Credentials API; OpenID4VP 1.0 Appendix A; ISO/IEC 18013-7 Annex C)',
          parameters: [{ name: 'request_id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { protocol: { type: 'string' }, data: { type: 'object' } }, required: ['protocol', 'data'] } } } },
          responses: {
            '200': {
              description: 'Accepted; the response_code reads the result once (GET /v1/presentations/{id}?response_code=…)',
              content: { 'application/json': { schema: { type: 'object', properties: { response_code: { type: 'string' } }, additionalProperties: false } } },
            },
            '400': problem('Rejected, with the code and the OAuth error value'),
            ...otherProblems,
          },
        },
      },
      ...sessionPaths(),
      ...mandatePaths(),
      '/healthz': {
        get: {
          tags: ['operations'],
          summary: 'Liveness',
          responses: { '200': { description: 'The process runs', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] } } } } },
        },
      },
      '/readyz': {
        get: {
          tags: ['operations'],
          summary: 'Readiness: the store answers, trusted lists loaded and current, anchors for every category in use',
          responses: {
            '200': { description: 'Ready; the state of each trusted list and of the store', content: { 'application/json': { schema: readiness('ready') } } },
            '503': { description: 'Not ready (NOT_READY); the same details say why', content: { 'application/json': { schema: readiness('not_ready') } } },
          },
        },
      },
      '/metrics': { get: { tags: ['operations'], summary: 'Prometheus metrics (no personal data)', responses: { '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
      '/.well-known/jwks.json': {
        get: {
          tags: ['operations'],
          summary: "The service's public signing keys (RFC 7517 JWK Set): relying parties verify webhook events signed as JWS with them (docs/webhooks.md)",
          responses: {
            '200': {
              description: 'JWK Set',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['keys'],
                    properties: {
                      keys: {
                        type: 'array',
                        items: {
                          type: 'object',
                          required: ['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use'],
                          properties: { kty: { const: 'EC' }, crv: { const: 'P-256' }, x: { type: 'string' }, y: { type: 'string' }, kid: { type: 'string' }, alg: { const: 'ES256' }, use: { const: 'sig' } },
                          additionalProperties: false,
                        },
                      },
                    },
                    additionalProperties: false,
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

const readiness = (status: 'ready' | 'not_ready') => ({
  type: 'object',
  properties: {
    status: { const: status },
    ...(status === 'not_ready' && { code: { const: 'NOT_READY' } }),
    store: { type: 'object', description: 'The store kind and its state' },
    profile: {
      type: 'object',
      description: 'The interoperability profile in force (PROFILE, docs/haip.md): haip (OpenID4VC HAIP 1.0 and nothing looser, with what it allows) or open',
      properties: { name: { enum: ['haip', 'open'] } },
      required: ['name'],
    },
    trust_lists: { type: 'array', items: { type: 'object' }, description: 'Each trusted list: name, format, state, anchors, issued, next_update, age' },
  },
  required: ['status'],
});

/** The portal session API (`/v1/sessions`; portal/, docs/representation.md). */
function sessionPaths(): JsonObject {
  const tags = ['sessions'];
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Session id' };
  const gone = {
    ...unauthorized,
    '404': problem("Unknown session, or another client's (SESSION_NOT_FOUND)"),
    '410': problem('The session has expired (SESSION_EXPIRED)'),
    ...otherProblems,
  };
  return {
    '/v1/sessions': {
      post: {
        tags,
        summary: 'Create a portal session from a verified transaction (once): subject, roles, active role',
        security,
        requestBody: { required: true, content: json('CreateSessionBody') },
        responses: {
          '201': { description: 'The session; representation credentials that gave no role are listed with their code', content: json('SessionView') },
          '400': problem('No PID subject (SESSION_SUBJECT_MISSING), or the use case defines no portal session (SESSION_USE_CASE_NOT_PORTAL)'),
          ...unauthorized,
          '403': problem('Same-device transaction without a valid response_code (RESPONSE_CODE_REQUIRED, RESPONSE_CODE_INVALID)'),
          '404': problem('Unknown transaction (TRANSACTION_NOT_FOUND)'),
          '409': problem('Transaction not verified (SESSION_TRANSACTION_NOT_VERIFIED), or already used for a session (SESSION_ALREADY_CREATED)'),
          ...otherProblems,
        },
      },
    },
    '/v1/sessions/{id}': {
      get: { tags, summary: 'The session: subject, roles, active role, refused representations, forms for the active role', security, parameters: [id], responses: { '200': { description: 'The session', content: json('SessionView') }, ...gone } },
      delete: { tags, summary: 'Log out: delete the session and every claim it held', security, parameters: [id], responses: { '204': { description: 'Deleted' }, ...gone } },
    },
    '/v1/sessions/{id}/active-role': {
      put: {
        tags,
        summary: 'Switch the active role; a representation is re-checked (validity, status) first and removed if it no longer holds',
        security,
        parameters: [id],
        requestBody: { required: true, content: json('SwitchRoleBody') },
        responses: {
          '200': { description: 'The session', content: json('SessionView') },
          '403': problem("The role's representation has ended or was revoked (REPRESENTATION_*)"),
          ...gone,
          '404': problem('Unknown session (SESSION_NOT_FOUND) or role (ROLE_NOT_FOUND)'),
        },
      },
    },
    '/v1/sessions/{id}/prefill/{form}': {
      get: {
        tags,
        summary: 'Prefill a form for the active role: each field with its verified source, or empty',
        security,
        parameters: [id, { name: 'form', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'The prefilled form', content: json('PrefilledForm') },
          '403': problem('The form is not available for the active role (FORM_NOT_ALLOWED_FOR_ROLE, REPRESENTATION_SCOPE)'),
          ...gone,
          '404': problem('Unknown session (SESSION_NOT_FOUND) or form (FORM_NOT_FOUND)'),
        },
      },
    },
    '/v1/sessions/{id}/disclosures': {
      get: {
        tags,
        summary: "The citizen's sharing log: what was shared, with whom, why, in which role (claim names, never values)",
        security,
        parameters: [id],
        responses: { '200': { description: 'Log entries, newest first', content: json('LogView') }, ...gone },
      },
    },
    '/v1/sessions/{id}/acted-on-my-behalf': {
      get: {
        tags,
        summary: 'What representatives did on behalf of the logged-in person (or of the company of the active signatory role)',
        security,
        parameters: [id],
        responses: { '200': { description: 'Log entries, newest first', content: json('LogView') }, ...gone },
      },
    },
    '/v1/sessions/{id}/presentations': {
      post: {
        tags,
        summary: 'Step-up: start a presentation bound to this session (its PID must identify the same person)',
        security,
        parameters: [id],
        requestBody: { required: true, content: json('CreatePresentationBody') },
        responses: {
          '201': { description: 'Created', content: json('CreatePresentationResponse') },
          '400': problem('Invalid request, or a use case without a portal section'),
          '403': problem('Use case not registered for this client (USE_CASE_NOT_ALLOWED)'),
          ...gone,
        },
      },
    },
    '/v1/sessions/{id}/presentations/{transaction_id}': {
      post: {
        tags,
        summary: 'Step-up: add the verified presentation to the session (roles, claims)',
        security,
        parameters: [id, { name: 'transaction_id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: false, content: json('CompleteStepUpBody') },
        responses: {
          '200': { description: 'The session', content: json('SessionView') },
          '403': problem('The presentation identifies another person (STEP_UP_SUBJECT_MISMATCH), or a missing or wrong response_code'),
          '409': problem('The transaction is not verified yet'),
          ...gone,
          '404': problem('Unknown session (SESSION_NOT_FOUND) or step-up (STEP_UP_NOT_FOUND)'),
        },
      },
    },
  };
}

/** Powers of attorney on behalf of a portal session (docs/mandates.md). */
function mandatePaths(): JsonObject {
  const tags = ['sessions'];
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Session id' };
  const mandateId = { name: 'mandateId', in: 'path', required: true, schema: { type: 'string' }, description: 'Mandate id' };
  const gone = {
    ...unauthorized,
    '404': problem('Unknown session (SESSION_NOT_FOUND), or no such mandate of this person (MANDATE_NOT_FOUND)'),
    '410': problem('The session has expired (SESSION_EXPIRED)'),
    ...otherProblems,
  };
  const refused = problem('A grant refused: MANDATE_SELF_GRANT, MANDATE_AGENT_INVALID, MANDATE_PERIOD_INVALID, MANDATE_SCOPE_UNKNOWN, INVALID_REQUEST');
  // A company mandate is granted and managed only with a verified sole company-signatory role active (docs/mandates.md).
  const companyRole =
    'for a company mandate: no active company-signatory role (MANDATE_SIGNATORY_ROLE_REQUIRED), a signatory who signs jointly (MANDATE_SIGNATORY_RULE_JOINT) or under a limited rule (MANDATE_SIGNATORY_RULE_LIMITED), or a signatory role that no longer holds (REPRESENTATION_EXPIRED, REPRESENTATION_REVOKED, REPRESENTATION_STATUS_UNKNOWN)';
  const companyRefused = { '403': problem(`Refused ${companyRole}`) };
  return {
    '/v1/sessions/{id}/mandates': {
      post: {
        tags,
        summary: 'Grant a power of attorney as the logged-in person, or with "on_behalf_of": "company" a company mandate as the sole signatory of the active role; it is offered to the agent',
        security,
        parameters: [id],
        requestBody: { required: true, content: json('GrantMandateBody') },
        responses: { '201': { description: 'Granted', content: json('MandateView') }, '400': refused, '403': problem(`A scope the granter may not delegate (MANDATE_SCOPE_NOT_DELEGABLE), or ${companyRole}`), ...gone, '401': problem('Not logged in with a full PID (MANDATE_LOGIN_REQUIRED) or a wrong API key (UNAUTHORIZED)') },
      },
      get: { tags, summary: "The mandates the logged-in person granted, those granted to them, and with a sole company-signatory role active the company's", security, parameters: [id], responses: { '200': { description: 'Both lists', content: json('MandateList') }, ...gone } },
    },
    '/v1/sessions/{id}/mandates/{mandateId}': {
      get: { tags, summary: "One mandate the logged-in person granted, or one of the company's", security, parameters: [id, mandateId], responses: { '200': { description: 'The mandate', content: json('MandateView') }, ...companyRefused, ...gone } },
      put: {
        tags,
        summary: 'Change: revoke the mandate and grant a new one with these terms',
        security,
        parameters: [id, mandateId],
        requestBody: { required: true, content: json('GrantMandateBody') },
        responses: { '201': { description: 'The new mandate', content: json('MandateView') }, '400': refused, '409': problem('Already revoked (MANDATE_STATE_CONFLICT)'), '403': problem(`A scope the granter may not delegate (MANDATE_SCOPE_NOT_DELEGABLE), or refused ${companyRole}`), ...gone },
      },
    },
    '/v1/sessions/{id}/mandates/{mandateId}/revoke': {
      post: {
        tags,
        summary: 'Revoke: effective at the verifiers\' next status list refresh',
        security,
        parameters: [id, mandateId],
        responses: { '200': { description: 'The revoked mandate', content: json('MandateView') }, '409': problem('Already revoked (MANDATE_STATE_CONFLICT)'), ...companyRefused, ...gone },
      },
    },
    '/v1/sessions/{id}/mandates/{mandateId}/offer': {
      post: {
        tags,
        summary: 'As the agent: a credential offer (OpenID4VCI 1.0) with a pre-authorized code bound to them',
        security,
        parameters: [id, mandateId],
        responses: { '201': { description: 'The offer', content: json('MandateOffer') }, '409': problem('Not offered any more (MANDATE_STATE_CONFLICT)'), ...gone },
      },
    },
  };
}
