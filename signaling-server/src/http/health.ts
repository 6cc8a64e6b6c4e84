import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { RedisState } from '../registry/redis.ts';
import type { Registry } from '../registry/registry.ts';
import type { WatchHubStats } from '../watch/watch-hub.ts';

/** Body of `GET /healthz`. */
export interface HealthReport {
  /** `degraded`: the tracker serves its clients but cannot reach the shared registry's Redis. */
  status: 'ok' | 'degraded';
  /** With a shared registry: whether Redis answers. */
  redis?: RedisState;
  /** With a shared registry: this process's tracker id. */
  trackerId?: string;
  /** Peers with registered files. */
  peers: number;
  /** Distinct registered files. */
  files: number;
  /** Open Socket.IO connections on this process. */
  connections: number;
  /** This process's watches and what matching them did (matches pushed, over a connection's rate, dropped). */
  watches?: WatchHubStats;
  uptimeSeconds: number;
}

/** Dependencies of the health endpoint. */
export interface HealthDeps {
  registry: Registry;
  logger: Logger;
  connections: () => number;
  watches?: () => WatchHubStats;
  startedAt: number;
  now?: () => number;
  /** With a shared registry: its Redis connection and this tracker's id. */
  shared?: { redisState: () => RedisState; trackerId: string };
}

/** `GET /healthz`: 200 with a {@link HealthReport}, or 503 when the registry cannot answer. */
export function createHealthHandler(deps: HealthDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const now = deps.now ?? Date.now;
  return (_req, res) => {
    deps.registry.stats().then(
      ({ peers, files }) => {
        const redis = deps.shared?.redisState();
        const report: HealthReport = {
          status: redis === 'unreachable' ? 'degraded' : 'ok',
          ...(deps.shared && { redis, trackerId: deps.shared.trackerId }),
          peers,
          files,
          connections: deps.connections(),
          ...(deps.watches && { watches: deps.watches() }),
          uptimeSeconds: Math.floor((now() - deps.startedAt) / 1000),
        };
        sendJson(res, 200, report);
      },
      (err: unknown) => {
        deps.logger.error({ err }, 'health check failed');
        sendJson(res, 503, { status: 'error', message: 'the registry is not answering' });
      },
    );
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
