/**
 * Random identifiers, nonces and IVs from node:crypto's CSPRNG, drawn from a pool refilled 4 KiB
 * at a time — one CSPRNG call per hundred or so identifiers instead of one each, as node's own
 * `randomUUID` does. Bytes are handed out once and wiped from the pool as they are taken.
 * Long-lived secrets (keys) do not come from here: they use `randomBytes` directly.
 */
import { randomBytes, randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const MAX_DRAW = 256;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `n` fresh random bytes (a copy; the pool's bytes are wiped). */
export function freshRandomBytes(n: number): Buffer {
  if (n > MAX_DRAW) return randomBytes(n);
  if (offset + n > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + n));
  pool.fill(0, offset, offset + n);
  offset += n;
  return out;
}

/** `n` fresh random bytes as unpadded base64url. */
export const randomToken = (n: number): string => freshRandomBytes(n).toString('base64url');
