/**
 * Developer wallet: reads an `openid4vp://` authorization request URI (OpenID4VP 1.0 §5) into the
 * parts the wallet needs to fetch the request object by reference.
 */
export interface AuthorizationRequestRef {
  readonly clientId: string;
  readonly requestUri: string;
  readonly requestUriMethod: 'get' | 'post';
}

export function parseAuthorizationRequestUri(uri: string): AuthorizationRequestRef {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new Error('not a URI');
  }
  if (!['openid4vp:', 'haip-vp:', 'https:', 'http:'].includes(u.protocol)) throw new Error(`unsupported scheme ${u.protocol}`);
  const clientId = u.searchParams.get('client_id');
  const requestUri = u.searchParams.get('request_uri');
  if (clientId === null || requestUri === null) throw new Error('client_id and request_uri are required (request by reference)');
  const method = u.searchParams.get('request_uri_method') ?? 'get';
  if (method !== 'get' && method !== 'post') throw new Error(`unsupported request_uri_method ${method}`);
  return { clientId, requestUri, requestUriMethod: method };
}
