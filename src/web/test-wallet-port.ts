/**
 * What the demo portal needs of a test wallet in the page (development only): the fixture persons
 * to choose from, and an answer to the portal's own request as one of them. The implementation is
 * development code (dev/test-wallet.ts), handed in by the development composition; production
 * composes none.
 */
import type { Lang } from './z-web-state.ts';

export interface TestPersonChoice {
  readonly id: string;
  readonly label: string;
}

export type TestWalletOutcome =
  | { readonly ok: true; /** Same-device flow: where the wallet sends the browser back. */ readonly redirectUri?: string }
  | { readonly ok: false; readonly message: string; /** The credential query the person holds nothing for. */ readonly missingQuery?: string };

/** `share_pid`: the person shares only their PID, leaving out the representations the request asks for if held. */
export type TestWalletMode = 'share' | 'share_pid' | 'decline';

export interface TestWallet {
  persons(lang: Lang): Promise<readonly TestPersonChoice[]>;
  /** Answers `authorizationRequestUri` as `personId`: sharing all it is asked for, only the identity data (PID), or declining. */
  answer(authorizationRequestUri: string, personId: string, mode: TestWalletMode): Promise<TestWalletOutcome>;
}
