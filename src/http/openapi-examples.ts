/**
 * Examples of the OpenAPI document: the RP API's main answers, with fictitious values (a test
 * person of the development fixtures). The contract test checks each against its schema.
 */
export const openApiExamples = {
  createPresentationBody: { use_case: 'pid-basic', flow: 'cross_device' },
  createPresentationResponse: {
    transaction_id: 'Jq3x0cS2pJ9H7sVbQm1n4rTe',
    client_id: 'x509_hash:FczkiWH73lELlmHT-bwjS4ZBev7WzGCKC-1PCTtWZkc',
    request_uri: 'https://verifier.example/wallet/request/CzWVcb9BeRvqwVYJJoc9PketH-Lq5h7X',
    request_uri_method: 'get',
    authorization_request_uri:
      'openid4vp://?client_id=x509_hash%3AFczkiWH73lELlmHT-bwjS4ZBev7WzGCKC-1PCTtWZkc&request_uri=https%3A%2F%2Fverifier.example%2Fwallet%2Frequest%2FCzWVcb9BeRvqwVYJJoc9PketH-Lq5h7X',
    expires_at: '2026-12-07T10:05:00.000Z',
  },
  presentationResult: {
    transaction_id: 'Jq3x0cS2pJ9H7sVbQm1n4rTe',
    status: 'verified',
    use_case: 'pid-basic',
    flow: 'cross_device',
    created_at: '2026-12-07T10:00:00.000Z',
    expires_at: '2026-12-07T10:05:00.000Z',
    credentials: [
      {
        query_id: 'pid',
        format: 'dc+sd-jwt',
        type: 'urn:eudi:pid:1',
        issuer: 'https://pid-issuer.test.eudi.example',
        claims: { given_name: 'Anna', family_name: 'Andersson', birthdate: '1985-03-14' },
        trust: {
          anchorId: 'pid-root-ca',
          anchorSubject: 'CN=Test PID Root CA, O=EUDI Verifier Fixtures, C=SE',
          category: 'pid',
          list: 'dev-pid-providers.lote.jws',
          service: 'Test PID issuance',
          leafSubject: 'CN=Test PID Issuer, O=EUDI Verifier Fixtures, C=SE',
          leafId: 'p3bU0Uq1a3Nw5dC5m8gk9vF4tXbq1Y2oVdJ2mX1sQ0E',
        },
        holder_bound: true,
        valid_until: '2027-12-07T00:00:00.000Z',
        status: 'valid',
        status_ref: { idx: 0, uri: 'https://pid-issuer.test.eudi.example/status-lists/pid-1' },
      },
    ],
  },
  useCases: {
    use_cases: [
      {
        id: 'pid-basic',
        version: 1,
        purpose: { sv: 'Vi behöver ditt namn och födelsedatum för att identifiera dig.', en: 'We need your name and date of birth to identify you.' },
        credentials: [
          {
            query_id: 'pid',
            format: 'dc+sd-jwt',
            types: ['urn:eudi:pid:1'],
            claims: [
              { path: ['given_name'], label: { sv: 'förnamn', en: 'first name' } },
              { path: ['family_name'], label: { sv: 'efternamn', en: 'last name' } },
              { path: ['birthdate'], label: { sv: 'födelsedatum', en: 'date of birth' } },
            ],
            trust_categories: ['pid'],
          },
        ],
        dcql_query: {
          credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claims: [{ path: ['given_name'] }, { path: ['family_name'] }, { path: ['birthdate'] }] }],
        },
        status_policy: 'reject',
        result_ttl_seconds: 600,
        portal_session: false,
      },
    ],
  },
  invalidRequest: {
    type: 'urn:eudi-verifier:error:USE_CASE_UNKNOWN',
    title: 'The requested use case does not exist.',
    status: 400,
    code: 'USE_CASE_UNKNOWN',
    error: 'invalid_request',
    error_description: 'The requested use case does not exist.',
  },
  unauthorized: {
    type: 'urn:eudi-verifier:error:UNAUTHORIZED',
    title: 'A valid API key is required (Authorization: Bearer <key>).',
    status: 401,
    code: 'UNAUTHORIZED',
    error: 'invalid_client',
    error_description: 'A valid API key is required (Authorization: Bearer <key>).',
  },
  eventStream:
    'retry: 2000\n\nid: 1\nevent: status\ndata: {"transaction_id":"Jq3x0cS2pJ9H7sVbQm1n4rTe","status":"pending","expires_at":"2026-12-07T10:05:00.000Z"}\n\nid: 2\nevent: status\ndata: {"transaction_id":"Jq3x0cS2pJ9H7sVbQm1n4rTe","status":"request_retrieved","expires_at":"2026-12-07T10:05:00.000Z"}\n\nid: 3\nevent: status\ndata: {"transaction_id":"Jq3x0cS2pJ9H7sVbQm1n4rTe","status":"verified","expires_at":"2026-12-07T10:05:00.000Z"}\n\n',
} as const;
