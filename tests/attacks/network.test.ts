/**
 * Hostile-network attacks through the real server: a credential (or the configuration) names a
 * status list or trusted list at a private or loopback address, a list server answers slowly, with
 * a huge body, with a redirect into the internal network, or with a zlib bomb. Each presentation
 * fails with its code in bounded time (fail closed under the default status policy), and the
 * service keeps serving.
 */
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureStatusSigner } from '../../src/issuer/fixture-status-lists.ts';
import { x5cOf } from '../../src/issuer/pki.ts';
import { createStatusListJwt, newStatusList } from '../../src/issuer/status-list-writer.ts';
import { startLocalHttpServer, type LocalHttpServer } from '../helpers/local-http-server.ts';
import { startTestService } from '../helpers/test-service.ts';
import { expectFailedWith, issuePid, openTx, postVp, present, startAttackEnv, type AttackEnv } from './harness.ts';

let strict: AttackEnv;
let lab: AttackEnv;
let server: LocalHttpServer;
let counter = 0;

beforeAll(async () => {
  server = await startLocalHttpServer();
  [strict, lab] = await Promise.all([
    // No private host allowed.
    startAttackEnv(),
    // The loopback test server is allowed, with small bounds so that the attacks are quick.
    startAttackEnv({ FETCH_ALLOW_PRIVATE_HOSTS: '127.0.0.1', STATUS_LIST_FETCH_TIMEOUT_MS: '1000', STATUS_LIST_MAX_BYTES: '65536', STATUS_LIST_MAX_DECOMPRESSED_BYTES: '1048576' }),
  ]);
});
afterAll(async () => {
  await Promise.all([strict.stop(), lab.stop(), server.close()]);
});

/** A presentation whose status list is at `uri`; a fetch that is not cut off runs into the test timeout. */
async function presentWithStatusAt(e: AttackEnv, uri: string) {
  const tx = await openTx(e);
  const issued = await issuePid(e, { status: { idx: 1, uri } });
  const res = await postVp(tx, [await present(e, tx, issued)]);
  return { tx, res };
}

const freshPath = () => `/attack/${++counter}`;

describe('network: status list URIs into the internal network', () => {
  for (const uri of ['https://169.254.169.254/latest/meta-data', 'https://10.0.0.1/status', 'https://192.168.1.1/status', 'https://[::1]/status', 'https://[::ffff:127.0.0.1]/status', 'https://127.0.0.1/status', 'https://0.0.0.0/status', 'file:///etc/passwd', 'https://user:pw@pid-issuer.test.eudi.example/status']) {
    it(`a credential whose status list is at ${uri} is STATUS_LIST_URI_REFUSED`, async () => {
      const { tx, res } = await presentWithStatusAt(strict, uri);
      await expectFailedWith(strict, tx, res, 'STATUS_LIST_URI_REFUSED');
    });
  }
});

describe('network: trusted list URLs into the internal network', () => {
  for (const url of ['https://169.254.169.254/latest/tl.xml', 'https://10.1.2.3/tl.xml', 'https://[::1]/tl.xml']) {
    it(`a service configured with a trusted list at ${url} refuses to start (TRUST_LIST_INVALID), it never fetches it`, async () => {
      await expect(startTestService(strict.dirs, { TRUST_LIST_URLS: url })).rejects.toMatchObject({ code: 'TRUST_LIST_INVALID' });
      expect((await fetch(`${strict.t.baseUrl}/healthz`)).status).toBe(200);
    });
  }
});

describe('network: hostile list servers', () => {
  it('a redirect from the list server to a private address is refused (STATUS_LIST_URI_REFUSED)', async () => {
    const path = freshPath();
    server.route(path, { redirect: 'http://10.0.0.1/status' });
    const { tx, res } = await presentWithStatusAt(lab, server.url(path));
    await expectFailedWith(lab, tx, res, 'STATUS_LIST_URI_REFUSED');
  });

  it('a slow list server is cut off at the timeout (STATUS_LIST_UNAVAILABLE), before it answers', async () => {
    const path = freshPath();
    server.route(path, { delayMs: 10_000, contentType: 'application/statuslist+jwt', body: 'x' });
    const { tx, res } = await presentWithStatusAt(lab, server.url(path));
    await expectFailedWith(lab, tx, res, 'STATUS_LIST_UNAVAILABLE');
  });

  it('a huge status list response is refused at the size cap (STATUS_LIST_INVALID)', async () => {
    const path = freshPath();
    server.route(path, { contentType: 'application/statuslist+jwt', body: 'x'.repeat(4 * 1024 * 1024) });
    const { tx, res } = await presentWithStatusAt(lab, server.url(path));
    await expectFailedWith(lab, tx, res, 'STATUS_LIST_INVALID');
  });

  it('a correctly signed status list that is a zlib bomb is refused without inflating it (STATUS_LIST_INVALID)', async () => {
    const path = freshPath();
    const signer = await loadFixtureStatusSigner(lab.dirs.fixtures);
    const now = Math.floor(Date.now() / 1000);
    const token = await createStatusListJwt({ list: newStatusList(2, 256), uri: server.url(path), signerKey: signer.privateKey, x5c: x5cOf(signer), iat: now - 10, exp: now + 3600, ttl: 600, lst: deflateSync(Buffer.alloc(32 * 1024 * 1024), { level: 9 }) });
    expect(token.length).toBeLessThan(65536);
    server.route(path, { contentType: 'application/statuslist+jwt', body: token });
    const { tx, res } = await presentWithStatusAt(lab, server.url(path));
    await expectFailedWith(lab, tx, res, 'STATUS_LIST_INVALID');
  });

  it('a status list served as another media type is STATUS_LIST_INVALID', async () => {
    const path = freshPath();
    const signer = await loadFixtureStatusSigner(lab.dirs.fixtures);
    const now = Math.floor(Date.now() / 1000);
    server.route(path, { contentType: 'text/html', body: await createStatusListJwt({ list: newStatusList(2, 256), uri: server.url(path), signerKey: signer.privateKey, x5c: x5cOf(signer), iat: now - 10, exp: now + 3600 }) });
    const { tx, res } = await presentWithStatusAt(lab, server.url(path));
    await expectFailedWith(lab, tx, res, 'STATUS_LIST_INVALID');
  });
});
