/**
 * The interop corpus as a whole (tests/interop/credentials, tests/interop/trusted-lists): every file
 * in it has one SOURCE.md row naming the repository, path, commit and licence it was copied from and
 * what it must give, and the corpus keeps its breadth — at least 20 replayed artifacts from at least
 * 5 source repositories. What each artifact gives is tested by credentials.test.ts and
 * trusted-lists.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = import.meta.dirname;
const CORPORA = ['credentials', 'trusted-lists'] as const;

interface Row {
  readonly corpus: string;
  readonly file: string;
  readonly repository: string;
  readonly path: string;
  readonly commit: string;
  readonly licence: string;
  readonly replayedAt: string;
  readonly expected: string;
}

/** The table rows of a SOURCE.md: `| \`file\` | repository | path | commit | licence | replayed at | expected |`. */
function rows(corpus: string): Row[] {
  return readFileSync(join(ROOT, corpus, 'SOURCE.md'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim());
      const [file = '', repository = '', path = '', commit = '', licence = '', replayedAt = '', ...expected] = cells;
      return { corpus, file: file.replaceAll('`', ''), repository, path, commit, licence, replayedAt, expected: expected.join(' | ') };
    });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

const all = CORPORA.flatMap(rows);

describe('the interop corpus', () => {
  it.each(CORPORA)('every file in %s has exactly one SOURCE.md row, and every row a file', (corpus) => {
    const files = filesUnder(join(ROOT, corpus))
      .map((file) => relative(join(ROOT, corpus), file))
      .filter((file) => file !== 'SOURCE.md')
      .sort();
    expect(
      rows(corpus)
        .map((row) => row.file)
        .sort(),
    ).toEqual(files);
  });

  it.each(all.map((row) => [`${row.corpus}/${row.file}`, row] as const))('%s names its repository, path, commit and licence, and what it gives', (_name, row) => {
    expect(row.repository).toMatch(/^[A-Za-z0-9][\w.-]*\/[\w.-]+/);
    expect(row.path).not.toMatch(/^(|—)$/);
    expect(row.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(row.licence).toMatch(/^(Apache-2\.0|LGPL-2\.1|AGPL-3\.0|BSD-2-Clause|MIT)$/);
    expect(row.expected.length).toBeGreaterThan(10);
  });

  it('holds at least 20 replayed artifacts from at least 5 source repositories', () => {
    const replayed = all.filter((row) => row.replayedAt !== '—');
    expect(replayed.length).toBeGreaterThanOrEqual(20);
    expect(new Set(replayed.map((row) => row.repository.split(' ')[0])).size).toBeGreaterThanOrEqual(5);
  });
});
