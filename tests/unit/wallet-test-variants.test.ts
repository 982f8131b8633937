/**
 * The developer wallet's hostile-issuer flags (`--misbehave disclosable-authority`, `no-status`,
 * ADR 0360): a credential is replaced by its copy from the wallet file's `test_variants` only under
 * the flag, and a flag with no such copy stops the wallet instead of presenting honest credentials.
 */
import { describe, expect, it } from 'vitest';
import type { SdJwtWalletCredential, WalletFile } from '../../src/issuer/generate-fixtures.ts';
import { testPersons } from '../../src/issuer/test-persons.ts';
import { heldCredentials } from '../../src/wallet/wallet.ts';

const credential = (id: string, sdJwt: string): SdJwtWalletCredential => ({ id, format: 'dc+sd-jwt', vct: 'urn:se:eudi:representation:power-of-attorney:1', sd_jwt: sdJwt, holder_private_jwk: {} });
const person = testPersons[0];
if (person === undefined) throw new Error('no test person');
const WALLET: WalletFile = {
  person,
  credentials: [credential('pid', 'pid~'), credential('poa', 'honest~')],
  test_variants: [{ ...credential('poa', 'no-status~'), test_variant: 'no-status', variant_of: 'poa' }],
};

describe('heldCredentials', () => {
  it('without a flag: the credentials as they are, never a copy', () => {
    expect(heldCredentials(WALLET, undefined).map((c) => c.format === 'dc+sd-jwt' && c.sd_jwt)).toEqual(['pid~', 'honest~']);
  });
  it('with a flag: each credential that has a copy of that kind is replaced by it, the others stay', () => {
    expect(heldCredentials(WALLET, 'no-status').map((c) => c.format === 'dc+sd-jwt' && c.sd_jwt)).toEqual(['pid~', 'no-status~']);
  });
  it('with a flag the wallet file has no copy for: an error, not the honest credentials', () => {
    expect(() => heldCredentials(WALLET, 'disclosable-authority')).toThrow(/no "disclosable-authority" copy/);
    expect(() => heldCredentials({ person, credentials: WALLET.credentials }, 'no-status')).toThrow(/regenerate the fixtures/);
  });
});
