/**
 * mdoc DeviceResponse verification (ISO/IEC 18013-5 §9.3.1, §9.1.2; OpenID4VP 1.0 B.2): one
 * valid response, then a negative test for every issuer-side and structure rule, each named
 * after what it protects and expecting that rule's own code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Tag } from 'cbor-x';
import { verifyDeviceResponse, verifyMdocPresentation } from '../../src/formats/mdoc/verify-device-response.ts';
import { encodeCbor } from '../../src/cbor/encode-cbor.ts';
import { x509 } from '../../src/trust/x509.ts';
import { ServiceError } from '../../src/errors.ts';
import {
  buildDocument,
  context,
  createDocumentSigner,
  createHolder,
  createTestPki,
  deviceResponse,
  DOCTYPE,
  ELEMENTS,
  itemOf,
  itemTag,
  NOW,
  NS,
  type DocumentOptions,
  type Holder,
  type TestPki,
} from '../helpers/mdoc-builder.ts';

let pki: TestPki;
let holder: Holder;
const DAY = 86_400_000;

beforeAll(async () => {
  pki = await createTestPki();
  holder = await createHolder();
});

async function response(opts: Partial<DocumentOptions> = {}, status = 0): Promise<Uint8Array> {
  return deviceResponse([await buildDocument({ pki, holder, ...opts })], status);
}

async function rejects(bytes: Uint8Array, code: string, ctx = context(pki)): Promise<void> {
  const err = await verifyDeviceResponse(bytes, ctx).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ServiceError);
  expect((err as ServiceError).code).toBe(code);
}

describe('a valid DeviceResponse', () => {
  it('verifies: claims by namespace, typed values, trust evidence and the audit checks', async () => {
    const [doc] = await verifyDeviceResponse(await response(), context(pki));
    expect(doc?.credential).toMatchObject({ format: 'mso_mdoc', type: DOCTYPE, holderBound: true, trust: { category: 'mdl' } });
    expect(doc?.credential.issuer).toContain('Test Document Signer');
    expect(doc?.credential.claims).toEqual({
      [NS]: {
        family_name: 'Andersson',
        given_name: 'Anna',
        birth_date: '1985-03-14',
        issue_date: '2025-01-02',
        expiry_date: '2035-01-01',
        issuing_country: 'SE',
        document_number: 'T85031423',
        driving_privileges: [{ vehicle_category_code: 'B', issue_date: '2005-05-05', expiry_date: '2035-01-01' }],
      },
    });
    expect(doc?.credential.validity.validUntil).toBe(new Date(NOW.getTime() + 30 * DAY).toISOString());
    const checks = doc?.checks ?? [];
    expect(checks.every((c) => c.outcome === 'passed' || c.outcome === 'not_applicable')).toBe(true);
    expect(new Set(checks.map((c) => c.category))).toEqual(new Set(['DOCUMENT_FORMAT', 'ISSUER_AUTH', 'DATA_INTEGRITY', 'VALIDITY', 'DEVICE_AUTH']));
    expect(checks.find((c) => c.check.startsWith('The digest of each of the 8'))).toBeDefined();
    expect(JSON.stringify(checks)).not.toMatch(/Andersson|Anna|T85031423/);
    expect(doc?.credential.checks.length).toBe(checks.length);
  });

  it('verifies from base64url (the vp_token form)', async () => {
    const creds = await verifyMdocPresentation(Buffer.from(await response()).toString('base64url'), context(pki));
    expect(creds).toHaveLength(1);
  });

  it('verifies a selective disclosure: only the disclosed elements become claims', async () => {
    const [doc] = await verifyDeviceResponse(await response({ disclose: (items) => items.filter((i) => itemOf(i).get('elementIdentifier') === 'family_name') }), context(pki));
    expect(doc?.credential.claims).toEqual({ [NS]: { family_name: 'Andersson' } });
  });

  it('verifies with SHA-384 and SHA-512 digests, and with ES384 and ES512 device keys', async () => {
    for (const digestAlgorithm of ['SHA-384', 'SHA-512'] as const) {
      await expect(verifyDeviceResponse(await response({ issue: { digestAlgorithm } }), context(pki))).resolves.toHaveLength(1);
    }
    for (const [curve, alg] of [['P-384', -35], ['P-521', -36]] as const) {
      const h = await createHolder(curve);
      const bytes = deviceResponse([await buildDocument({ pki, holder: h, deviceProtected: new Map([[1, alg]]) })]);
      await expect(verifyDeviceResponse(bytes, context(pki))).resolves.toHaveLength(1);
    }
  });

  it('returns the MSO identifier_list reference (ISO/IEC 18013-5 2nd ed. §12.3.6), alone or with a status list', async () => {
    const identifierList = { id: new Uint8Array([1, 2, 3, 250]), uri: 'https://status.example/ids/1', certificate: pki.ds.der };
    const [alone] = await verifyDeviceResponse(await response({ issue: { identifierList } }), context(pki));
    expect(alone?.credential.identifierList).toEqual({ id: 'AQID-g', uri: 'https://status.example/ids/1', certificate: Buffer.from(pki.ds.der).toString('base64') });
    expect(alone?.credential.status).toBeUndefined();
    const [both] = await verifyDeviceResponse(await response({ issue: { identifierList, status: { idx: 3, uri: 'https://status.example/lists/1' } } }), context(pki));
    expect(both?.credential.status).toEqual({ idx: 3, uri: 'https://status.example/lists/1' });
    expect(both?.credential.identifierList?.id).toBe('AQID-g');
  });

  it.each([
    ['neither status_list nor identifier_list', new Map<string, unknown>()],
    ['an identifier_list without id', new Map<string, unknown>([['identifier_list', new Map<string, unknown>([['uri', 'https://status.example/ids/1']])]])],
    ['an identifier_list whose id is text', new Map<string, unknown>([['identifier_list', new Map<string, unknown>([['id', 'abc'], ['uri', 'https://status.example/ids/1']])]])],
    ['an identifier_list with an empty id', new Map<string, unknown>([['identifier_list', new Map<string, unknown>([['id', new Uint8Array(0)], ['uri', 'https://status.example/ids/1']])]])],
  ])('rejects an MSO status with %s (MDOC_STRUCTURE_INVALID)', async (_name, statusMap) => {
    await expect(verifyDeviceResponse(await response({ issue: { statusMap } }), context(pki))).rejects.toMatchObject({ code: 'MDOC_STRUCTURE_INVALID' });
  });

  it('reports each check to onCheck as it is made, also those before a failure', async () => {
    const seen: string[] = [];
    const [doc] = await verifyDeviceResponse(await response(), context(pki, { onCheck: (check) => seen.push(check.check) }));
    expect(seen).toEqual(doc?.checks.map((check) => check.check));
    const beforeFailure: string[] = [];
    await expect(verifyDeviceResponse(await response(), context(pki, { docType: 'org.example.other', onCheck: (check) => beforeFailure.push(check.check) }))).rejects.toMatchObject({ code: 'MDOC_DOCTYPE_MISMATCH' });
    expect(beforeFailure[0]).toMatch(/well-formed CBOR/);
  });

  it('returns the MSO status reference (Token Status List) without resolving it', async () => {
    const [doc] = await verifyDeviceResponse(await response({ issue: { status: { idx: 412, uri: 'https://status.example/lists/1' } } }), context(pki));
    expect(doc?.credential.status).toEqual({ idx: 412, uri: 'https://status.example/lists/1' });
  });

  it('verifies several documents when the credential query allows multiple', async () => {
    const docs = [await buildDocument({ pki, holder }), await buildDocument({ pki, holder })];
    await expect(verifyDeviceResponse(deviceResponse(docs), context(pki, { multiple: true }))).resolves.toHaveLength(2);
  });
});

describe('DeviceResponse and Document', () => {
  it('status ≠ 0 → MDOC_STATUS_NOT_OK', async () => rejects(await response({}, 10), 'MDOC_STATUS_NOT_OK'));

  it('an extra document without multiple → MDOC_DOCUMENT_EXTRA', async () => {
    await rejects(deviceResponse([await buildDocument({ pki, holder }), await buildDocument({ pki, holder })]), 'MDOC_DOCUMENT_EXTRA');
  });

  it('no documents → MDOC_DOCUMENT_MISSING', async () => {
    await rejects(encodeCbor(new Map<string, unknown>([['version', '1.0'], ['status', 0]])), 'MDOC_DOCUMENT_MISSING');
  });

  it('version other than "1.0" → MDOC_STRUCTURE_INVALID', async () => {
    await rejects(encodeCbor(new Map<string, unknown>([['version', '2.0'], ['documents', [await buildDocument({ pki, holder })]], ['status', 0]])), 'MDOC_STRUCTURE_INVALID');
  });

  it('a Document of another doctype than requested → MDOC_DOCTYPE_MISMATCH', async () => {
    await rejects(await response(), 'MDOC_DOCTYPE_MISMATCH', context(pki, { docType: 'eu.europa.ec.eudi.pid.1' }));
  });

  it('a Document relabelled to the requested doctype, its MSO still another → MDOC_DOCTYPE_MISMATCH', async () => {
    const bytes = await response({ docType: 'eu.europa.ec.eudi.pid.1', issue: { docType: DOCTYPE } });
    await rejects(bytes, 'MDOC_DOCTYPE_MISMATCH', context(pki, { docType: 'eu.europa.ec.eudi.pid.1' }));
  });

  it('the wrong type in a structure (docType a number) → MDOC_STRUCTURE_INVALID', async () => {
    await rejects(await response({ editDocument: (doc) => doc.set('docType', 1) }), 'MDOC_STRUCTURE_INVALID');
  });

  it('an IssuerSignedItem with a short random salt → MDOC_STRUCTURE_INVALID', async () => {
    await rejects(await response({ issue: { editItems: (_ns, items) => items[0]?.set('random', new Uint8Array(8)) } }), 'MDOC_STRUCTURE_INVALID');
  });
});

describe('issuerAuth (ISO/IEC 18013-5 §9.1.2.4, §9.3.1)', () => {
  it('alg not allowed (EdDSA, -8) → MDOC_ISSUER_AUTH_ALG_NOT_ALLOWED', async () => {
    await rejects(await response({ issue: { alg: -8 } }), 'MDOC_ISSUER_AUTH_ALG_NOT_ALLOWED');
  });

  it('alg only in the unprotected header → MDOC_ISSUER_AUTH_ALG_NOT_ALLOWED', async () => {
    await rejects(
      await response({
        issue: {
          editHeaders: (p, u) => {
            u.set(1, p.get(1));
            p.delete(1);
          },
        },
      }),
      'MDOC_ISSUER_AUTH_ALG_NOT_ALLOWED',
    );
  });

  it('alg ES384 with a P-256 document signer → MDOC_ISSUER_AUTH_ALG_NOT_ALLOWED', async () => {
    await rejects(await response({ issue: { alg: -35 } }), 'MDOC_ISSUER_AUTH_ALG_NOT_ALLOWED');
  });

  it('a critical header parameter → MDOC_COSE_HEADER_INVALID', async () => {
    await rejects(await response({ issue: { editHeaders: (p) => p.set(2, [99]) } }), 'MDOC_COSE_HEADER_INVALID');
  });

  it('a header parameter in both buckets → MDOC_COSE_HEADER_INVALID', async () => {
    await rejects(await response({ issue: { editHeaders: (p, u) => u.set(1, p.get(1)) } }), 'MDOC_COSE_HEADER_INVALID');
  });

  it('no x5chain → MDOC_X5CHAIN_MISSING', async () => {
    await rejects(await response({ issue: { editHeaders: (_p, u) => u.delete(33) } }), 'MDOC_X5CHAIN_MISSING');
  });

  it('an IACA that is not a trust anchor → ISSUER_UNTRUSTED', async () => {
    const other = await createTestPki({ subject: 'CN=Other IACA, C=SE' });
    await rejects(await response({ issue: { signer: other.ds } }), 'ISSUER_UNTRUSTED');
  });

  it('the IACA shipped inside x5chain → X5C_CONTAINS_ANCHOR (never trusted from the chain)', async () => {
    await rejects(await response({ issue: { x5chain: [pki.ds.der, pki.iaca.der] } }), 'X5C_CONTAINS_ANCHOR');
  });

  it('an untrusted IACA shipped inside x5chain → X5C_CONTAINS_ANCHOR (self-signed)', async () => {
    const other = await createTestPki({ subject: 'CN=Other IACA, C=SE' });
    await rejects(await response({ issue: { signer: other.ds, x5chain: [other.ds.der, other.iaca.der] } }), 'X5C_CONTAINS_ANCHOR');
  });

  it('an IACA trusted only for another category → ISSUER_NOT_AUTHORIZED_FOR_TYPE', async () => {
    await rejects(await response(), 'ISSUER_NOT_AUTHORIZED_FOR_TYPE', context(pki, { categories: ['pid'] }));
  });

  it('a document signer without the mdoc DS extended key usage → MDOC_DS_CERT_INVALID', async () => {
    const ds = await createDocumentSigner(pki.iaca, { extraExtensions: [new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.2'], true)] });
    await rejects(await response({ issue: { signer: ds } }), 'MDOC_DS_CERT_INVALID');
  });

  it('a document signer without any extended key usage → MDOC_DS_CERT_INVALID', async () => {
    const ds = await createDocumentSigner(pki.iaca, { extraExtensions: [] });
    await rejects(await response({ issue: { signer: ds } }), 'MDOC_DS_CERT_INVALID');
  });

  it('an expired document signer → CERT_EXPIRED', async () => {
    const ds = await createDocumentSigner(pki.iaca, { notBefore: new Date(NOW.getTime() - 60 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
    await rejects(await response({ issue: { signer: ds, validity: { signed: new Date(NOW.getTime() - 2 * DAY), validFrom: new Date(NOW.getTime() - 2 * DAY), validUntil: new Date(NOW.getTime() + DAY) } } }), 'CERT_EXPIRED');
  });

  it('a bad issuer signature → MDOC_ISSUER_SIGNATURE_INVALID', async () => {
    const bytes = await response({
      editDocument: (doc) => {
        const issuerAuth = (doc.get('issuerSigned') as Map<string, unknown>).get('issuerAuth') as Uint8Array[];
        const signature = Uint8Array.from(issuerAuth[3] as Uint8Array);
        signature[10] = (signature[10] ?? 0) ^ 0xff;
        issuerAuth[3] = signature;
      },
    });
    await rejects(bytes, 'MDOC_ISSUER_SIGNATURE_INVALID');
  });

  it('a signature by another key of the same curve → MDOC_ISSUER_SIGNATURE_INVALID', async () => {
    const impostor = await createDocumentSigner(pki.iaca);
    await rejects(await response({ issue: { signer: { ...impostor, der: pki.ds.der } } }), 'MDOC_ISSUER_SIGNATURE_INVALID');
  });

  it('issuing_country other than the DS certificate country → MDOC_ISSUING_COUNTRY_MISMATCH', async () => {
    await rejects(await response({ elements: { ...ELEMENTS, issuing_country: 'NO' } }), 'MDOC_ISSUING_COUNTRY_MISMATCH');
  });

  it('issuing_country absent: the check is recorded as not applicable', async () => {
    const { issuing_country: _c, ...rest } = ELEMENTS;
    const [doc] = await verifyDeviceResponse(await response({ elements: rest }), context(pki));
    expect(doc?.checks.find((c) => c.check.includes('issuing_country'))?.outcome).toBe('not_applicable');
  });
});

describe('the MSO (ISO/IEC 18013-5 §9.1.2.4, §9.3.1)', () => {
  it('version other than "1.0" → MDOC_MSO_VERSION_UNSUPPORTED', async () => {
    await rejects(await response({ issue: { editMso: (mso) => mso.set('version', '1.1') } }), 'MDOC_MSO_VERSION_UNSUPPORTED');
  });

  it('digestAlgorithm other than SHA-256/384/512 → MDOC_DIGEST_ALG_UNSUPPORTED', async () => {
    await rejects(await response({ issue: { editMso: (mso) => mso.set('digestAlgorithm', 'SHA-1') } }), 'MDOC_DIGEST_ALG_UNSUPPORTED');
  });

  it('MSO docType differs from the Document docType → MDOC_DOCTYPE_MISMATCH', async () => {
    await rejects(await response({ issue: { docType: 'org.iso.18013.5.1.mDL.other' } }), 'MDOC_DOCTYPE_MISMATCH');
  });

  it('expired (validUntil before now) → MDOC_EXPIRED', async () => {
    await rejects(await response({ issue: { validity: { signed: new Date(NOW.getTime() - 5 * DAY), validFrom: new Date(NOW.getTime() - 5 * DAY), validUntil: new Date(NOW.getTime() - 2 * 60_000) } } }), 'MDOC_EXPIRED');
  });

  it('not yet valid (validFrom after now) → MDOC_NOT_YET_VALID', async () => {
    await rejects(await response({ issue: { validity: { signed: NOW, validFrom: new Date(NOW.getTime() + 2 * 60_000), validUntil: new Date(NOW.getTime() + 5 * DAY) } } }), 'MDOC_NOT_YET_VALID');
  });

  it('validity within the clock skew is accepted', async () => {
    const bytes = await response({ issue: { validity: { signed: NOW, validFrom: new Date(NOW.getTime() + 30_000), validUntil: new Date(NOW.getTime() + 5 * DAY) } } });
    await expect(verifyDeviceResponse(bytes, context(pki))).resolves.toHaveLength(1);
  });

  it('signed before the DS certificate was valid → MDOC_SIGNED_OUTSIDE_DS_VALIDITY', async () => {
    await rejects(await response({ issue: { validity: { signed: new Date(NOW.getTime() - 40 * DAY), validFrom: new Date(NOW.getTime() - DAY), validUntil: new Date(NOW.getTime() + DAY) } } }), 'MDOC_SIGNED_OUTSIDE_DS_VALIDITY');
  });

  it('signed after the DS certificate ended → MDOC_SIGNED_OUTSIDE_DS_VALIDITY', async () => {
    await rejects(await response({ issue: { validity: { signed: new Date(NOW.getTime() + 400 * DAY), validFrom: new Date(NOW.getTime() - DAY), validUntil: new Date(NOW.getTime() + DAY) } } }), 'MDOC_SIGNED_OUTSIDE_DS_VALIDITY');
  });

  it('validityInfo without a tdate tag → MDOC_STRUCTURE_INVALID', async () => {
    await rejects(await response({ issue: { editMso: (mso) => (mso.get('validityInfo') as Map<string, unknown>).set('validUntil', '2030-01-01T00:00:00Z') } }), 'MDOC_STRUCTURE_INVALID');
  });
});

describe('value digests (ISO/IEC 18013-5 §9.1.2.5, §9.3.1)', () => {
  const byName = (name: string) => (items: Tag[]) => items.filter((i) => itemOf(i).get('elementIdentifier') === name);

  it('a changed element value → MDOC_DIGEST_MISMATCH', async () => {
    const tamper = (items: Tag[]) =>
      items.map((i) => {
        const item = itemOf(i);
        if (item.get('elementIdentifier') !== 'family_name') return i;
        item.set('elementValue', 'Svensson');
        return itemTag(item);
      });
    await rejects(await response({ disclose: tamper }), 'MDOC_DIGEST_MISMATCH');
  });

  it('the same item sent with a longer (non-shortest) length head → MDOC_DIGEST_MISMATCH: digests are over the bytes as received, never a re-encoding', async () => {
    const doc = await buildDocument({ pki, holder });
    const first = ((doc.get('issuerSigned') as Map<string, unknown>).get('nameSpaces') as Map<string, Tag[]>).get(NS)?.[0];
    const content = Buffer.from(first?.value as Uint8Array);
    const canonical = Buffer.from(encodeCbor(first));
    const longHead = Buffer.concat([Buffer.from([0xd8, 0x18, 0x5a]), Buffer.alloc(4), content]);
    longHead.writeUInt32BE(content.length, 3);
    const bytes = Buffer.from(deviceResponse([doc]));
    const at = bytes.indexOf(canonical);
    expect(at).toBeGreaterThan(0);
    // Arrays and maps count items, not bytes, so the spliced response stays well-formed CBOR.
    await rejects(new Uint8Array(Buffer.concat([bytes.subarray(0, at), longHead, bytes.subarray(at + canonical.length)])), 'MDOC_DIGEST_MISMATCH');
  });

  it('an element whose digestID is not in valueDigests → MDOC_DIGEST_MISSING', async () => {
    const bytes = await response({
      issue: {
        editMso: (mso) => {
          const digests = (mso.get('valueDigests') as Map<string, Map<number, Uint8Array>>).get(NS);
          digests?.delete(digests.keys().next().value as number);
        },
      },
    });
    await rejects(bytes, 'MDOC_DIGEST_MISSING');
  });

  it('an element of a namespace the MSO does not list → MDOC_DIGEST_MISSING', async () => {
    const bytes = await response({ issue: { editMso: (mso) => (mso.get('valueDigests') as Map<string, unknown>).delete(NS) } });
    await rejects(bytes, 'MDOC_DIGEST_MISSING');
  });

  it('the same item disclosed twice → MDOC_DIGEST_ID_DUPLICATE', async () => {
    await rejects(await response({ disclose: (items) => [...items, ...byName('family_name')(items)] }), 'MDOC_DIGEST_ID_DUPLICATE');
  });

  it('one element disclosed twice under two digestIDs → MDOC_ELEMENT_DUPLICATE', async () => {
    const bytes = await response({
      issue: {
        editItems: (_ns, items) => {
          const copy = new Map(items[0]);
          copy.set('digestID', items.length);
          copy.set('elementValue', 'another value');
          items.push(copy);
        },
      },
    });
    await rejects(bytes, 'MDOC_ELEMENT_DUPLICATE');
  });

  it('an element value of a type that cannot be passed on (a tag other than dates) → MDOC_ELEMENT_VALUE_INVALID', async () => {
    await rejects(await response({ elements: { ...ELEMENTS, family_name: new Tag('x', 32) } }), 'MDOC_ELEMENT_VALUE_INVALID');
  });
});

describe('trust anchors of the PID in mdoc form', () => {
  it('a PID IACA (category pid) cannot vouch for an mDL query that accepts only mdl', async () => {
    const pidPki = await createTestPki({ category: 'pid', subject: 'CN=Test PID IACA, C=SE' });
    const bytes = deviceResponse([await buildDocument({ pki: pidPki, holder })]);
    await rejects(bytes, 'ISSUER_NOT_AUTHORIZED_FOR_TYPE', context(pidPki));
    await expect(verifyDeviceResponse(bytes, context(pidPki, { categories: ['pid'] }))).resolves.toHaveLength(1);
  });
});
