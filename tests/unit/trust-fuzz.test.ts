/**
 * Property tests: the trust-list parsers, the XML signature check and chain validation fail only
 * with catalogued ServiceErrors, whatever the input — never a TypeError or a library exception;
 * and no edit of a signed XML list changes what it is read as without being refused.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.ts';
import { createRootCa, type IssuedCert } from '../../src/issuer/pki.ts';
import { buildLote, signTrustedListXml, writeTrustedListXml } from '../../src/issuer/trust-list-writer.ts';
import { verifyTrustedListXml } from '../../src/trust/verify-trusted-list-xml.ts';
import { anchorFromCertificate } from '../../src/trust/anchor.ts';
import { parseLoteJson } from '../../src/trust/parse-lote-json.ts';
import { parseTrustedListXml } from '../../src/trust/parse-trusted-list-xml.ts';
import { createTrustStore } from '../../src/trust/trust-store.ts';

function throwsOnlyServiceError(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (error) {
    return error instanceof ServiceError && error.code === 'TRUST_LIST_INVALID';
  }
}

const xmlFragments = [
  '<?xml version="1.0"?>',
  '<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#">',
  '</TrustServiceStatusList>',
  '<tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#">',
  '<SchemeInformation>',
  '</SchemeInformation>',
  '<NextUpdate><dateTime>2030-01-01T00:00:00Z</dateTime></NextUpdate>',
  '<ListIssueDateTime>x</ListIssueDateTime>',
  '<TrustServiceProviderList>',
  '</TrustServiceProviderList>',
  '<TrustServiceProvider><TSPServices><TSPService><ServiceInformation>',
  '</ServiceInformation></TSPService></TSPServices></TrustServiceProvider>',
  '<ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/EAA</ServiceTypeIdentifier>',
  '<ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted</ServiceStatus>',
  '<ServiceDigitalIdentity><DigitalId><X509Certificate>',
  '</X509Certificate></DigitalId></ServiceDigitalIdentity>',
  '<ServiceName><Name xml:lang="en">',
  '</Name></ServiceName>',
  '<StatusStartingTime>2026-01-01T00:00:00Z</StatusStartingTime>',
  'MIIB',
  '&amp;',
  '&#x10FFFF;',
  '&#99999999;',
  '<!-- c -->',
  '<![CDATA[x]]>',
  '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>',
];

let root: IssuedCert;
let validXml: string;
let validLote: object;
let signedXml: string;

beforeAll(async () => {
  root = await createRootCa({ subject: 'CN=Fuzz Root CA, O=Fuzz, C=SE' });
  const common = { issued: new Date(), nextUpdate: new Date(Date.now() + 86_400_000) };
  validXml = writeTrustedListXml({ operator: 'Fuzz', ...common, services: [{ name: 'Fuzz EAA', serviceType: 'http://uri.etsi.org/TrstSvc/Svctype/EAA', certDer: root.der }] });
  validLote = buildLote({ loteType: 'urn:fuzz', ...common, services: [{ name: 'Fuzz PID', serviceType: 'http://uri.etsi.org/19602/SvcType/PID/Issuance', certDer: root.der }] });
  signedXml = await signTrustedListXml(validXml, root);
});

/** Replaces one value somewhere in a JSON tree with `replacement`, at a position chosen by `pick`. */
function mutate(value: unknown, pick: number, replacement: unknown): unknown {
  const paths: Array<Array<string | number>> = [];
  const walk = (node: unknown, path: Array<string | number>): void => {
    paths.push(path);
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]));
    else if (typeof node === 'object' && node !== null) for (const [key, item] of Object.entries(node)) walk(item, [...path, key]);
  };
  walk(value, []);
  const target = paths[pick % paths.length] ?? [];
  if (target.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of target.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[target[target.length - 1] as string | number] = replacement;
  return copy;
}

describe('parsers fail only with ServiceError', () => {
  it('parseTrustedListXml on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => throwsOnlyServiceError(() => parseTrustedListXml(text, 'fuzz.xml'))), { numRuns: 300 });
  });

  it('parseTrustedListXml on sequences of trusted-list fragments', () => {
    const documents = fc.array(fc.oneof(fc.constantFrom(...xmlFragments), fc.string({ maxLength: 12 })), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(fc.property(documents, (text) => throwsOnlyServiceError(() => parseTrustedListXml(text, 'fuzz.xml'))), { numRuns: 300 });
  });

  it('parseTrustedListXml on a valid list with one slice replaced', () => {
    const edits = fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.oneof(fc.constantFrom(...xmlFragments), fc.string({ maxLength: 20 })));
    fc.assert(
      fc.property(edits, ([start, length, insert]) => {
        const at = start % validXml.length;
        return throwsOnlyServiceError(() => parseTrustedListXml(validXml.slice(0, at) + insert + validXml.slice(at + length), 'fuzz.xml'));
      }),
      { numRuns: 300 },
    );
  });

  it('verifyTrustedListXml on a signed list with one slice replaced: refused, or the content is unchanged', () => {
    const edits = fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.oneof(fc.constantFrom(...xmlFragments), fc.string({ maxLength: 20 })));
    const original = verifyTrustedListXml(signedXml, [root.der], new Date(), 'fuzz.xml').signedXml;
    fc.assert(
      fc.property(edits, ([start, length, insert]) => {
        const at = start % signedXml.length;
        try {
          return verifyTrustedListXml(signedXml.slice(0, at) + insert + signedXml.slice(at + length), [root.der], new Date(), 'fuzz.xml').signedXml === original;
        } catch (error) {
          return error instanceof ServiceError && error.code === 'TRUST_LIST_INVALID';
        }
      }),
      { numRuns: 300 },
    );
  });

  it('parseLoteJson on arbitrary values', () => {
    fc.assert(fc.property(fc.anything(), (value) => throwsOnlyServiceError(() => parseLoteJson(value, 'fuzz.json'))), { numRuns: 300 });
  });

  it('parseLoteJson on a valid LoTE with one value replaced', () => {
    fc.assert(fc.property(fc.nat(), fc.jsonValue({ maxDepth: 3 }), (pick, replacement) => throwsOnlyServiceError(() => parseLoteJson(mutate(validLote, pick, replacement), 'fuzz.json'))), { numRuns: 300 });
  });
});

describe('chain validation fails only with VerificationError', () => {
  it('validateIssuerChain on arbitrary x5c values', async () => {
    const store = createTrustStore([anchorFromCertificate(root.der, ['pid'], { list: 'fuzz', listType: 'etsi-119602', service: 'Fuzz', serviceType: 'urn:fuzz' })]);
    const x5c = fc.oneof(fc.array(fc.string({ maxLength: 60 }), { maxLength: 4 }), fc.array(fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString('base64')), { maxLength: 3 }), fc.anything());
    await fc.assert(
      fc.asyncProperty(x5c, async (value) => {
        const error = await store.validateIssuerChain({ x5c: value as string[], categories: ['pid'], now: new Date() }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ServiceError);
      }),
      { numRuns: 200 },
    );
  });
});
