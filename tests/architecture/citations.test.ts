/**
 * Code and documentation cite standards by name and clause, or pages inside this repository: never
 * design notes kept outside it (SPECS.md, STYLE.md, MISSION.md, DESIGN.md, a ../shared/ folder),
 * which a reader of the repository cannot open.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const OUTSIDE = /\b(?:SPECS|STYLE|MISSION|DESIGN)\.md\b|\.\.\/shared\//;

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, ext);
    return ext.test(name) ? [path] : [];
  });
}

describe('citations', () => {
  it('no source file, doc page, README or SECURITY.md cites a document outside the repository', () => {
    const scanned = [...files(join(ROOT, 'src'), /\.(ts|js|css|html)$/), ...files(join(ROOT, 'docs'), /\.md$/), join(ROOT, 'README.md'), join(ROOT, 'SECURITY.md')];
    expect(scanned.length).toBeGreaterThan(100);
    const found = scanned.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, k) => (OUTSIDE.test(line) ? [`${relative(ROOT, file)}:${k + 1}`] : [])),
    );
    expect(found).toEqual([]);
  });
});
