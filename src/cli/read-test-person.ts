/**
 * Reads a test person's wallet file from the fixtures; an unknown person or missing fixtures are a
 * user's mistake, named with what there is instead.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WalletFile } from '../issuer/generate-fixtures.ts';
import { UsageError } from './user-mistake.ts';

export async function readTestPerson(fixturesDir: string, person: string): Promise<WalletFile> {
  const dir = join(fixturesDir, 'wallet');
  const persons = await readdir(dir).then(
    (names) => names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)),
    () => undefined,
  );
  if (persons === undefined) throw new UsageError(`no fixtures in ${fixturesDir}: run \`npm run fixtures\` (or start the service once with \`npm start\`)`);
  if (!persons.includes(person)) throw new UsageError(`unknown test person "${person}"; the test persons are ${persons.sort().join(', ')}`);
  return JSON.parse(await readFile(join(dir, `${person}.json`), 'utf8')) as WalletFile;
}
