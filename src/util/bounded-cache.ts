/**
 * A bounded least-recently-used map: at most `max` entries, the least recently used one evicted
 * first, so input an attacker controls cannot grow memory without limit. For facts that do not
 * depend on time (a parsed certificate, an imported public key); callers check validity at `now`.
 * Created and sized where the service is composed and passed in, like the clock.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly max: number) {
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError('BoundedCache: max must be a non-negative integer');
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    if (this.max === 0) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
  }

  /** The value for `key`, computed by `make` on a miss and kept. */
  getOrSet(key: K, make: () => V): V {
    const known = this.get(key);
    if (known !== undefined) return known;
    const value = make();
    this.set(key, value);
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}
