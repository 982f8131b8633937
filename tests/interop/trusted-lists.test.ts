/**
 * The trusted-list interop corpus: real public trusted lists and LoTEs that this project did not
 * write (tests/interop/trusted-lists/SOURCE.md says where each comes from), replayed at a fixed
 * `now` with the signer certificates a relying party would pin: for a member state's list, the
 * certificates its pointer in the EU list of lists of the same date publishes; for a list of lists,
 * the certificate that signed it (in production: the set published in the Official Journal).
 *
 * Each artifact has its expected outcome: accepted (format, verified signature, anchors, pointers)
 * or refused with the code and the reason. None of these lists publishes an EUDI service type
 * (EAA, PID, LoTE services), so the accepted ones give no anchors: what is proven is that the
 * service reads and verifies them, which it did not do for the SHA-1 `CertDigest` form before.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { trustListCommand } from '../../src/cli/trust-list-command.ts';
import { ServiceError } from '../../src/errors.ts';
import { type BoundedFetch, FetchError } from '../../src/trust/fetch-bounded.ts';
import { parseTrustedListXml } from '../../src/trust/parse-trusted-list-xml.ts';
import { readTrustList, type ReadTrustList } from '../../src/trust/read-trust-list.ts';
import { tslTypes } from '../../src/trust/service-types.ts';
import { TrustListManager } from '../../src/trust/trust-list-manager.ts';
import { child, children, descendants, DSIG_NAMESPACE, parseXmlDocument, text } from '../../src/trust/xml-dom.ts';

const CORPUS = join(import.meta.dirname, 'trusted-lists');
const AT_2025 = new Date('2025-08-08T14:00:00Z');
const AT_2019 = new Date('2019-09-05T00:00:00Z');
const AT_EE_TEST = new Date('2026-06-01T00:00:00Z');

const bytesOf = (file: string): Promise<Uint8Array> => readFile(join(CORPUS, file)).then((b) => new Uint8Array(b));

/** The certificates in the `KeyInfo` of a list's signature (read with the project's XML reader). */
async function keyInfoCertificates(file: string): Promise<Uint8Array[]> {
  const root = parseXmlDocument(await readFile(join(CORPUS, file), 'utf8'))?.documentElement ?? undefined;
  const signature = children(root ?? undefined, 'Signature', DSIG_NAMESPACE)[0];
  const keyInfo = child(signature, 'KeyInfo', DSIG_NAMESPACE);
  return (keyInfo === undefined ? [] : descendants(keyInfo, 'X509Certificate', DSIG_NAMESPACE)).map((c) => new Uint8Array(Buffer.from((text(c) ?? '').replace(/\s+/g, ''), 'base64')));
}

/** The signer certificates the list of lists `lotl` publishes for `territory`'s XML trusted list. */
async function pointerSigners(lotl: string, territory: string): Promise<Uint8Array[]> {
  const parsed = parseTrustedListXml(await readFile(join(CORPUS, lotl), 'utf8'), lotl);
  const pointer = parsed.pointers?.find((p) => p.territory === territory && p.type !== tslTypes.listOfLists);
  if (pointer === undefined) throw new Error(`no pointer for ${territory} in ${lotl}`);
  return [...pointer.signerCertsDer];
}

interface Accepted {
  readonly format: 'etsi-119612' | 'etsi-119602';
  readonly signed: boolean;
  readonly anchors: number;
  readonly pointers: number;
}

interface Artifact {
  readonly file: string;
  readonly now: Date;
  readonly pins: () => Promise<Uint8Array[]>;
  /** Accepted, with what is read; or refused, with the code and the reason. */
  readonly expected: Accepted | { readonly code: string; readonly detail: RegExp };
  readonly why: string;
}

const lotl2025 = 'itext-2025-08-08/eu-lotl.xml';
const lotl2019 = 'dss/eu-lotl-2019-09-04.xml';
const eeLotl = 'libdigidocpp/test-lotl.xml';
const memberState2025 = (territory: string, why: string, anchors = 0): Artifact => ({
  file: `itext-2025-08-08/${territory.toLowerCase()}-tl.xml`,
  now: AT_2025,
  pins: () => pointerSigners(lotl2025, territory),
  expected: { format: 'etsi-119612', signed: true, anchors, pointers: 1 },
  why,
});

const memberState2019 = (territory: string, issued: string, name: string): Artifact => ({
  file: `dss/${territory.toLowerCase()}-tl-${issued}.xml`,
  now: AT_2019,
  pins: () => pointerSigners(lotl2019, territory),
  expected: { format: 'etsi-119612', signed: true, anchors: 0, pointers: 1 },
  why: `the list of ${name} of ${issued}, verified with the signer the 2019 EU list of lists names: XAdES SigningCertificate with a SHA-1 CertDigest (refused before), RSA-SHA256 signature`,
});

const artifacts: readonly Artifact[] = [
  { file: lotl2025, now: AT_2025, pins: () => keyInfoCertificates(lotl2025), expected: { format: 'etsi-119612', signed: true, anchors: 0, pointers: 43 }, why: 'the EU list of lists of 2025-08-08: XAdES with SigningCertificateV2 (SHA-512 CertDigest); two of its pointers (HU, SK) are plain http' },
  memberState2025('SE', 'the Swedish list as PTS published it in 2025 (SHA-512 CertDigest), verified with the signer the EU list of lists names'),
  memberState2025('DK', 'Denmark 2025'),
  memberState2025('IS', 'Iceland 2025'),
  memberState2025('CY', 'Cyprus 2025'),
  memberState2025('LI', 'Liechtenstein 2025 (SHA-256 CertDigest)'),
  memberState2025('FI', 'Finland 2025 (SHA-256 CertDigest)'),
  memberState2025('SK', 'Slovakia 2025, the list the EU list of lists points to over plain http (http://tl.nbu.gov.sk/kca/tsl/tsl.xml): its signature is what counts'),
  {
    file: 'itext-2025-08-08/be-tl.xml',
    now: AT_2025,
    pins: () => pointerSigners(lotl2025, 'BE'),
    expected: { code: 'TRUST_LIST_INVALID', detail: /no pinned signer certificate is valid at 2025-08-08/ },
    why: 'the Belgian list of 2025-01-27 is signed by the certificate the EU list names, but that certificate had expired by 2025-08-08 (accepted at 2025-01-28: see the --at test)',
  },
  { file: lotl2019, now: AT_2019, pins: () => keyInfoCertificates(lotl2019), expected: { format: 'etsi-119612', signed: true, anchors: 0, pointers: 44 }, why: 'the EU list of lists of 2019-09-04: XAdES SigningCertificate with a SHA-1 CertDigest, SHA-256 references' },
  {
    file: 'dss/se-tl-2019-06-24.xml',
    now: AT_2019,
    pins: () => pointerSigners(lotl2019, 'SE'),
    expected: { format: 'etsi-119612', signed: true, anchors: 0, pointers: 1 },
    why: 'the Swedish list of 2019 (PTS): SHA-1 CertDigest in SigningCertificate; refused before with "the XAdES signed properties do not identify the signing certificate"',
  },
  { file: 'dss/lt-tl-2019-07-18.xml', now: AT_2019, pins: () => pointerSigners(lotl2019, 'LT'), expected: { format: 'etsi-119612', signed: true, anchors: 0, pointers: 1 }, why: 'the Lithuanian list of 2019: SHA-1 CertDigest' },
  memberState2019('CY', '2019-07-17', 'Cyprus'),
  memberState2019('DK', '2019-08-05', 'Denmark'),
  memberState2019('IS', '2019-06-14', 'Iceland'),
  memberState2019('IE', '2019-07-29', 'Ireland'),
  memberState2019('MT', '2019-07-15', 'Malta'),
  {
    file: 'dss/eu-lotl-2019-broken-sig.xml',
    now: AT_2019,
    pins: () => keyInfoCertificates(lotl2019),
    expected: { code: 'TRUST_LIST_INVALID', detail: /signature does not verify/ },
    why: 'a copy of the 2019 EU list of lists altered after signing (a signature-validation test resource)',
  },
  {
    file: 'dss/lote-xml-valid-signed.xml',
    now: new Date('2025-07-20T00:00:00Z'),
    pins: () => keyInfoCertificates('dss/lote-xml-valid-signed.xml'),
    expected: { code: 'TRUST_LIST_INVALID', detail: /enveloped-signature transform/ },
    why: 'a TS 119 602 LoTE in the XML binding signed with an XPath Filter 2.0 transform instead of the enveloped-signature transform (XMLDSig §6.6.4) that TS 119 612 Annex B and TS 119 602 Annex A.2 signatures use; the transform is not supported',
  },
  {
    file: 'dss/mock-pid-providers-lote-v0.0.2.json',
    now: new Date('2026-01-01T00:00:00Z'),
    pins: async () => [],
    expected: { code: 'TRUST_LIST_INVALID', detail: /certificate of service "name_pid_solution_pt" is invalid/ },
    why: 'a copy of the European Commission\'s mock EU PID providers LoTE (JSON, unsigned): the Portuguese provider\'s certificate has a malformed IssuerAltName extension, so the list is refused rather than read in part',
  },
  { file: eeLotl, now: AT_EE_TEST, pins: () => keyInfoCertificates(eeLotl), expected: { format: 'etsi-119612', signed: true, anchors: 0, pointers: 1 }, why: 'the Estonian test list of lists (RIA test PKI); base64 with &#13; character references, SigningCertificate (SHA-256)' },
  { file: 'libdigidocpp/ee-test-tl.xml', now: AT_EE_TEST, pins: () => pointerSigners(eeLotl, 'EE_T'), expected: { format: 'etsi-119612', signed: true, anchors: 0, pointers: 1 }, why: 'the Estonian test trusted list, verified with the signer its test list of lists names' },
  {
    file: 'g119612/se-tl-crlf.xml',
    now: AT_2025,
    pins: () => pointerSigners(lotl2025, 'SE'),
    expected: { format: 'etsi-119612', signed: true, anchors: 0, pointers: 1 },
    why: 'the same Swedish list of 2025 with CRLF line ends (as another project stores it): XML reads CRLF as LF, so the signature still verifies',
  },
  {
    file: 'g119612/se-tl-bad-sig.xml',
    now: AT_2025,
    pins: () => pointerSigners(lotl2025, 'SE'),
    expected: { code: 'TRUST_LIST_INVALID', detail: /signature does not verify/ },
    why: 'the Swedish list of 2025 altered after signing',
  },
  {
    file: 'g119612/ewc-tl.xml',
    now: new Date('2025-06-10T00:00:00Z'),
    pins: async () => [],
    expected: { format: 'etsi-119612', signed: false, anchors: 0, pointers: 0 },
    why: 'the EWC pilot trusted list (EAA and PID providers), unsigned (refused in production): its ServiceStatus is "https://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted/", not the TS 119 612 URI, so no service is granted',
  },
  {
    file: 'libdigidocpp/xml-bomb-cont.xml',
    now: AT_EE_TEST,
    pins: async () => [],
    expected: { code: 'TRUST_LIST_INVALID', detail: /DOCTYPE and ENTITY declarations are not allowed/ },
    why: 'an entity-expansion ("billion laughs") document: refused before parsing',
  },
];

function outcome(list: ReadTrustList): Accepted {
  return { format: list.format, signed: list.unverified === undefined, anchors: list.parsed.anchors.length, pointers: list.parsed.pointers?.length ?? 0 };
}

describe('the trusted-list interop corpus', () => {
  it.each(artifacts.map((a) => [a.file, a] as const))('%s', async (_file, artifact) => {
    const read = readTrustList(await bytesOf(artifact.file), artifact.file, { pinnedSignerCertsDer: await artifact.pins(), now: artifact.now });
    if ('code' in artifact.expected) {
      const error: unknown = await read.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, artifact.why).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).code, artifact.why).toBe(artifact.expected.code);
      expect((error as ServiceError).detail, artifact.why).toMatch(artifact.expected.detail);
    } else {
      expect(outcome(await read), artifact.why).toEqual(artifact.expected);
    }
  });

  it('the EWC pilot list gives its EAA anchors once its status URI is the TS 119 612 one (the only defect)', async () => {
    const xml = (await readFile(join(CORPUS, 'g119612/ewc-tl.xml'), 'utf8')).replaceAll('https://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted/', 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted');
    const list = await readTrustList(new TextEncoder().encode(xml), 'ewc', { pinnedSignerCertsDer: [], now: new Date('2025-06-10T00:00:00Z') });
    expect(list.parsed.anchors.length).toBeGreaterThan(0);
    expect(new Set(list.parsed.anchors.flatMap((a) => [...a.categories]))).toEqual(new Set(['eaa']));
  });

  it('covers at least 12 artifacts from 3 sources, each listed in SOURCE.md', async () => {
    const source = await readFile(join(CORPUS, 'SOURCE.md'), 'utf8');
    expect(artifacts.length).toBeGreaterThanOrEqual(12);
    expect(new Set(artifacts.map((a) => a.file.split('/')[0])).size).toBeGreaterThanOrEqual(3);
    for (const artifact of artifacts) expect(source, artifact.file).toContain(`\`${artifact.file}\``);
  });

  it('the 2019 Swedish list with its SHA-1 CertDigest changed is refused (the signed properties are signed)', async () => {
    const xml = await readFile(join(CORPUS, 'dss/se-tl-2019-06-24.xml'), 'utf8');
    const tampered = xml.replace(/(<(?:\w+:)?CertDigest>[\s\S]*?<(?:\w+:)?DigestValue>)([^<]+)/, (_m, head: string) => `${head}${Buffer.alloc(20, 1).toString('base64')}`);
    expect(tampered).not.toBe(xml);
    const error: unknown = await readTrustList(new TextEncoder().encode(tampered), 'se', { pinnedSignerCertsDer: await pointerSigners(lotl2019, 'SE'), now: AT_2019 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).detail).toMatch(/signature does not verify/);
  });
});

describe('the 2025 EU list of lists followed by the trust list manager', () => {
  it('reaches the Swedish list over https and the Slovak one over plain http, each verified with the signer its pointer names', async () => {
    const files: Record<string, string> = { 'https://trustedlist.pts.se/SE-TL.xml': 'itext-2025-08-08/se-tl.xml', 'http://tl.nbu.gov.sk/kca/tsl/tsl.xml': 'itext-2025-08-08/sk-tl.xml' };
    const fetched: string[] = [];
    const fake =
      (allowHttp: boolean): BoundedFetch =>
      async (url) => {
        if (!allowHttp && url.startsWith('http:')) throw new FetchError('refused', 'scheme http: is not allowed (https only outside development)');
        const file = files[url];
        if (file === undefined) throw new FetchError('unavailable', 'not in the corpus');
        fetched.push(url);
        return { status: 200, contentType: 'application/vnd.etsi.tsl+xml', body: await bytesOf(file), url };
      };
    const dir = await mkdtemp(join(tmpdir(), 'interop-lotl-'));
    try {
      await writeFile(join(dir, 'eu-lotl.xml'), await bytesOf(lotl2025));
      const warnings: string[] = [];
      const manager = await TrustListManager.start({
        mode: 'development',
        dir,
        pinnedSignerCertsDer: await keyInfoCertificates(lotl2025),
        lotlTerritories: ['SE', 'SK'],
        fetch: fake(false),
        fetchPointed: fake(true),
        now: () => AT_2025,
        warn: (message) => warnings.push(message),
      });
      expect(manager.report().lists.map((l) => [l.name, l.state, l.signed])).toEqual([
        ['eu-lotl.xml', 'current', true],
        ['https://trustedlist.pts.se/SE-TL.xml', 'current', true],
        ['http://tl.nbu.gov.sk/kca/tsl/tsl.xml', 'current', true],
      ]);
      expect(fetched).toEqual(['https://trustedlist.pts.se/SE-TL.xml', 'http://tl.nbu.gov.sk/kca/tsl/tsl.xml']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('trust-list inspect --at on a historical list', () => {
  it('the Belgian list of 2025-01-27: refused at 2025-08-08 (its signer had expired), shown at 2025-01-28', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'interop-inspect-'));
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
    const error = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')));
    try {
      const pems = (await pointerSigners(lotl2025, 'BE')).map((der, i) => {
        const path = join(dir, `be-signer-${i}.pem`);
        return { path, pem: `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----\n` };
      });
      await Promise.all(pems.map((p) => writeFile(p.path, p.pem)));
      const signerArgs = pems.flatMap((p) => ['--signer-cert', p.path]);
      const file = join(CORPUS, 'itext-2025-08-08/be-tl.xml');
      expect(await trustListCommand(['inspect', file, ...signerArgs, '--at', '2025-08-08T14:00:00Z'])).toBe(1);
      expect(err.join('\n')).toMatch(/^TRUST_LIST_INVALID: .*no pinned signer certificate is valid at 2025-08-08/);
      expect(await trustListCommand(['inspect', file, ...signerArgs, '--at', '2025-01-28T12:00:00Z'])).toBe(0);
      const shown = JSON.parse(out.join('\n')) as { validated_at: string; signature: string; issued: string };
      expect(shown).toMatchObject({ validated_at: '2025-01-28T12:00:00.000Z', issued: '2025-01-27T07:35:45.000Z', signature: expect.stringMatching(/^verified/) });
    } finally {
      log.mockRestore();
      error.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
