import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { clusterSeeds, describeTarget, type RedisTarget } from './target.ts';

/**
 * A connection to the shared registry's Redis: one server, or a whole cluster (ioredis's `Cluster` keeps a connection
 * per node it uses, follows MOVED and ASK redirections and a failover). Every key Shoal uses hashes to one slot, so
 * both run the same commands, scripts and transactions.
 */
export type RedisClient = Redis | Cluster;

/** Redis could not be reached at start-up; the message says where and why, without the password. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

/** Options of {@link connectRedis}. */
export interface ConnectOptions {
  /** Shown in `CLIENT LIST`. */
  name: string;
  /**
   * Queue commands while disconnected (and send them on reconnection) instead of failing them at once. The registry
   * fails fast (a request is answered with an error, not held); the Socket.IO adapter's read loop needs the queue.
   */
  offlineQueue: boolean;
  /** How long the first connection may take (default 5 s). */
  connectTimeoutMs?: number;
  /**
   * On a cluster: once connected, start again from its masters alone, so every connection this client (and its
   * duplicates) makes is to a master. See {@link connectRedis}.
   */
  mastersOnly?: boolean;
}

/** Reconnection delay: grows to 2 s, with jitter, so trackers do not all hit a restarted Redis at once. */
function retryDelay(attempt: number): number {
  return Math.min(2000, 50 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
}

function serverClient(url: string, options: ConnectOptions): Redis {
  const settings: RedisOptions = {
    lazyConnect: true,
    connectionName: options.name,
    enableOfflineQueue: options.offlineQueue,
    maxRetriesPerRequest: options.offlineQueue ? 20 : 1,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    retryStrategy: retryDelay,
  };
  return new Redis(url, settings);
}

function clusterClient(
  urls: readonly string[],
  options: ConnectOptions,
  nodes?: { host: string; port: number }[],
): Cluster {
  const seeds = clusterSeeds(urls);
  const settings: ClusterOptions = {
    lazyConnect: true,
    enableOfflineQueue: options.offlineQueue,
    clusterRetryStrategy: retryDelay,
    redisOptions: {
      connectionName: options.name,
      username: seeds.username,
      password: seeds.password,
      maxRetriesPerRequest: options.offlineQueue ? 20 : 1,
      connectTimeout: options.connectTimeoutMs ?? 5000,
      ...(seeds.tls && { tls: {} }),
    },
    // With TLS, nodes are reached by the names their certificates carry, not by the addresses those resolve to.
    ...(seeds.tls && { dnsLookup: (address, lookedUp) => lookedUp(null, address) }),
  };
  return new Cluster(nodes ?? seeds.nodes, settings);
}

/** Rejects after `ms`: a cluster whose state is not `ok` keeps retrying without ever failing `connect()`. */
function deadline(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`not ready within ${ms} ms`)), ms).unref());
}

/** Whether a server is a node of a cluster (INFO may be disabled by a managed service: then it is taken for not). */
async function isClusterNode(redis: Redis): Promise<boolean> {
  const info = await redis.info('cluster').catch(() => '');
  return /^cluster_enabled:1\b/m.test(info);
}

/**
 * Opens one connection (to a server or a cluster) and waits until it is ready; throws a {@link RedisUnavailableError}
 * if it cannot be reached. Once open, it reconnects by itself for ever.
 */
export async function connectRedis(target: RedisTarget, options: ConnectOptions): Promise<RedisClient> {
  const client = await connect(target, options);
  if (!options.mastersOnly || !('clusterUrls' in target)) return client;
  // A cluster client's subscriber connection goes to a node drawn from its seeds, replicas among them, and stays
  // there after it learns the cluster's masters; but the Socket.IO adapter counts the trackers by the subscribers
  // of the masters alone (PUBSUB NUMSUB on each node it keeps). A tracker subscribed on a replica went uncounted, and
  // a browse of another tracker's page was answered at once with no reply. Seeded with the masters, it never is.
  const masters = (client as Cluster)
    .nodes('master')
    .map(({ options: node }) => ({ host: node.host ?? '', port: node.port ?? 0 }));
  client.disconnect();
  return connect(target, options, masters);
}

async function connect(
  target: RedisTarget,
  options: ConnectOptions,
  clusterNodes?: { host: string; port: number }[],
): Promise<RedisClient> {
  const client =
    'url' in target ? serverClient(target.url, options) : clusterClient(target.clusterUrls, options, clusterNodes);
  // Errors are reported through the state the owners watch; without a listener ioredis would print each retry.
  let lastError: Error | undefined;
  client.on('error', (err: Error & { lastNodeError?: Error }) => (lastError = err.lastNodeError ?? err));
  try {
    await Promise.race([client.connect(), deadline((options.connectTimeoutMs ?? 5000) + 1000)]);
    await client.ping();
  } catch (err) {
    client.disconnect();
    // ioredis rejects with "Connection is closed" or "None of startup nodes is available"; the error before says why.
    const cause = lastError ?? err;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new RedisUnavailableError(`cannot reach ${describeTarget(target)}: ${reason}`);
  }
  // A cluster node taken for a single server answers only for its own slots: say so now rather than fail on MOVED.
  if (client instanceof Redis && (await isClusterNode(client))) {
    client.disconnect();
    throw new RedisUnavailableError(`${describeTarget(target)} is a node of a Redis Cluster: connect to the cluster`);
  }
  return client;
}
