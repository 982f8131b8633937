/**
 * Global names for the WebCrypto types (`CryptoKey`, `CryptoKeyPair`, `JsonWebKey`).
 *
 * The project compiles with `lib: ES2023` and `types: node`; @types/node 20 declares the
 * global `crypto` but not these type names, which `trust/types.ts` and `@peculiar/x509` use.
 * Interfaces (not aliases) so that another declaration of the same names merges instead of
 * clashing.
 */
import type { webcrypto } from 'node:crypto';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface CryptoKey extends webcrypto.CryptoKey {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface CryptoKeyPair extends webcrypto.CryptoKeyPair {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface JsonWebKey extends webcrypto.JsonWebKey {}
}

export {};
