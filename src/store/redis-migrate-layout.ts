/**
 * Moves sharing-log entries written in the earlier single-server key layout into the cluster-safe
 * one (docs/adr/0280-redis-cluster-key-layout.md). Transactions and sessions are short-lived and
 * are not moved (they end; their old keys expire by themselves); sharing-log entries live for the
 * retention period, so they are.
 *
 * Old: a list `<prefix>log:<kind>:<account key>` (members `<sequence>:<id>` scored by time), an
 * entry hash `<prefix>log-entry:<id>` (`x`, `b`), a global counter `<prefix>log-seq` and index
 * `<prefix>log-purge`. New: `<prefix>log:{<kind>:<account key>}` with `…:e:<id>` and `…:seq`, and
 * the bucketed purge index. The sealed body is bound to the entry id, not to the key name, so it is
 * copied as it is: no store key is needed. Run it against the one server, with the new version's
 * instances stopped or already running (appends go to the new keys either way); it can be run
 * again (an entry already moved is skipped) and deletes each old key once its entries are moved.
 */
import type { Redis } from 'ioredis';
import type { SharingLogKind } from '../portal/sharing-log-entry.ts';
import { expiryMs } from './redis-client.ts';
import { appendSealedEntry } from './redis-sharing-log-store.ts';

export interface MigrationReport {
  readonly lists: number;
  readonly entries: number;
}

export async function migrateSharingLogLayout(client: Redis, prefix: string, clock: () => number = Date.now): Promise<MigrationReport> {
  let lists = 0;
  let entries = 0;
  const oldList = new RegExp(`^${escape(prefix)}log:(disclosure|acted_on_behalf):([^{}]+)$`);
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}log:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const m = oldList.exec(key);
      if (m === null || (await client.type(key)) !== 'zset') continue;
      const kind = m[1] as SharingLogKind;
      const accountKey = m[2]!;
      const members = await client.zrange(key, 0, -1, 'WITHSCORES');
      for (let i = 0; i + 1 < members.length; i += 2) {
        const member = members[i]!;
        const id = member.slice(member.indexOf(':') + 1);
        const [x, b] = await client.hmget(`${prefix}log-entry:${id}`, 'x', 'b');
        const moved =
          typeof x === 'string' &&
          typeof b === 'string' &&
          (await appendSealedEntry(client, { prefix, ttlMs: expiryMs(Number(x), clock(), 30_000) }, { id, accountKey, kind, at: Number(members[i + 1]), expiresAt: Number(x), sealed: b }));
        if (moved) entries++;
        await client.del(`${prefix}log-entry:${id}`);
      }
      await client.del(key);
      lists++;
    }
  } while (cursor !== '0');
  await client.del(`${prefix}log-seq`, `${prefix}log-purge`);
  return { lists, entries };
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
