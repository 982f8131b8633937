/**
 * Trusted lists as operators see them on the real server: `/readyz` and `/metrics` show each
 * list's state and age; once the lists are past NextUpdate plus the grace period the service is
 * not ready (503) and their anchors validate nothing (fail closed).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from '../helpers/prometheus.ts';
import { createFixtureDirs, removeDir, startTestService, type TestService } from '../helpers/test-service.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: TestService;
let clock = Date.now();
const DAY = 86_400_000;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startTestService(dirs, { TRUST_LIST_GRACE_SECONDS: '3600' }, { now: () => clock });
});
afterAll(async () => {
  await t.stop();
  await removeDir(dirs.root);
});

interface ReadyList {
  name: string;
  format: string;
  state: string;
  signed: boolean;
  anchors: number;
  age_seconds: number;
  next_update: string;
}

async function readyz(): Promise<{ status: number; body: { status: string; trust_lists: ReadyList[]; missing_categories?: string[] } }> {
  const res = await fetch(`${t.baseUrl}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; trust_lists: ReadyList[]; missing_categories?: string[] } };
}

const pidIssuerX5c = async (): Promise<string[]> => {
  const pem = await readFile(join(dirs.fixtures, 'pki', 'pid-issuer.pem'), 'utf8');
  return [pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')];
};

describe('readiness and metrics show every trusted list', () => {
  it('readyz lists each list with its format, state, signature, anchors and age', async () => {
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.status).toBe('ready');
    const byName = new Map(body.trust_lists.map((list) => [list.name, list]));
    expect(byName.get('dev-pid-providers.lote.jws')).toMatchObject({ format: 'etsi-119602', state: 'current', signed: true, anchors: expect.any(Number) });
    expect(byName.get('dev-eaa-providers.xml')).toMatchObject({ format: 'etsi-119612', state: 'current', signed: true, anchors: 1 });
    expect(byName.get('dev-pid-providers.lote.jws')?.age_seconds).toBeGreaterThanOrEqual(0);
  });

  it('metrics expose state, age, anchors and time to NextUpdate per list', async () => {
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(text).toContain('verifier_trust_list_state{list="dev-eaa-providers.xml",state="current"} 1');
    expect(text).toContain('verifier_trust_list_state{list="dev-eaa-providers.xml",state="expired"} 0');
    expect(text).toMatch(/verifier_trust_list_age_seconds\{list="dev-pid-providers.lote.jws"\} \d+/);
    expect(text).toMatch(/verifier_trust_list_anchors\{list="dev-eaa-providers.xml"\} 1/);
    expect(text).toMatch(/verifier_trust_list_next_update_seconds\{list="dev-access-ca.lote.jws"\} \d+/);
    expect(text).toContain('verifier_trust_ready 1');
  });

  it('metrics expose the seconds until the access certificate and each registration certificate sent to wallets expire', async () => {
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(metricValue(text, 'verifier_certificate_expiry_seconds{kind="access",client="service",use_case=""}')).toBeGreaterThan(0);
    const registrations = text.split('\n').filter((l) => l.startsWith('verifier_certificate_expiry_seconds{kind="registration"'));
    expect(registrations.length).toBeGreaterThan(0);
    for (const line of registrations) expect(Number(line.split(' ')[1])).toBeGreaterThan(0);
  });
});

describe('past NextUpdate plus grace', () => {
  it('the lists are expired, readyz answers 503 and no issuer validates', async () => {
    const { body } = await readyz();
    const nextUpdate = Date.parse(body.trust_lists.find((l) => l.name === 'dev-pid-providers.lote.jws')?.next_update ?? '');
    const x5c = await pidIssuerX5c();
    clock = nextUpdate + 1800_000; // within the hour of grace: stale but in use
    const stale = await readyz();
    expect(stale.status).toBe(200);
    expect(stale.body.trust_lists.find((l) => l.name === 'dev-pid-providers.lote.jws')?.state).toBe('stale');
    await expect(t.service.deps.trust().validateIssuerChain({ x5c, categories: ['pid'], now: new Date(clock - DAY) })).resolves.toBeDefined();

    clock = nextUpdate + 2 * 3600_000; // past grace
    const expired = await readyz();
    expect(expired.status).toBe(503);
    expect(expired.body).toMatchObject({ status: 'not_ready', missing_categories: expect.arrayContaining(['pid']) });
    expect(expired.body.trust_lists.find((l) => l.name === 'dev-pid-providers.lote.jws')).toMatchObject({ state: 'expired', anchors: 0 });
    await expect(t.service.deps.trust().validateIssuerChain({ x5c, categories: ['pid'], now: new Date(clock) })).rejects.toMatchObject({ code: 'ISSUER_UNTRUSTED' });
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(text).toContain('verifier_trust_list_state{list="dev-pid-providers.lote.jws",state="expired"} 1');
    expect(text).toContain('verifier_trust_ready 0');
  });
});
