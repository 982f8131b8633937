/**
 * The test wallet in the page (development mode only): the built-in wallet simulator (`runWallet`)
 * answers the portal's own request as one of the fixture persons, over HTTP to this service, with
 * every check a real wallet's answer goes through. Persons are the wallet files under
 * `FIXTURES_DIR/wallet/`, described by the representation fixtures (`representation.json`).
 *
 * Development code: the development composition (dev/compose-development.ts) builds it; production
 * never loads this module.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WalletFile } from '../issuer/generate-fixtures.ts';
import type { TestWallet } from '../web/test-wallet-port.ts';
import type { RepresentationFixture } from '../issuer/representation-fixtures.ts';
import { testOrganisations } from '../issuer/test-persons.ts';
import type { TrustStore } from '../trust/types.ts';
import { runWallet } from '../wallet/wallet.ts';
import { kindOfVct } from '../portal/representation/representation-types.ts';
import { rolePhrase } from '../web/plain-words.ts';

const PERSON_ID = /^[a-z0-9-]{1,40}$/;

export function createTestWallet(opts: { readonly fixturesDir: string; readonly trust: () => TrustStore }): TestWallet {
  const walletDir = join(opts.fixturesDir, 'wallet');
  let cache: Promise<ReadonlyMap<string, WalletFile>> | undefined;
  const wallets = (): Promise<ReadonlyMap<string, WalletFile>> => {
    cache ??= loadWallets(walletDir).catch((err: unknown) => {
      cache = undefined;
      throw err;
    });
    return cache;
  };

  return {
    async persons(lang) {
      const all = await wallets();
      const fixtures = await readRepresentationFixtures(opts.fixturesDir);
      const list = new Intl.ListFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { type: 'conjunction' });
      const nameOf = (id: string): string => {
        const p = all.get(id)?.person;
        return p === undefined ? (testOrganisations.find((o) => o.id === id)?.legal_name ?? id) : `${p.given_name} ${p.family_name}`;
      };
      return [...all.values()].map((w) => {
        // "Anna Andersson – som vårdnadshavare för Elsa Andersson och Oskar Andersson"
        const byKind = new Map<string, string[]>();
        for (const f of fixtures.filter((x) => x.person === w.person.id && x.state === 'valid')) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), nameOf(f.represented)]);
        const roles = [...byKind].map(([kind, names]) => rolePhrase(kind, undefined, list.format(names), lang));
        return { id: w.person.id, label: `${w.person.given_name} ${w.person.family_name}${roles.length === 0 ? '' : ` – ${roles.join('; ')}`}` };
      });
    },
    async answer(uri, personId, mode) {
      const held = PERSON_ID.test(personId) ? (await wallets()).get(personId) : undefined;
      if (held === undefined) return { ok: false, message: 'No such test person.' };
      const wallet = mode === 'share_pid' ? { ...held, credentials: held.credentials.filter((c) => c.format !== 'dc+sd-jwt' || kindOfVct(c.vct) === undefined) } : held;
      try {
        const run = await runWallet(uri, { wallet, trust: opts.trust(), ...(mode === 'decline' && { misbehave: { decline: true } }) });
        if (run.responseStatus !== 200) {
          const code = (run.responseBody as { code?: unknown } | null)?.code;
          return { ok: false, message: `The verifier refused the answer (${typeof code === 'string' ? code : run.responseStatus}).` };
        }
        return { ok: true, ...(run.redirectUri !== undefined && { redirectUri: run.redirectUri }) };
      } catch (err) {
        // The simulator's own messages name queries and credential types, never claim values.
        const message = err instanceof Error ? err.message : 'The test wallet failed.';
        const missing = /holds no credential for query "([^"]{1,64})"/.exec(message)?.[1];
        return { ok: false, message, ...(missing !== undefined && { missingQuery: missing }) };
      }
    },
  };
}

async function loadWallets(dir: string): Promise<ReadonlyMap<string, WalletFile>> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const out = new Map<string, WalletFile>();
  for (const file of files) {
    const wallet = JSON.parse(await readFile(join(dir, file), 'utf8')) as WalletFile;
    if (PERSON_ID.test(wallet.person.id)) out.set(wallet.person.id, wallet);
  }
  return out;
}

async function readRepresentationFixtures(fixturesDir: string): Promise<readonly RepresentationFixture[]> {
  try {
    const json = JSON.parse(await readFile(join(fixturesDir, 'representation.json'), 'utf8')) as { credentials?: RepresentationFixture[] };
    return json.credentials ?? [];
  } catch {
    return [];
  }
}
