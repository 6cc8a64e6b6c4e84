import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import sirv from 'sirv';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Serves the built web client from `dir`, falling back to `index.html` for client-side routes. Until the client is
 * built (no `index.html` in `dir`) every request gets a 503 saying so; the folder is looked at again on later
 * requests, so building the client while the tracker runs needs no restart.
 */
export function createStaticHandler(dir: string, logger: Logger): Handler {
  let serve: Handler | undefined;
  let warned = false;

  const load = (): Handler | undefined => {
    if (serve) return serve;
    if (!existsSync(path.join(dir, 'index.html'))) return undefined;
    const files = sirv(dir, {
      single: true,
      etag: true,
      gzip: true,
      brotli: true,
      // Vite fingerprints everything under assets/, so those can be cached for good; index.html must not be.
      setHeaders: (res, pathname) => {
        res.setHeader(
          'cache-control',
          pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    serve = (req, res) => files(req, res, () => notFound(res));
    logger.info({ dir }, 'serving the web client');
    return serve;
  };

  return (req, res) => {
    const handler = load();
    if (handler) return handler(req, res);
    if (!warned) {
      warned = true;
      logger.warn({ dir }, 'the web client is not built; run `npm run build` (or set STATIC_DIR)');
    }
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(
      `The Shoal web client is not built (no index.html in ${dir}).\nRun \`npm run build\`, or set STATIC_DIR.\n`,
    );
  };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found\n');
}
