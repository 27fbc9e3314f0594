/**
 * Per-installation slots shared by every replica: a sorted set per installation whose members are
 * the jobs holding a slot, scored by when their lease runs out. A worker that dies stops renewing,
 * so its slot frees itself. Times come from the Redis server's clock, which all replicas share.
 */
import type { Redis } from "ioredis";

const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease)
return 1
`;

export class InstallationSlots {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limit: number,
    readonly leaseMs: number,
  ) {}

  private key(installation: number): string {
    return `${this.prefix}:slots:${installation}`;
  }

  /** Takes (or renews) a slot of the installation for `holder`; false when all are taken. */
  async acquire(installation: number, holder: string): Promise<boolean> {
    const taken = await this.redis.eval(
      ACQUIRE,
      1,
      this.key(installation),
      holder,
      this.leaseMs,
      this.limit,
    );
    return taken === 1;
  }

  async release(installation: number, holder: string): Promise<void> {
    await this.redis.zrem(this.key(installation), holder);
  }
}
