import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from '../registry/registry.ts';
import { createHealthHandler, type HealthDeps } from './health.ts';
import { createStaticHandler } from './static-files.ts';

/** Dependencies of the tracker's plain HTTP routes. */
export interface HttpDeps {
  registry: Registry;
  logger: Logger;
  staticDir: string;
  connections: () => number;
  watches?: HealthDeps['watches'];
  startedAt: number;
  shared?: HealthDeps['shared'];
}

/** Routes plain HTTP requests (Socket.IO takes its own path before this runs): `/healthz`, then the web client. */
export function createHttpHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const health = createHealthHandler(deps);
  const files = createStaticHandler(deps.staticDir, deps.logger);
  return (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
        res.end('Method not allowed\n');
        return;
      }
      const pathname = (req.url ?? '/').split('?', 1)[0];
      if (pathname === '/healthz') return health(req, res);
      files(req, res);
    } catch (err) {
      deps.logger.error({ err, url: req.url }, 'http request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal error\n');
    }
  };
}
