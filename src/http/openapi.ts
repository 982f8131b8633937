/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate the requests.
 */
import { z } from 'zod';
import { zCreatePresentationBody, zCreatePresentationResponse, zPresentationResult, zProblem, zWalletRequestPost } from './z-api.ts';

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
      '/healthz': { get: { summary: 'Liveness', responses: { '200': { description: 'OK' } } } },
      '/readyz': { get: { summary: 'Readiness: store and trust anchors available', responses: { '200': { description: 'Ready' }, '503': problem('Not ready') } } },
      '/metrics': { get: { summary: 'Prometheus metrics (no personal data)', responses: { '200': { description: 'Metrics' } } } },
    },
  };
}
