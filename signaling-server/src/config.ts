import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { iceServerSchema, type IceServer } from '@shoal/common';
import type { RedisTarget } from './registry/redis/target.ts';

/** This package's folder (signaling-server/), found from this file so the default works from any working directory. */
const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the built web client lives unless `STATIC_DIR` says otherwise. */
export const DEFAULT_STATIC_DIR = path.resolve(PACKAGE_DIR, '../web-client/dist');

/** Log levels pino knows, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The tracker's configuration, parsed once from the environment. */
export interface Config {
  /** TCP port for HTTP and Socket.IO (0 picks a free one). */
  port: number;
  /** Interface to listen on. */
  host: string;
  /** STUN/TURN servers handed to every client in `session:welcome`. */
  iceServers: IceServer[];
  /** Minimum pino level written. */
  logLevel: (typeof LOG_LEVELS)[number];
  /** Pretty, coloured logs for development instead of JSON lines. */
  logPretty: boolean;
  /** Folder of the built web client, served over HTTP. */
  staticDir: string;
  /**
   * The shared registry's Redis: one server (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_URLS`); without either,
   * one process with an in-memory registry.
   */
  redis: RedisTarget | undefined;
  /**
   * Every tracker's public base URL (origin and path, no trailing slash). Handed to clients for failover, and the
   * origins that may open Socket.IO connections from a browser. Empty: the page's own origin only.
   */
  trackerUrls: string[];
  /** How long a tracker's lease in Redis lasts without renewal; its peers are removed after that. */
  trackerLeaseMs: number;
}

/** At most this many tracker URLs. */
export const MAX_TRACKER_URLS = 32;

/** The configuration is invalid; the message names every bad variable and why, one per line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const iceServersSchema = z
  .string()
  .transform((text, ctx): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. [{"urls":"stun:stun.example.org:3478"}]' });
      return z.NEVER;
    }
  })
  .pipe(z.array(iceServerSchema));

/** The non-empty items of a comma-separated list, trimmed. */
function commaItems(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A `redis://` or `rediss://` URL with a host; undefined when the text is not one. */
function parseRedisUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' ? url : undefined;
  } catch {
    return undefined;
  }
}

const redisUrlSchema = z
  .string()
  .refine(
    (text) => parseRedisUrl(text) !== undefined,
    'must be a redis:// or rediss:// URL with a host, e.g. redis://127.0.0.1:6379',
  );

/** At most this many seed nodes of a Redis Cluster (the client discovers the others). */
export const MAX_REDIS_CLUSTER_URLS = 32;

/**
 * Seed nodes of a Redis Cluster, as URLs like `REDIS_URL`'s so passwords and TLS are written the same way. The
 * client applies one user, password and TLS setting to every node, including those it discovers, so the seeds must
 * agree on them; a cluster has only database 0.
 */
const redisClusterUrlsSchema = z
  .string()
  .transform((text, ctx): string[] => {
    const urls: string[] = [];
    for (const trimmed of commaItems(text)) {
      if (urls.includes(trimmed)) continue;
      const url = parseRedisUrl(trimmed);
      if (!url) {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(trimmed)} is not a redis:// or rediss:// URL with a host`,
        });
        return z.NEVER;
      }
      if (url.pathname !== '' && url.pathname !== '/' && url.pathname !== '/0') {
        ctx.addIssue({ code: 'custom', message: `a Redis Cluster has only database 0 (${JSON.stringify(trimmed)})` });
        return z.NEVER;
      }
      urls.push(trimmed);
    }
    const shared = (url: URL): string => `${url.protocol}${url.username}:${url.password}`;
    if (new Set(urls.map((url) => shared(new URL(url)))).size > 1) {
      ctx.addIssue({ code: 'custom', message: 'every node URL must have the same scheme, user and password' });
      return z.NEVER;
    }
    return urls;
  })
  .pipe(
    z
      .array(z.string())
      .min(1, 'must list at least one node, e.g. redis://10.0.0.1:7000,redis://10.0.0.2:7000')
      .max(MAX_REDIS_CLUSTER_URLS, `at most ${MAX_REDIS_CLUSTER_URLS} URLs`),
  );

const trackerUrlsSchema = z
  .string()
  .transform((text, ctx): string[] => {
    const urls: string[] = [];
    for (const trimmed of commaItems(text)) {
      let url: URL;
      try {
        url = new URL(trimmed);
      } catch {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(trimmed)} is not a URL` });
        return z.NEVER;
      }
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(trimmed)} must be an http:// or https:// base URL without query or fragment`,
        });
        return z.NEVER;
      }
      const normalized = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
      if (!urls.includes(normalized)) urls.push(normalized);
    }
    return urls;
  })
  .pipe(z.array(z.string()).max(MAX_TRACKER_URLS, `at most ${MAX_TRACKER_URLS} URLs`));

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(8089),
    HOST: z.string().min(1).default('0.0.0.0'),
    ICE_SERVERS: iceServersSchema.default([]),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    LOG_PRETTY: z.stringbool().default(false),
    STATIC_DIR: z.string().min(1).default(DEFAULT_STATIC_DIR),
    REDIS_URL: redisUrlSchema.optional(),
    REDIS_CLUSTER_URLS: redisClusterUrlsSchema.optional(),
    TRACKER_URLS: trackerUrlsSchema.default([]),
    TRACKER_LEASE_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
  })
  .superRefine((vars, ctx) => {
    if (vars.REDIS_URL !== undefined && vars.REDIS_CLUSTER_URLS !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_CLUSTER_URLS'],
        message: 'set REDIS_URL (one Redis server) or REDIS_CLUSTER_URLS (a Redis Cluster), not both',
      });
    }
  });

type EnvName = keyof typeof envSchema.shape;

/** Only our variables, with empty ones treated as unset (`PORT= npm start` means "the default", not "port 0"). */
function pickSet(env: NodeJS.ProcessEnv): Partial<Record<EnvName, string>> {
  const picked: Partial<Record<EnvName, string>> = {};
  for (const name of Object.keys(envSchema.shape) as EnvName[]) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') picked[name] = value;
  }
  return picked;
}

function redisTarget(url: string | undefined, clusterUrls: string[] | undefined): RedisTarget | undefined {
  if (url !== undefined) return { url };
  if (clusterUrls !== undefined) return { clusterUrls };
  return undefined;
}

/**
 * Parses the tracker's environment variables. Throws a {@link ConfigError} listing every bad variable at once, so
 * a misconfigured deployment fails at start-up with one readable message.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(pickSet(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const [name, ...rest] = issue.path;
      const where = rest.length > 0 ? `${String(name)} (at ${rest.join('.')})` : String(name);
      return `  ${where}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const vars = parsed.data;
  return {
    port: vars.PORT,
    host: vars.HOST,
    iceServers: vars.ICE_SERVERS,
    logLevel: vars.LOG_LEVEL,
    logPretty: vars.LOG_PRETTY,
    staticDir: path.resolve(vars.STATIC_DIR),
    redis: redisTarget(vars.REDIS_URL, vars.REDIS_CLUSTER_URLS),
    trackerUrls: vars.TRACKER_URLS,
    trackerLeaseMs: vars.TRACKER_LEASE_MS,
  };
}
