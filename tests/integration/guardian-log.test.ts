/**
 * A custodian reads the acted-on-my-behalf log of a child in their custody: with the guardianship
 * role active, `GET /v1/sessions/{id}/acted-on-my-behalf` is the child's log (`party: child`);
 * as themself, their own — never the child's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureDirs, removeDir } from '../helpers/test-service.ts';
import { startPortalService, type PortalTestService } from '../helpers/portal-service.ts';

let dirs: Awaited<ReturnType<typeof createFixtureDirs>>;
let t: PortalTestService;

beforeAll(async () => {
  dirs = await createFixtureDirs();
  t = await startPortalService(dirs);
});
afterAll(async () => {
  await t.stop();
  await removeDir(dirs.root);
});

type View = { session_id: string; roles: Array<Record<string, unknown>> };

describe('Anna, custodian of Elsa', () => {
  it('reads what was done on Elsa’s behalf with the guardianship role active, and her own log as herself', async () => {
    const { transactionId } = await t.present('login-portal', await t.wallet('anna'));
    const session = (await t.call('POST', '/v1/sessions', { transaction_id: transactionId })).body as unknown as View;
    const elsa = String(session.roles.find((r) => r['display_name'] === 'Elsa Andersson')?.['id']);
    expect((await t.call('PUT', `/v1/sessions/${session.session_id}/active-role`, { role_id: elsa })).status).toBe(200);
    expect((await t.call('GET', `/v1/sessions/${session.session_id}/prefill/parental-benefit`)).status).toBe(200);

    const child = await t.call('GET', `/v1/sessions/${session.session_id}/acted-on-my-behalf`);
    expect(child.body['party']).toBe('child');
    const entries = child.body['entries'] as Array<Record<string, unknown>>;
    expect(entries.map((e) => e['action'])).toEqual(['form_prefilled', 'role_activated', 'representation_presented']);
    expect(entries[0]).toMatchObject({ actor: { name: 'Anna Andersson', is_reader: true }, representation: { kind: 'guardianship' } });

    await t.call('PUT', `/v1/sessions/${session.session_id}/active-role`, { role_id: 'self' });
    const own = await t.call('GET', `/v1/sessions/${session.session_id}/acted-on-my-behalf`);
    expect(own.body['party']).toBe('self');
    expect((own.body['entries'] as unknown[]).length).toBe(0);
  });
});
