/**
 * RFC 9457 problem details for every error. Public text only: the catalog title or the throw
 * site's public message; internal details and stack traces never leave the process.
 */
import type { ServerResponse } from 'node:http';
import { errorCatalog, type ServiceError } from '../errors.ts';
import { sendJson } from './respond.ts';

export function sendProblem(res: ServerResponse, err: ServiceError, status = errorCatalog[err.code].status): void {
  const spec = errorCatalog[err.code];
  sendJson(
    res,
    status,
    {
      type: `urn:eudi-verifier:error:${err.code}`,
      title: spec.title,
      status,
      code: err.code,
      ...(err.publicMessage !== spec.title && { detail: err.publicMessage }),
      error: spec.oauth,
      error_description: err.publicMessage,
    },
    {},
    'application/problem+json',
  );
}
