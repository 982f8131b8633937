/**
 * The lint half of the room boundaries (docs/architecture.md): `npm run lint` fails at a forbidden
 * import. For every room of architecture.config.js, a probe file in that room that imports each room
 * it must not import is linted with the project's own ESLint configuration: every such line is an
 * error of `no-restricted-imports`, and an import the room may make is not.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { forbiddenImports } from '../../architecture.config.js';

/** Rooms that are a file directly under src/, not a folder. */
const fileRooms = new Set(['server', 'errors', 'citizen-messages']);

const probePath = (room: string): string => (fileRooms.has(room) ? `src/${room}.ts` : `src/${room}/probe.ts`);
const specifier = (from: string, to: string): string => `${fileRooms.has(from) ? './' : '../'}${fileRooms.has(to) ? `${to}.ts` : `${to}/probe.ts`}`;

describe('lint fails on a forbidden import', () => {
  const eslint = new ESLint({ cwd: process.cwd() });

  it.each(Object.entries(forbiddenImports))('in %s, every import of a room it must not import is a lint error', async (room, forbidden) => {
    const code = forbidden.map((to) => `import '${specifier(room, to)}';`).join('\n');
    const [result] = await eslint.lintText(`${code}\n`, { filePath: probePath(room) });
    const refused = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.line);
    expect(refused).toEqual(forbidden.map((_, k) => k + 1));
  });

  it('an import the room may make is not refused (the rule is not simply refusing everything)', async () => {
    const [result] = await eslint.lintText(`import '../util/random.ts';\nimport '../jose/parse-jws.ts';\n`, { filePath: 'src/formats/probe.ts' });
    expect((result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  });
});
