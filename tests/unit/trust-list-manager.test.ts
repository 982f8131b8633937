/**
 * The trust list manager: lists from files and HTTP URLs, refreshed on demand; a failed refresh
 * keeps the last good copy (cached under the data directory) until NextUpdate plus grace, then
 * the list's anchors stop validating (fail closed) and the report says so; lists of lists are
 * followed with each pointer's signer certificates; a refresh never rolls a list back.
 */
import { mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeafCert, createRootCa, type IssuedCert, x5cOf } from '../../src/issuer/pki.ts';
import { buildLote, signLote, signTrustedListXml, writeTrustedListXml } from '../../src/issuer/trust-list-writer.ts';
import { boundedFetcher } from '../../src/trust/fetch-bounded.ts';
import { TrustListManager, type TrustListManagerOptions } from '../../src/trust/trust-list-manager.ts';
import { startLocalHttpServer, type LocalHttpServer } from '../helpers/local-http-server.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PID_ISSUANCE = 'http://uri.etsi.org/19602/SvcType/PID/Issuance';
const PID_LIST = 'http://uri.etsi.org/19602/LoTEType/EUPIDProvidersList';
const EAA = 'http://uri.etsi.org/TrstSvc/Svctype/EAA';

let server: LocalHttpServer;
let signer: IssuedCert;
let tlSigner: IssuedCert;
let otherSigner: IssuedCert;
let pidRoot: IssuedCert;
let eaaRoot: IssuedCert;
let pidIssuer: IssuedCert;
let eaaIssuer: IssuedCert;
const dirs: string[] = [];
const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);

beforeAll(async () => {
  server = await startLocalHttpServer();
  const make = (name: string) => createRootCa({ subject: `CN=${name}, O=Manager Tests, C=SE`, notBefore: new Date(t0.getTime() - 30 * DAY) });
  [signer, tlSigner, otherSigner, pidRoot, eaaRoot] = await Promise.all([make('LOTL Signer'), make('SE TL Signer'), make('Other Signer'), make('PID Root'), make('EAA Root')]);
  pidIssuer = await createLeafCert(pidRoot, { subject: 'CN=PID Issuer, O=Manager Tests, C=SE', notBefore: new Date(t0.getTime() - 30 * DAY) });
  eaaIssuer = await createLeafCert(eaaRoot, { subject: 'CN=EAA Issuer, O=Manager Tests, C=SE', notBefore: new Date(t0.getTime() - 30 * DAY) });
});
afterAll(async () => {
  await server.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trust-manager-'));
  dirs.push(dir);
  return dir;
}

const pidLote = (issued: Date, nextUpdate: Date) => buildLote({ loteType: PID_LIST, issued, nextUpdate, services: [{ name: 'PID Provider', serviceType: PID_ISSUANCE, certDer: pidRoot.der }] });
const eaaTl = (issued = new Date(t0.getTime() - DAY)) => writeTrustedListXml({ operator: 'SE', issued, nextUpdate: new Date(t0.getTime() + 30 * DAY), services: [{ name: 'SE EAA', serviceType: EAA, certDer: eaaRoot.der }] });

function managerOptions(clock: { now: Date }, extra: Partial<TrustListManagerOptions> = {}, warnings: string[] = []): TrustListManagerOptions {
  return {
    mode: 'production',
    pinnedSignerCertsDer: [signer.der],
    graceMs: HOUR,
    fetch: boundedFetcher({ timeoutMs: 2000, maxBytes: 1024 * 1024, maxRedirects: 2, allowHttp: true, allowPrivateHosts: ['127.0.0.1'] }),
    now: () => clock.now,
    warn: (message) => warnings.push(message),
    ...extra,
  };
}

const validatesPid = (manager: TrustListManager, now: Date) => manager.current().validateIssuerChain({ x5c: x5cOf(pidIssuer), categories: ['pid'], now });

describe('a list fetched over HTTP', () => {
  it('is loaded, cached under the data directory, and reported current', async () => {
    server.route('/pid.jws', { contentType: 'application/jwt', body: await signLote(pidLote(new Date(t0.getTime() - HOUR), new Date(t0.getTime() + DAY)), signer) });
    const cacheDir = join(await tempDir(), 'trust-cache');
    const manager = await TrustListManager.start(managerOptions({ now: t0 }, { urls: [server.url('/pid.jws')], cacheDir }));
    await expect(validatesPid(manager, t0)).resolves.toMatchObject({ evidence: { list: server.url('/pid.jws') } });
    expect(await readdir(cacheDir)).toHaveLength(1);
    const report = manager.report([['pid']]);
    expect(report.ready).toBe(true);
    expect(report.lists).toEqual([expect.objectContaining({ name: server.url('/pid.jws'), format: 'etsi-119602', state: 'current', signed: true, anchors: 1, age_seconds: 3600 })]);
    expect(server.lastAccept('/pid.jws')).toMatch(/application\/jwt/);
  });

  it('keeps the last good copy when a refresh fails, until NextUpdate plus grace; then fails closed', async () => {
    const clock = { now: t0 };
    server.route('/stale.jws', { body: await signLote(pidLote(new Date(t0.getTime() - HOUR), new Date(t0.getTime() + HOUR)), signer) });
    const manager = await TrustListManager.start(managerOptions(clock, { urls: [server.url('/stale.jws')] }));
    server.route('/stale.jws', { status: 503 });

    clock.now = new Date(t0.getTime() + 90 * 60_000); // past NextUpdate, within the hour of grace
    await manager.refresh();
    await expect(validatesPid(manager, clock.now)).resolves.toBeDefined();
    expect(manager.report([['pid']])).toMatchObject({ ready: true, lists: [{ state: 'stale', last_error: { code: 'TRUST_LIST_UNAVAILABLE' } }] });

    clock.now = new Date(t0.getTime() + 2 * HOUR + 1000); // past NextUpdate + grace
    await manager.refresh();
    await expect(validatesPid(manager, clock.now)).rejects.toMatchObject({ code: 'ISSUER_UNTRUSTED' });
    expect(manager.report([['pid']])).toMatchObject({ ready: false, missing_categories: ['pid'], lists: [{ state: 'expired', anchors: 0 }] });
  });

  it('fails closed at NextUpdate plus grace even when no refresh runs', async () => {
    server.route('/norefresh.jws', { body: await signLote(pidLote(new Date(t0.getTime() - HOUR), new Date(t0.getTime() + HOUR)), signer) });
    const clock = { now: t0 };
    const manager = await TrustListManager.start(managerOptions(clock, { urls: [server.url('/norefresh.jws')] }));
    clock.now = new Date(t0.getTime() + 3 * HOUR);
    await expect(validatesPid(manager, clock.now)).rejects.toMatchObject({ code: 'ISSUER_UNTRUSTED' });
    expect(manager.report([['pid']]).ready).toBe(false);
  });

  it('keeps the last good copy when a refresh brings a wrongly signed list, and reports why', async () => {
    server.route('/resigned.jws', { body: await signLote(pidLote(new Date(t0.getTime() - HOUR), new Date(t0.getTime() + DAY)), signer) });
    const manager = await TrustListManager.start(managerOptions({ now: t0 }, { urls: [server.url('/resigned.jws')] }));
    server.route('/resigned.jws', { body: await signLote(pidLote(t0, new Date(t0.getTime() + DAY)), otherSigner) });
    await manager.refresh();
    await expect(validatesPid(manager, t0)).resolves.toBeDefined();
    expect(manager.report().lists[0]).toMatchObject({ state: 'current', last_error: { code: 'TRUST_LIST_INVALID', detail: expect.stringMatching(/not a pinned/) } });
  });

  it('refuses to roll back to an older issue of the list', async () => {
    server.route('/rollback.jws', { body: await signLote(pidLote(new Date(t0.getTime() - HOUR), new Date(t0.getTime() + DAY)), signer) });
    const manager = await TrustListManager.start(managerOptions({ now: t0 }, { urls: [server.url('/rollback.jws')] }));
    server.route('/rollback.jws', { body: await signLote(pidLote(new Date(t0.getTime() - 2 * HOUR), new Date(t0.getTime() + DAY)), signer) });
    await manager.refresh();
    expect(manager.report().lists[0]).toMatchObject({ last_error: { detail: expect.stringMatching(/older than the loaded copy/) }, issued: new Date(t0.getTime() - HOUR).toISOString() });
  });

  it('starts from the cached copy when the source is down, and refuses to start without one in production', async () => {
    const cacheDir = join(await tempDir(), 'trust-cache');
    server.route('/cached.jws', { body: await signLote(pidLote(new Date(t0.getTime() - HOUR), new Date(t0.getTime() + DAY)), signer) });
    await TrustListManager.start(managerOptions({ now: t0 }, { urls: [server.url('/cached.jws')], cacheDir }));
    server.route('/cached.jws', { status: 500 });
    const warnings: string[] = [];
    const restarted = await TrustListManager.start(managerOptions({ now: t0 }, { urls: [server.url('/cached.jws')], cacheDir }, warnings));
    await expect(validatesPid(restarted, t0)).resolves.toBeDefined();
    expect(warnings).toEqual([expect.stringMatching(/using the cached copy/)]);
    await expect(TrustListManager.start(managerOptions({ now: t0 }, { urls: [server.url('/cached.jws')], cacheDir: join(await tempDir(), 'empty') }))).rejects.toMatchObject({ code: 'TRUST_LIST_UNAVAILABLE' });
  });

  it('does not use a cached copy that is past NextUpdate plus grace', async () => {
    const cacheDir = join(await tempDir(), 'trust-cache');
    server.route('/old.jws', { body: await signLote(pidLote(new Date(t0.getTime() - HOUR), new Date(t0.getTime() + HOUR)), signer) });
    await TrustListManager.start(managerOptions({ now: t0 }, { urls: [server.url('/old.jws')], cacheDir }));
    server.route('/old.jws', { status: 500 });
    const later = { now: new Date(t0.getTime() + 3 * HOUR) };
    await expect(TrustListManager.start(managerOptions(later, { urls: [server.url('/old.jws')], cacheDir }))).rejects.toMatchObject({ code: 'TRUST_LIST_UNAVAILABLE' });
  });
});

describe('a list of lists (TS 119 612 PointersToOtherTSL)', () => {
  it('from a file: the pointed list is verified with the pointer\'s signer certificate and its anchors are used', async () => {
    const dir = await tempDir();
    const elsewhere = await tempDir();
    await writeFile(join(elsewhere, 'se-tl.xml'), await signTrustedListXml(eaaTl(), tlSigner));
    const lotl = writeTrustedListXml({ operator: 'EU', issued: new Date(t0.getTime() - DAY), nextUpdate: new Date(t0.getTime() + 30 * DAY), services: [], pointers: [{ location: join(elsewhere, 'se-tl.xml'), signerCertsDer: [tlSigner.der], territory: 'SE' }] });
    await writeFile(join(dir, 'lotl.xml'), await signTrustedListXml(lotl, signer));
    const manager = await TrustListManager.start(managerOptions({ now: t0 }, { dir }));
    await expect(manager.current().validateIssuerChain({ x5c: x5cOf(eaaIssuer), categories: ['eaa'], now: t0 })).resolves.toMatchObject({ evidence: { list: join(elsewhere, 'se-tl.xml') } });
    expect(manager.report().lists.map((l) => [l.name, l.via, l.state])).toEqual([
      ['lotl.xml', undefined, 'current'],
      [join(elsewhere, 'se-tl.xml'), 'lotl.xml', 'current'],
    ]);
  });

  it('from a URL: a pointed list signed by anyone but the pointer\'s certificate adds nothing (the configured pins do not count)', async () => {
    server.route('/se-tl.xml', { body: await signTrustedListXml(eaaTl(), signer) });
    const lotl = writeTrustedListXml({ operator: 'EU', issued: new Date(t0.getTime() - DAY), nextUpdate: new Date(t0.getTime() + 30 * DAY), services: [], pointers: [{ location: server.url('/se-tl.xml'), signerCertsDer: [tlSigner.der], territory: 'SE' }] });
    server.route('/lotl.xml', { body: await signTrustedListXml(lotl, signer) });
    const warnings: string[] = [];
    const manager = await TrustListManager.start(managerOptions({ now: t0 }, { mode: 'development', urls: [server.url('/lotl.xml')] }, warnings));
    await expect(manager.current().validateIssuerChain({ x5c: x5cOf(eaaIssuer), categories: ['eaa'], now: t0 })).rejects.toMatchObject({ code: 'ISSUER_UNTRUSTED' });
    const report = manager.report([['eaa']]);
    expect(report.lists[1]).toMatchObject({ name: server.url('/se-tl.xml'), via: server.url('/lotl.xml'), state: 'failed', last_error: { code: 'TRUST_LIST_INVALID' } });
    expect(report).toMatchObject({ ready: false, missing_categories: ['eaa'] });

    server.route('/se-tl.xml', { body: await signTrustedListXml(eaaTl(new Date(t0.getTime() - HOUR)), tlSigner) });
    await manager.refresh();
    await expect(manager.current().validateIssuerChain({ x5c: x5cOf(eaaIssuer), categories: ['eaa'], now: t0 })).resolves.toMatchObject({ evidence: { category: 'eaa' } });
    expect(manager.report([['eaa']]).ready).toBe(true);
  });

  it('follows only the configured territories', async () => {
    server.route('/de-tl.xml', { body: await signTrustedListXml(eaaTl(), tlSigner) });
    const lotl = writeTrustedListXml({ operator: 'EU', issued: new Date(t0.getTime() - DAY), nextUpdate: new Date(t0.getTime() + 30 * DAY), services: [], pointers: [{ location: server.url('/de-tl.xml'), signerCertsDer: [tlSigner.der], territory: 'DE' }] });
    server.route('/lotl-de.xml', { body: await signTrustedListXml(lotl, signer) });
    server.resetCounts();
    const manager = await TrustListManager.start(managerOptions({ now: t0 }, { mode: 'development', urls: [server.url('/lotl-de.xml')], lotlTerritories: ['SE'] }));
    expect(manager.report().lists.map((l) => l.name)).toEqual([server.url('/lotl-de.xml')]);
    expect(server.count('/de-tl.xml')).toBe(0);
  });
});

describe('a list of LoTEs (TS 119 602 PointersToOtherLoTE)', () => {
  const pointingLote = (location: string, territory?: string) =>
    buildLote({ loteType: 'urn:se:eudi:lotetype:pilot-lists', issued: new Date(t0.getTime() - DAY), nextUpdate: new Date(t0.getTime() + 30 * DAY), services: [], pointers: [{ location, signerCertsDer: [tlSigner.der], loteType: PID_LIST, ...(territory ? { territory } : {}) }] });

  it('follows each pointer with the same bounded fetch and signature rules as a LOTL: verified with the pointer\'s certificate only', async () => {
    server.route('/pilot-pid.jwt', { contentType: 'application/jwt', body: await signLote(pidLote(new Date(t0.getTime() - HOUR), new Date(t0.getTime() + DAY)), tlSigner) });
    server.route('/pilot-lists.jwt', { contentType: 'application/jwt', body: await signLote(pointingLote(server.url('/pilot-pid.jwt')), signer) });
    const manager = await TrustListManager.start(managerOptions({ now: t0 }, { urls: [server.url('/pilot-lists.jwt')] }));
    await expect(validatesPid(manager, t0)).resolves.toMatchObject({ evidence: { list: server.url('/pilot-pid.jwt') } });
    expect(manager.report().lists.map((l) => [l.name, l.via, l.state])).toEqual([
      [server.url('/pilot-lists.jwt'), undefined, 'current'],
      [server.url('/pilot-pid.jwt'), server.url('/pilot-lists.jwt'), 'current'],
    ]);

    server.route('/pilot-pid.jwt', { contentType: 'application/jwt', body: await signLote(pidLote(t0, new Date(t0.getTime() + DAY)), signer) });
    const refused = await TrustListManager.start(managerOptions({ now: t0 }, { mode: 'development', urls: [server.url('/pilot-lists.jwt')] }));
    await expect(validatesPid(refused, t0)).rejects.toMatchObject({ code: 'ISSUER_UNTRUSTED' });
    expect(refused.report().lists[1]).toMatchObject({ state: 'failed', last_error: { code: 'TRUST_LIST_INVALID' } });
  });

  it('filters by territory only when the pointer names one', async () => {
    server.route('/pilot-de.jwt', { contentType: 'application/jwt', body: await signLote(pidLote(new Date(t0.getTime() - HOUR), new Date(t0.getTime() + DAY)), tlSigner) });
    server.route('/pilot-lists-de.jwt', { contentType: 'application/jwt', body: await signLote(pointingLote(server.url('/pilot-de.jwt'), 'DE'), signer) });
    const manager = await TrustListManager.start(managerOptions({ now: t0 }, { mode: 'development', urls: [server.url('/pilot-lists-de.jwt')], lotlTerritories: ['SE'] }));
    expect(manager.report().lists.map((l) => l.name)).toEqual([server.url('/pilot-lists-de.jwt')]);
  });

  it('follows pointers one level deep only: the pointers of a pointed list of LoTEs are not followed', async () => {
    server.route('/deep-pid.jwt', { contentType: 'application/jwt', body: await signLote(pidLote(new Date(t0.getTime() - HOUR), new Date(t0.getTime() + DAY)), tlSigner) });
    server.route('/deep-middle.jwt', { contentType: 'application/jwt', body: await signLote(pointingLote(server.url('/deep-pid.jwt')), tlSigner) });
    server.route('/deep-top.jwt', { contentType: 'application/jwt', body: await signLote(pointingLote(server.url('/deep-middle.jwt')), signer) });
    const manager = await TrustListManager.start(managerOptions({ now: t0 }, { mode: 'development', urls: [server.url('/deep-top.jwt')] }));
    expect(manager.report().lists.map((l) => [l.name, l.state])).toEqual([
      [server.url('/deep-top.jwt'), 'current'],
      [server.url('/deep-middle.jwt'), 'current'],
    ]);
    expect(server.count('/deep-pid.jwt')).toBe(0);
    await expect(validatesPid(manager, t0)).rejects.toMatchObject({ code: 'ISSUER_UNTRUSTED' });
  });
});

describe('a pointed list published over plain http (docs/adr/0100-signed-lists-over-http.md)', () => {
  it('is fetched with the pointed-list fetcher (http allowed) while configured lists keep the https-only one', async () => {
    const httpsOnly = boundedFetcher({ timeoutMs: 2000, maxBytes: 1024 * 1024, maxRedirects: 2, allowHttp: false, allowPrivateHosts: ['127.0.0.1'] });
    const withHttp = boundedFetcher({ timeoutMs: 2000, maxBytes: 1024 * 1024, maxRedirects: 2, allowHttp: true, allowPrivateHosts: ['127.0.0.1'] });
    const dir = await tempDir();
    server.route('/http-tl.xml', { body: await signTrustedListXml(eaaTl(), tlSigner) });
    expect(server.url('/http-tl.xml')).toMatch(/^http:/);
    const lotl = writeTrustedListXml({ operator: 'EU', issued: new Date(t0.getTime() - DAY), nextUpdate: new Date(t0.getTime() + 30 * DAY), services: [], pointers: [{ location: server.url('/http-tl.xml'), signerCertsDer: [tlSigner.der], territory: 'SE' }] });
    await writeFile(join(dir, 'lotl.xml'), await signTrustedListXml(lotl, signer));

    const refusedByHttpsOnly = await TrustListManager.start(managerOptions({ now: t0 }, { mode: 'development', dir, fetch: httpsOnly }));
    expect(refusedByHttpsOnly.report().lists[1]).toMatchObject({ state: 'failed', last_error: { code: 'TRUST_LIST_INVALID', detail: expect.stringMatching(/scheme http: is not allowed/) } });

    const manager = await TrustListManager.start(managerOptions({ now: t0 }, { dir, fetch: httpsOnly, fetchPointed: withHttp }));
    await expect(manager.current().validateIssuerChain({ x5c: x5cOf(eaaIssuer), categories: ['eaa'], now: t0 })).resolves.toMatchObject({ evidence: { list: server.url('/http-tl.xml') } });
  });

  it('signed by anyone but the pointer\'s certificate adds nothing, http or not', async () => {
    const dir = await tempDir();
    server.route('/http-forged.xml', { body: await signTrustedListXml(eaaTl(), otherSigner) });
    const lotl = writeTrustedListXml({ operator: 'EU', issued: new Date(t0.getTime() - DAY), nextUpdate: new Date(t0.getTime() + 30 * DAY), services: [], pointers: [{ location: server.url('/http-forged.xml'), signerCertsDer: [tlSigner.der], territory: 'SE' }] });
    await writeFile(join(dir, 'lotl.xml'), await signTrustedListXml(lotl, signer));
    const manager = await TrustListManager.start(managerOptions({ now: t0 }, { mode: 'development', dir }));
    await expect(manager.current().validateIssuerChain({ x5c: x5cOf(eaaIssuer), categories: ['eaa'], now: t0 })).rejects.toMatchObject({ code: 'ISSUER_UNTRUSTED' });
  });
});

describe('a trust list directory', () => {
  it('is read again on refresh: new files are added, removed files dropped', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'pid.jws'), await signLote(pidLote(new Date(t0.getTime() - HOUR), new Date(t0.getTime() + DAY)), signer));
    const manager = await TrustListManager.start(managerOptions({ now: t0 }, { dir }));
    await writeFile(join(dir, 'eaa.xml'), await signTrustedListXml(eaaTl(), signer));
    await manager.refresh();
    expect(manager.loaded().map((l) => l.name)).toEqual(['eaa.xml', 'pid.jws']);
    await unlink(join(dir, 'pid.jws'));
    await manager.refresh();
    expect(manager.loaded().map((l) => l.name)).toEqual(['eaa.xml']);
    await expect(validatesPid(manager, t0)).rejects.toMatchObject({ code: 'ISSUER_UNTRUSTED' });
  });
});
