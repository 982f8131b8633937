/**
 * Helpers shared by the trusted-list parsers (ETSI TS 119 612 XML, TS 119 602 JSON).
 *
 * Every failure becomes `TRUST_LIST_INVALID` with the list name in the detail; list content
 * enters a detail only when it is fixed vocabulary (element names, service names), never
 * free-form input.
 */
import { isServiceError, ServiceError } from '../errors.ts';
import { decodeBase64Strict } from './base64.ts';

/** A `TRUST_LIST_INVALID` error naming the list. */
export function invalidList(listName: string, detail: string): ServiceError {
  return new ServiceError('TRUST_LIST_INVALID', `${listName}: ${detail}`);
}

/**
 * Runs `parse`, turning anything it throws that is not a {@link ServiceError} into
 * `TRUST_LIST_INVALID`, so a parser fails only with catalogued errors.
 */
export function guardListParse<T>(listName: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isServiceError(error)) throw error;
    throw invalidList(listName, 'the list could not be parsed');
  }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Parses an xsd:dateTime / RFC 3339 date-time with a zone; `undefined` for an absent value. */
export function parseListDate(value: string | undefined, listName: string, field: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const time = DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw invalidList(listName, `${field} is not a date-time with a time zone`);
  return new Date(time);
}

/** Decodes a base64 certificate value; whitespace (line breaks in XML) is ignored. */
export function decodeCertificateValue(value: string, listName: string, service: string): Uint8Array {
  const der = decodeBase64Strict(value.replace(/\s+/g, ''));
  if (!der) throw invalidList(listName, `certificate of service "${service}" is not base64`);
  return der;
}
