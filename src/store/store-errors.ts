/**
 * Errors of opening a store at start: a corrupt or unreadable database file, an unreachable
 * Redis. The message names the file or the URL (never a password) so that an operator can act.
 */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}
