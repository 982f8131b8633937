/**
 * openSqlite / closeSqlite (src/store/open-sqlite.ts): the adapters on one file share one
 * connection within a process; it stays open until the last of them closes it; `:memory:` is
 * never shared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeSqlite, openSqlite } from '../../src/store/open-sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'open-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openSqlite', () => {
  it('gives the adapters on one file one connection, closed by the last of them', () => {
    const file = join(dir, 'a.sqlite');
    const first = openSqlite(file);
    const second = openSqlite(join(dir, '.', 'a.sqlite'));
    expect(second).toBe(first);
    expect(first.pragma('journal_mode', { simple: true })).toBe('wal');
    closeSqlite(first);
    expect(second.open).toBe(true);
    expect(second.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
    closeSqlite(second);
    expect(second.open).toBe(false);
    const again = openSqlite(file);
    expect(again).not.toBe(first);
    expect(again.open).toBe(true);
    closeSqlite(again);
  });

  it('never shares :memory: databases', () => {
    const a = openSqlite(':memory:');
    const b = openSqlite(':memory:');
    expect(a).not.toBe(b);
    closeSqlite(a);
    expect(b.open).toBe(true);
    closeSqlite(b);
  });
});
