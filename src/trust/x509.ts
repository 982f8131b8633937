/**
 * The one place that loads `@peculiar/x509`.
 *
 * The library resolves its algorithms through `tsyringe`, which needs the `reflect-metadata`
 * polyfill loaded before it; and it takes WebCrypto from a provider registry. Both are set up
 * here, so every other module imports `x509` from this file and never from the package.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
