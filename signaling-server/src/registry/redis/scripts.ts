import type { RedisClient } from './connection.ts';

/**
 * Renews a tracker's lease on the Redis clock (so trackers on machines with skewed clocks agree).
 * KEYS: trackers. ARGV: tracker id, lease ms. Returns the new expiry.
 */
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expiry = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], expiry, ARGV[1])
return expiry
`;

/**
 * Removes the trackers whose lease ran out, and the trackers given in ARGV[2..] that hold no lease at all (and were
 * not removed already in the last hour), writing one `remove-tracker` command to the log for each, in one atomic
 * step: several survivors may sweep at once, and each lapsed tracker is removed once. KEYS: trackers, log, gone
 * (sorted set: removed tracker -> when). ARGV: sweeping tracker id, then known tracker ids. Returns the removed ids.
 */
const SWEEP = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 3600000)
local removed = {}
local function remove(id)
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZADD', KEYS[3], now, id)
  local entry = cjson.encode({ tracker = ARGV[1], seq = 0, command = { op = 'remove-tracker', tracker = id } })
  redis.call('XADD', KEYS[2], '*', 'e', entry)
  table.insert(removed, id)
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
  if id ~= ARGV[1] then remove(id) end
end
for i = 2, #ARGV do
  local id = ARGV[i]
  if id ~= ARGV[1] and redis.call('ZSCORE', KEYS[1], id) == false and redis.call('ZSCORE', KEYS[3], id) == false then
    remove(id)
  end
end
return removed
`;

/** Sets a new epoch only if the current one is the expected one. KEYS: epoch. ARGV: expected, new. */
const REPLACE_EPOCH = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) end
return redis.call('GET', KEYS[1])
`;

/**
 * The two fields of `XINFO STREAM` the lease keeper needs, as `[last-generated-id, max-deleted-entry-id]` (none when
 * the stream does not exist). A script because ioredis finds no key in `XINFO STREAM key` and, on a cluster, would
 * send it to any node and follow the redirection, refreshing its slot map each time. KEYS: log.
 */
const STREAM_INFO = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local last, maxDeleted = false, false
for i = 1, #info, 2 do
  if info[i] == 'last-generated-id' then last = info[i + 1] end
  if info[i] == 'max-deleted-entry-id' then maxDeleted = info[i + 1] end
end
return { last, maxDeleted }
`;

/** The Lua scripts the registry runs, as typed functions on one connection. */
export interface Scripts {
  renew(trackers: string, tracker: string, leaseMs: number): Promise<number>;
  sweep(
    keys: { trackers: string; log: string; gone: string },
    self: string,
    known: readonly string[],
  ): Promise<string[]>;
  replaceEpoch(epoch: string, expected: string, next: string): Promise<string | null>;
  streamInfo(log: string): Promise<{ lastGenerated?: string; maxDeleted?: string }>;
}

export function scriptsOn(redis: RedisClient): Scripts {
  redis.defineCommand('shoalRenew', { numberOfKeys: 1, lua: RENEW });
  redis.defineCommand('shoalSweep', { numberOfKeys: 3, lua: SWEEP });
  redis.defineCommand('shoalReplaceEpoch', { numberOfKeys: 1, lua: REPLACE_EPOCH });
  redis.defineCommand('shoalStreamInfo', { numberOfKeys: 1, lua: STREAM_INFO });
  const call = (name: string, ...args: (string | number)[]): Promise<unknown> =>
    (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[name]!(...args);
  return {
    renew: async (trackers, tracker, leaseMs) => Number(await call('shoalRenew', trackers, tracker, leaseMs)),
    sweep: async ({ trackers, log, gone }, self, known) =>
      (await call('shoalSweep', trackers, log, gone, self, ...known)) as string[],
    replaceEpoch: async (epoch, expected, next) =>
      (await call('shoalReplaceEpoch', epoch, expected, next)) as string | null,
    streamInfo: async (log) => {
      const [lastGenerated, maxDeleted] = (await call('shoalStreamInfo', log)) as (string | null | undefined)[];
      return { lastGenerated: lastGenerated ?? undefined, maxDeleted: maxDeleted ?? undefined };
    },
  };
}
