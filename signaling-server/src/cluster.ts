import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { connectRedis, type RedisClient } from './registry/redis/connection.ts';
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
 * Joins the trackers sharing `config.redis` (one Redis server or a Redis Cluster). Throws a `RedisUnavailableError`
 * with a readable message when Redis cannot be reached.
 */
export async function openCluster(config: Config, logger: Logger, options: ClusterOptions = {}): Promise<Cluster> {
  const target = config.redis;
  if (target === undefined) throw new Error('openCluster needs REDIS_URL or REDIS_CLUSTER_URLS');
  const registry = await RedisRegistry.open({
    ...target,
    logger,
    leaseMs: config.trackerLeaseMs,
    prefix: options.prefix,
    snapshotIntervalMs: options.snapshotIntervalMs,
  });
  let adapterClient: RedisClient;
  try {
    // The adapter's read loop retries at once on a failed read, so its connection queues commands while Redis is
    // away instead of failing them (which would spin). It duplicates this client for its blocking reads and its
    // subscriptions (on a cluster, `PUBLISH` reaches every node, and its server count asks every master: so its
    // connections, the subscriber's included, go to masters only).
    adapterClient = await connectRedis(target, {
      name: `shoal-adapter-${registry.trackerId}`,
      offlineQueue: true,
      mastersOnly: true,
    });
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
