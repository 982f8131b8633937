/**
 * Why the developer wallet cannot answer what it was given: the request URI answered with an error
 * (a request is answered once, before it expires), the test person holds no credential the request
 * asks for, or a credential offer is not one. These are the answers of the service or the choice of
 * test person, not faults of the wallet: the command line shows the message as one line.
 */
export class WalletCannotAnswer extends Error {
  override readonly name = 'WalletCannotAnswer';
}

/** "404 (NOT_FOUND: No such resource.)" for a problem+json or OAuth error answer, else the status alone. */
export function describeErrorAnswer(status: number, body: string): string {
  try {
    const json = JSON.parse(body) as { code?: unknown; title?: unknown; error?: unknown; error_description?: unknown };
    const code = typeof json.code === 'string' ? json.code : typeof json.error === 'string' ? json.error : undefined;
    const text = typeof json.title === 'string' ? json.title : typeof json.error_description === 'string' ? json.error_description : undefined;
    if (code !== undefined) return `${status} (${code}${text === undefined ? '' : `: ${text}`})`;
  } catch {
    // not JSON: the status says enough
  }
  return String(status);
}
