/**
 * The development composition: development mode's embedded defaults (compose/development.ts),
 * built from the fixture issuer, the fixture status lists and the developer wallet. Loaded by the
 * composition root with a dynamic import in development mode only.
 */
import { join } from 'node:path';
import type { DevelopmentDefaults, DevelopmentPaths } from '../compose/development.ts';
import { devRegistrationCertificates, ensureDevRpClient, ensureDevVerifierCertificate, ensureFixtures } from './development-defaults.ts';
import { fixtureStatusListFetch } from './fixture-status-fetch.ts';
import { createTestWallet } from './test-wallet.ts';

export function composeDevelopment(paths: DevelopmentPaths): DevelopmentDefaults {
  return {
    ensureFixtures: (now) => ensureFixtures(paths, now),
    verifierCertificate: (publicBaseUrl) => ensureDevVerifierCertificate(paths, publicBaseUrl),
    rpClient: (useCases, publicBaseUrl, portalUseCases) => ensureDevRpClient(paths, useCases, publicBaseUrl, portalUseCases),
    registrationCertificates: (useCases, sub, now) => devRegistrationCertificates(paths, useCases, sub, now),
    listSignerCertFile: join(paths.fixturesDir, 'pki', 'list-signer.pem'),
    statusFetch: (http) => fixtureStatusListFetch(paths.fixturesDir, http),
    testWallet: (trust) => createTestWallet({ fixturesDir: paths.fixturesDir, trust }),
  };
}
