/**
 * Rate-limit counts shared by every process of the service through Redis
 * (src/http/rate-limit.ts, docs/adr/0261-rate-limits-shared-through-the-store.md).
 *
 * One hash per limiter and window, `<prefix>rl:{<limiter>:<window start>}`, a field per key (a
 * client IP's key, `rp:<client id>`): one script adds a process's counts and answers the totals,
 * touching that one key only (one hash slot on a Redis Cluster). The hash expires one window after
 * its window ends. No personal data beyond what the limit keys are (client addresses, as in the
 * access log); nothing sealed: counts only.
 */
import { LuaScript, type RedisConnection } from './redis-client.ts';

// KEYS[1]: the window's hash; ARGV[1]: its lifetime in ms; then key, delta pairs. Answers the totals in the same order.
const ADD = new LuaScript(
  `local totals = {}
for i = 2, #ARGV, 2 do
  totals[#totals + 1] = redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return totals`,
  1,
);

export class RedisRateLimitCounters {
  constructor(
    private readonly client: RedisConnection,
    private readonly keyPrefix = 'eudi-verifier:',
  ) {}

  async add(limiter: string, windowStart: number, windowMs: number, deltas: ReadonlyMap<string, number>): Promise<ReadonlyMap<string, number>> {
    const keys = [...deltas.keys()];
    const args: Array<string | number> = [2 * windowMs];
    for (const key of keys) args.push(key, deltas.get(key) ?? 0);
    const totals = (await ADD.run(this.client, [`${this.keyPrefix}rl:{${limiter}:${windowStart}}`], args)) as unknown[];
    return new Map(keys.map((key, i) => [key, Number(totals[i] ?? 0)]));
  }
}
