import { Redis, type RedisOptions } from 'ioredis';

/** Redis could not be reached at start-up; the message says where and why, without the password. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

/** The URL as it may be shown: without its password. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
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
}

/** Reconnection delay: grows to 2 s, with jitter, so trackers do not all hit a restarted Redis at once. */
function retryDelay(attempt: number): number {
  return Math.min(2000, 50 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
}

/**
 * Opens one Redis connection and waits until it is ready; throws a {@link RedisUnavailableError} if it cannot be
 * reached. Once open, it reconnects by itself for ever.
 */
export async function connectRedis(url: string, options: ConnectOptions): Promise<Redis> {
  const settings: RedisOptions = {
    lazyConnect: true,
    connectionName: options.name,
    enableOfflineQueue: options.offlineQueue,
    maxRetriesPerRequest: options.offlineQueue ? 20 : 1,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    retryStrategy: retryDelay,
  };
  const redis = new Redis(url, settings);
  // Errors are reported through the state the owners watch; without a listener ioredis would print each retry.
  let lastError: Error | undefined;
  redis.on('error', (err: Error) => (lastError = err));
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (err) {
    redis.disconnect();
    // ioredis rejects with "Connection is closed"; the error event before it says why.
    const cause = lastError ?? err;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new RedisUnavailableError(`cannot reach Redis at ${redactRedisUrl(url)}: ${reason}`);
  }
}
