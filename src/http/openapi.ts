/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate the requests.
 */
import { z } from 'zod';
import { zCreatePresentationBody, zCreatePresentationResponse, zPresentationResult, zProblem, zWalletRequestPost } from './z-api.ts';
import { zCompleteStepUpBody, zCreateSessionBody, zLogView, zPrefilledForm, zSessionView, zSwitchRoleBody } from './z-sessions-api.ts';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => ({ 'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: z.toJSONSchema(zProblem) } } });

export function openApiDocument(publicBaseUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'EUDI wallet verifier',
      version: '1',
      description: 'OpenID4VP 1.0 verifier: relying parties start presentations and read verified, minimal claims. Errors are RFC 9457 problem details with a stable `code`.',
    },
    servers: [{ url: publicBaseUrl }],
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'RP client API key' } } },
    paths: {
      '/v1/presentations': {
        post: {
          summary: 'Start a presentation for a registered use case',
          security: [{ apiKey: [] }],
          requestBody: { required: true, content: json(zCreatePresentationBody, 'input') },
          responses: {
            '201': { description: 'Created', content: json(zCreatePresentationResponse) },
            '400': problem('Invalid request'),
            '401': problem('Missing or wrong API key'),
            '403': problem('Use case not registered for this client'),
          },
        },
      },
      '/v1/presentations/{transaction_id}': {
        get: {
          summary: 'Status and, once verified, the requested claims with issuer and trust evidence',
          security: [{ apiKey: [] }],
          parameters: [
            { name: 'transaction_id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'response_code', in: 'query', required: false, schema: { type: 'string' }, description: 'Same-device flow: the response_code from the wallet redirect (single use)' },
          ],
          responses: {
            '200': { description: 'The transaction', content: json(zPresentationResult) },
            '401': problem('Missing or wrong API key'),
            '403': problem('Invalid response_code'),
            '404': problem('Unknown transaction'),
          },
        },
      },
      '/v1/presentations/{transaction_id}/events': {
        get: {
          summary: 'Server-Sent Events of the status changes (pending, request_retrieved, then verified, failed or expired); the stream ends after a final status',
          description:
            'Each change is one `event: status` whose data is `{"transaction_id","status","expires_at","error"?}` (no claims: read them with GET /v1/presentations/{transaction_id}). A comment every 15 s keeps proxies open; `retry` asks 2 s between reconnects. A store failure ends the stream with `event: stream_error` and `{"code"}`.',
          security: [{ apiKey: [] }],
          parameters: [{ name: 'transaction_id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
            '401': problem('Missing or wrong API key'),
            '404': problem('Unknown transaction'),
          },
        },
      },
      '/wallet/request/{request_id}': {
        get: { summary: 'Signed request object (OpenID4VP 1.0 §5.10)', responses: { '200': { description: 'JAR', content: { 'application/oauth-authz-req+jwt': {} } } } },
        post: {
          summary: 'Signed request object, request_uri_method=post',
          requestBody: { content: { 'application/x-www-form-urlencoded': { schema: z.toJSONSchema(zWalletRequestPost) } } },
          responses: { '200': { description: 'JAR', content: { 'application/oauth-authz-req+jwt': {} } } },
        },
      },
      '/wallet/response/{request_id}': {
        post: {
          summary: 'Authorization response (direct_post, direct_post.jwt)',
          requestBody: { content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { response: { type: 'string' }, vp_token: { type: 'string' }, state: { type: 'string' }, error: { type: 'string' } } } } } },
          responses: { '200': { description: 'Accepted; same-device answers carry redirect_uri' }, '400': problem('Rejected') },
        },
      },
      ...sessionPaths(),
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'OK' } } } },
      '/readyz': { get: { summary: 'Readiness: store and trust anchors available', responses: { '200': { description: 'Ready' }, '503': problem('Not ready') } } },
      '/metrics': { get: { summary: 'Prometheus metrics (no personal data)', responses: { '200': { description: 'Metrics' } } } },
    },
  };
}

/** The portal session API (`/v1/sessions`; portal/, docs/representation.md). */
function sessionPaths(): Record<string, unknown> {
  const security = [{ apiKey: [] }];
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Session id' };
  const gone = { '401': problem('Missing or wrong API key'), '404': problem('Unknown session, or another client\'s (SESSION_NOT_FOUND)'), '410': problem('The session has expired (SESSION_EXPIRED)') };
  return {
    '/v1/sessions': {
      post: {
        summary: 'Create a portal session from a verified transaction (once): subject, roles, active role',
        security,
        requestBody: { required: true, content: json(zCreateSessionBody, 'input') },
        responses: {
          '201': { description: 'The session; representation credentials that gave no role are listed with their code', content: json(zSessionView) },
          '400': problem('No PID subject, or the use case defines no portal session'),
          '401': problem('Missing or wrong API key'),
          '403': problem('Same-device transaction without a valid response_code'),
          '404': problem('Unknown transaction'),
          '409': problem('Transaction not verified, or already used for a session'),
        },
      },
    },
    '/v1/sessions/{id}': {
      get: { summary: 'The session: subject, roles, active role, refused representations, forms for the active role', security, parameters: [id], responses: { '200': { description: 'The session', content: json(zSessionView) }, ...gone } },
      delete: { summary: 'Log out: delete the session and every claim it held', security, parameters: [id], responses: { '204': { description: 'Deleted' }, ...gone } },
    },
    '/v1/sessions/{id}/active-role': {
      put: {
        summary: 'Switch the active role; a representation is re-checked (validity, status) first and removed if it no longer holds',
        security,
        parameters: [id],
        requestBody: { required: true, content: json(zSwitchRoleBody, 'input') },
        responses: { '200': { description: 'The session', content: json(zSessionView) }, '403': problem('The role\'s representation has ended or was revoked (REPRESENTATION_*)'), ...gone },
      },
    },
    '/v1/sessions/{id}/prefill/{form}': {
      get: {
        summary: 'Prefill a form for the active role: each field with its verified source, or empty',
        security,
        parameters: [id, { name: 'form', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The prefilled form', content: json(zPrefilledForm) }, '403': problem('The form is not available for the active role (FORM_NOT_ALLOWED_FOR_ROLE, REPRESENTATION_SCOPE)'), ...gone },
      },
    },
    '/v1/sessions/{id}/disclosures': {
      get: { summary: 'The citizen\'s sharing log: what was shared, with whom, why, in which role (claim names, never values)', security, parameters: [id], responses: { '200': { description: 'Log entries, newest first', content: json(zLogView) }, ...gone } },
    },
    '/v1/sessions/{id}/acted-on-my-behalf': {
      get: { summary: 'What representatives did on behalf of the logged-in person (or of the company of the active signatory role)', security, parameters: [id], responses: { '200': { description: 'Log entries, newest first', content: json(zLogView) }, ...gone } },
    },
    '/v1/sessions/{id}/presentations': {
      post: {
        summary: 'Step-up: start a presentation bound to this session (its PID must identify the same person)',
        security,
        parameters: [id],
        requestBody: { required: true, content: json(zCreatePresentationBody, 'input') },
        responses: { '201': { description: 'Created', content: json(zCreatePresentationResponse) }, '400': problem('Invalid request, or a use case without a portal section'), '403': problem('Use case not registered for this client'), ...gone },
      },
    },
    '/v1/sessions/{id}/presentations/{transaction_id}': {
      post: {
        summary: 'Step-up: add the verified presentation to the session (roles, claims)',
        security,
        parameters: [id, { name: 'transaction_id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: false, content: json(zCompleteStepUpBody, 'input') },
        responses: {
          '200': { description: 'The session', content: json(zSessionView) },
          '403': problem('The presentation identifies another person (STEP_UP_SUBJECT_MISMATCH), or a missing or wrong response_code'),
          '409': problem('The transaction is not verified yet'),
          ...gone,
        },
      },
    },
  };
}
