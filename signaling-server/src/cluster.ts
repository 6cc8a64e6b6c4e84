import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { connectRedis } from './registry/redis/connection.ts';
import { localFirst } from './local-first-adapter.ts';
import { keysFor } from './registry/redis/keys.ts';
import { RedisRegistry } from './registry/redis.ts';

/** What ties one tracker process to the others: the shared registry and the Socket.IO adapter between them. */
export interface Cluster {
  registry: RedisRegistry;
  /** Relays emits to sockets held by other trackers, through a Redis stream (to local sockets directly). */
  adapter: ReturnType<typeof localFirst>;
  /** Leaves the registry (its peers go at once) and closes every Redis connection. Call after the tracker closed. */
  close(): Promise<void>;
}

/** Options of {@link openCluster} beyond the configuration. */
export interface ClusterOptions {
  /** Key prefix (tests give each cluster its own); the default is `{shoal}:`. */
  prefix?: string;
  snapshotIntervalMs?: number;
}

/**
 * Joins the trackers sharing `config.redisUrl`. Throws a `RedisUnavailableError` with a readable message when Redis
 * cannot be reached.
 */
export async function openCluster(config: Config, logger: Logger, options: ClusterOptions = {}): Promise<Cluster> {
  const url = config.redisUrl;
  if (url === undefined) throw new Error('openCluster needs REDIS_URL');
  const registry = await RedisRegistry.open({
    url,
    logger,
    leaseMs: config.trackerLeaseMs,
    prefix: options.prefix,
    snapshotIntervalMs: options.snapshotIntervalMs,
  });
  let adapterClient: Redis;
  try {
    // The adapter's read loop retries at once on a failed read, so its connection queues commands while Redis is
    // away instead of failing them (which would spin).
    adapterClient = await connectRedis(url, { name: `shoal-adapter-${registry.trackerId}`, offlineQueue: true });
  } catch (err) {
    await registry.close();
    throw err;
  }
  const stream = keysFor(options.prefix).adapterStream;
  const adapter = localFirst(createAdapter(adapterClient, { streamName: stream, channelPrefix: stream }));
  return {
    registry,
    adapter,
    async close() {
      await registry.close();
      adapterClient.disconnect();
    },
  };
}
