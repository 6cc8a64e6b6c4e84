/**
 * Where the shared registry lives: one Redis (or Valkey) server by its URL, or a Redis Cluster by the URLs of some
 * of its nodes (the client finds the rest).
 */
export type RedisTarget = { url: string } | { clusterUrls: string[] };

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

/** The target as it may be shown in a message or a log: which server or cluster, without passwords. */
export function describeTarget(target: RedisTarget): string {
  if ('url' in target) return `Redis at ${redactRedisUrl(target.url)}`;
  return `the Redis Cluster at ${target.clusterUrls.map(redactRedisUrl).join(', ')}`;
}

/** What a cluster client needs from the seed URLs: where to start, and what every node shares. */
export interface ClusterSeeds {
  nodes: { host: string; port: number }[];
  username: string | undefined;
  password: string | undefined;
  tls: boolean;
}

/**
 * Splits the seed URLs into nodes and the settings every node shares (the configuration checked they agree: a
 * cluster's nodes have one set of users, and the client uses the same for the nodes it discovers).
 */
export function clusterSeeds(urls: readonly string[]): ClusterSeeds {
  const parsed = urls.map((url) => new URL(url));
  const first = parsed[0];
  if (!first) throw new Error('a Redis Cluster needs at least one node URL');
  return {
    nodes: parsed.map((url) => ({ host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 6379) })),
    username: first.username === '' ? undefined : decodeURIComponent(first.username),
    password: first.password === '' ? undefined : decodeURIComponent(first.password),
    tls: first.protocol === 'rediss:',
  };
}
