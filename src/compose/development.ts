/**
 * What the production composition asks of development mode's embedded defaults: fixtures, a
 * verifier certificate from the fixture access CA, the development RP client, the fixture list
 * operator's certificate, fixture status lists served from disk, and the test wallet in the demo
 * portal. The implementation (dev/compose-development.ts) is development code: the composition
 * root loads it by dynamic import in development mode only, so production never loads the fixture
 * issuer, the developer wallet or the fixture status lists.
 */
import type { RpClient } from '../config/rp-clients.ts';
import type { BoundedFetch } from '../trust/fetch-bounded.ts';
import type { TrustStore } from '../trust/types.ts';
import type { TestWallet } from '../web/test-wallet-port.ts';
import type { UseCase } from '../use-cases/z-use-case.ts';

export interface DevelopmentPaths {
  readonly dataDir: string;
  readonly fixturesDir: string;
  readonly trustListDir: string;
}

export interface DevelopmentDefaults {
  /** Generates the fixtures unless valid ones exist. True when it generated. */
  ensureFixtures(now: Date): Promise<boolean>;
  /** The development verifier key and certificate, issued by the fixture access CA for the host of `publicBaseUrl`. */
  verifierCertificate(publicBaseUrl: string): Promise<{ readonly keyPem: string; readonly certPem: string }>;
  /** The development RP client (every use case) and its API key. */
  /** `portalUseCases`: those with a portal section, which the OpenID Connect bridge can run. */
  rpClient(useCases: readonly string[], publicBaseUrl: string, portalUseCases: readonly string[]): Promise<{ readonly client: RpClient; readonly apiKey: string }>;
  /**
   * Registration certificates (compact JWTs) for the development relying party, one per use case,
   * issued by the fixture WRPRC provider for the relying party identifier `sub`; registering exactly
   * what each use case asks for.
   */
  registrationCertificates(useCases: readonly UseCase[], sub: string, now: Date): Promise<ReadonlyMap<string, string>>;
  /** The fixture list operator's certificate (PEM file), pinned for the development trust lists. */
  readonly listSignerCertFile: string;
  /** Answers the fixture status list URIs from disk and every other URI through `http`. */
  statusFetch(http: BoundedFetch): BoundedFetch;
  /** The test wallet in the demo portal's pages. */
  testWallet(trust: () => TrustStore): TestWallet;
}
