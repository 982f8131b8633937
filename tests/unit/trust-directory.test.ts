/**
 * Loading a trust list directory: production accepts only lists whose signature verified with a
 * pinned signer and that are not past NextUpdate plus grace, and refuses to run without anchors;
 * development accepts unsigned lists with a warning and skips expired ones. Expired lists never
 * add an anchor.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/errors.ts';
import { createLeafCert, createRootCa, type IssuedCert, x5cOf } from '../../src/issuer/pki.ts';
import { buildLote, signLote, signTrustedListXml, writeTrustedListXml } from '../../src/issuer/trust-list-writer.ts';
import { loadTrustDirectory, type LoadTrustDirectoryOptions } from '../../src/trust/load-trust-directory.ts';

const DAY = 86_400_000;
const PID_ISSUANCE = 'http://uri.etsi.org/19602/SvcType/PID/Issuance';
const EAA = 'http://uri.etsi.org/TrstSvc/Svctype/EAA';

let pidRoot: IssuedCert;
let eaaRoot: IssuedCert;
let signer: IssuedCert;
let otherSigner: IssuedCert;
const dirs: string[] = [];

beforeAll(async () => {
  const make = (name: string) => createRootCa({ subject: `CN=${name}, O=Directory Tests, C=SE` });
  [pidRoot, eaaRoot, signer, otherSigner] = await Promise.all([make('PID Root CA'), make('EAA Root CA'), make('List Signer'), make('Other List Signer')]);
});

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function directory(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trust-lists-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

function pidLote(nextUpdate = new Date(Date.now() + 90 * DAY), issued = new Date(Date.now() - 2 * DAY)) {
  return buildLote({ loteType: 'http://uri.etsi.org/19602/LoTEType/EUPIDProvidersList', issued, nextUpdate, services: [{ name: 'Test PID Provider', serviceType: PID_ISSUANCE, certDer: pidRoot.der }] });
}

const eaaXml = (): string =>
  writeTrustedListXml({ operator: 'Directory Tests', issued: new Date(Date.now() - DAY), nextUpdate: new Date(Date.now() + 90 * DAY), services: [{ name: 'Test EAA Provider', serviceType: EAA, certDer: eaaRoot.der }] });

function options(mode: LoadTrustDirectoryOptions['mode'], warnings: string[] = [], graceMs = 0): LoadTrustDirectoryOptions {
  return { mode, pinnedSignerCertsDer: [signer.der], now: new Date(), warn: (message) => warnings.push(message), graceMs };
}

async function refused(promise: Promise<unknown>, pattern: RegExp, code = 'TRUST_LIST_INVALID'): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  expect((error as ServiceError).code).toBe(code);
  expect((error as ServiceError).detail).toMatch(pattern);
}

describe('loadTrustDirectory in production', () => {
  it('accepts a LoTE signed by a pinned signer and validates chains with its anchors', async () => {
    const dir = await directory({ 'pid.lote.jws': await signLote(pidLote(), signer), 'README.md': 'ignored' });
    const warnings: string[] = [];
    const { store, lists } = await loadTrustDirectory(dir, options('production', warnings));
    expect(lists).toEqual([{ name: 'pid.lote.jws', type: 'etsi-119602', signed: true, anchors: 1, nextUpdate: expect.any(Date) }]);
    expect(warnings).toEqual([]);
    const issuer = await createLeafCert(pidRoot, { subject: 'CN=PID Issuer, O=Directory Tests, C=SE' });
    const result = await store.validateIssuerChain({ x5c: x5cOf(issuer), categories: ['pid'], now: new Date() });
    expect(result.evidence).toMatchObject({ category: 'pid', list: 'pid.lote.jws' });
  });

  it('treats a compact JWS in a .json file as a signed LoTE', async () => {
    const dir = await directory({ 'wallet-providers.json': await signLote(pidLote(), signer) });
    const { lists } = await loadTrustDirectory(dir, options('production'));
    expect(lists[0]?.signed).toBe(true);
  });

  it('refuses an unsigned XML trusted list, naming the file', async () => {
    const dir = await directory({ 'pid.lote.jws': await signLote(pidLote(), signer), 'eaa.xml': eaaXml() });
    await refused(loadTrustDirectory(dir, options('production')), /^eaa\.xml: .*signature not verified/);
  });

  it('refuses an unsigned JSON LoTE, naming the file', async () => {
    const dir = await directory({ 'pid.json': JSON.stringify(pidLote()) });
    await refused(loadTrustDirectory(dir, options('production')), /^pid\.json: .*signature not verified/);
  });

  it('refuses a signed list past its NextUpdate (no grace)', async () => {
    const dir = await directory({ 'pid.jws': await signLote(pidLote(new Date(Date.now() - DAY)), signer) });
    await refused(loadTrustDirectory(dir, options('production')), /^pid\.jws: past its NextUpdate/, 'TRUST_LIST_EXPIRED');
  });

  it('uses a list past its NextUpdate during the grace period, with a warning', async () => {
    const dir = await directory({ 'pid.jws': await signLote(pidLote(new Date(Date.now() - DAY)), signer) });
    const warnings: string[] = [];
    const { store } = await loadTrustDirectory(dir, options('production', warnings, 2 * DAY));
    expect(store.anchors).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/pid\.jws is past its NextUpdate .* grace period/)]);
  });

  it('refuses a list past its NextUpdate plus the grace period', async () => {
    const dir = await directory({ 'pid.jws': await signLote(pidLote(new Date(Date.now() - 3 * DAY), new Date(Date.now() - 4 * DAY)), signer) });
    await refused(loadTrustDirectory(dir, options('production', [], 2 * DAY)), /past its NextUpdate .* and the grace period/, 'TRUST_LIST_EXPIRED');
  });

  it('refuses a list issued in the future', async () => {
    const dir = await directory({ 'pid.jws': await signLote(pidLote(new Date(Date.now() + 90 * DAY), new Date(Date.now() + DAY)), signer) });
    await refused(loadTrustDirectory(dir, options('production')), /ListIssueDateTime .* is in the future/);
  });

  it('accepts an XAdES-signed XML trusted list and a LoTE in JWS JSON serialization', async () => {
    const dir = await directory({ 'eaa.xml': await signTrustedListXml(eaaXml(), signer), 'pid.json': await signLote(pidLote(), signer, 'json-general') });
    const { store, lists } = await loadTrustDirectory(dir, options('production'));
    expect(lists.map((list) => [list.name, list.type, list.signed])).toEqual([
      ['eaa.xml', 'etsi-119612', true],
      ['pid.json', 'etsi-119602', true],
    ]);
    const issuer = await createLeafCert(eaaRoot, { subject: 'CN=EAA Issuer, O=Directory Tests, C=SE' });
    await expect(store.validateIssuerChain({ x5c: x5cOf(issuer), categories: ['eaa'], now: new Date() })).resolves.toMatchObject({ evidence: { list: 'eaa.xml' } });
  });

  it('refuses an XML list signed by a signer that is not pinned', async () => {
    const dir = await directory({ 'eaa.xml': await signTrustedListXml(eaaXml(), otherSigner) });
    await refused(loadTrustDirectory(dir, options('production')), /^eaa\.xml: XML signature: the KeyInfo certificate is not a pinned/);
  });

  it('refuses a directory without anchors', async () => {
    const dir = await directory({ 'notes.txt': 'no lists here' });
    await refused(loadTrustDirectory(dir, options('production')), /no trust anchors/);
  });

  it('refuses a missing directory', async () => {
    await refused(loadTrustDirectory(join(tmpdir(), 'does-not-exist-trust-lists'), options('production')), /cannot be read/);
  });
});

describe('loadTrustDirectory in development', () => {
  it('accepts unsigned XML and JSON lists with a warning for each', async () => {
    const dir = await directory({ 'eaa.xml': eaaXml(), 'pid.json': JSON.stringify(pidLote()) });
    const warnings: string[] = [];
    const { store, lists } = await loadTrustDirectory(dir, options('development', warnings));
    expect(lists.map((list) => [list.name, list.type, list.signed, list.anchors])).toEqual([
      ['eaa.xml', 'etsi-119612', false, 1],
      ['pid.json', 'etsi-119602', false, 1],
    ]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/eaa\.xml.*development mode/);
    expect(store.anchors).toHaveLength(2);
  });

  it('skips an expired list with a warning: it adds no anchor', async () => {
    const dir = await directory({ 'pid.jws': await signLote(pidLote(new Date(Date.now() - DAY)), signer), 'eaa.xml': eaaXml() });
    const warnings: string[] = [];
    const { store, lists } = await loadTrustDirectory(dir, options('development', warnings));
    expect(lists.map((list) => list.name)).toEqual(['eaa.xml']);
    expect(store.anchors.map((anchor) => anchor.source.list)).toEqual(['eaa.xml']);
    expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/pid\.jws: not loaded \(TRUST_LIST_EXPIRED: pid\.jws: past its NextUpdate/)]));
  });

  it('still refuses a signed list whose signer is not pinned', async () => {
    const dir = await directory({ 'pid.jws': await signLote(pidLote(), otherSigner) });
    await refused(loadTrustDirectory(dir, options('development')), /^pid\.jws: .*not a pinned/);
  });

  it('warns when no anchors were loaded', async () => {
    const dir = await directory({});
    const warnings: string[] = [];
    const { store } = await loadTrustDirectory(dir, options('development', warnings));
    expect(store.anchors).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/no trust anchors/)]);
  });
});
