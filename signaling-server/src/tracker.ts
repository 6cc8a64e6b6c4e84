import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { MAX_TRACKER_MESSAGE_BYTES } from '@shoal/common';
import type { Cluster } from './cluster.ts';
import type { Config } from './config.ts';
import { createConnectionHandler } from './handlers/connection.ts';
import { checkProtocolVersion } from './handlers/protocol-version.ts';
import type { TrackerServer } from './handlers/types.ts';
import { createHttpHandler } from './http/http-handler.ts';
import { allowTrackerOrigins, originsOf } from './http/origins.ts';
import { MemoryRegistry } from './registry/memory.ts';
import type { Registry } from './registry/registry.ts';
import { trackerParser } from './socket-parser.ts';
import { WatchHub } from './watch/watch-hub.ts';

export type { TrackerServer, TrackerSocket } from './handlers/types.ts';

/** What {@link createTracker} needs. */
export interface TrackerOptions {
  config: Config;
  logger: Logger;
  /** Where holdings live; an in-memory registry by default. The caller owns (and closes) one it passes in. */
  registry?: Registry;
  /**
   * Several trackers sharing one registry in Redis: its registry is used (unless `registry` is given) and signals go
   * through its adapter to peers on other trackers. The caller owns (and closes) it, after the tracker.
   */
  cluster?: Pick<Cluster, 'registry' | 'adapter'>;
  /** How long {@link Tracker.close} waits for connections to end before cutting them (default 3000 ms). */
  closeTimeoutMs?: number;
  /** Clock for rate limits (milliseconds); tests may pin it. */
  now?: () => number;
}

/** A tracker: HTTP (health, web client) and Socket.IO on one server, not yet listening. */
export interface Tracker {
  readonly io: TrackerServer;
  readonly httpServer: HttpServer;
  readonly registry: Registry;
  /** Every connection's watches. */
  readonly watches: WatchHub;
  /** Starts listening, by default on `config.port` and `config.host`; resolves with the bound address. */
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** The port it listens on (throws if not listening). */
  port(): number;
  /**
   * Stops accepting connections, disconnects every client (their holdings are removed) and closes the HTTP server;
   * connections still open after the close timeout are cut. Safe to call more than once.
   */
  close(): Promise<void>;
}

/** Builds a tracker. Nothing listens until {@link Tracker.listen}. */
export async function createTracker(options: TrackerOptions): Promise<Tracker> {
  const { config } = options;
  const logger = options.logger.child({ module: 'tracker' });
  const shared = options.cluster?.registry;
  const registry = options.registry ?? shared ?? new MemoryRegistry();
  const closeTimeoutMs = options.closeTimeoutMs ?? 3000;
  const startedAt = Date.now();

  const httpServer = createServer();
  // Registered before Socket.IO attaches: engine.io takes over the request listeners present at that moment and
  // calls them only for paths that are not its own. A listener added later would also see `/socket.io/` polling
  // requests and answer them a second time.
  httpServer.on(
    'request',
    createHttpHandler({
      registry,
      logger: options.logger.child({ module: 'http' }),
      staticDir: config.staticDir,
      connections: () => io.engine.clientsCount,
      watches: () => watches.stats(),
      startedAt,
      shared: shared && { redisState: () => shared.redisState(), trackerId: shared.trackerId },
    }),
  );
  const io: TrackerServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_TRACKER_MESSAGE_BYTES,
    serveClient: false,
    // A `files:announce` carries one binary attachment per file, more than the default decoder allows.
    parser: trackerParser,
    ...(options.cluster && { adapter: options.cluster.adapter }),
    // With several trackers, pages served by any of them connect here: CORS for polling, an origin check for all.
    ...(config.trackerUrls.length > 0 && {
      cors: { origin: originsOf(config.trackerUrls), methods: ['GET', 'POST'] },
      allowRequest: allowTrackerOrigins(config.trackerUrls),
    }),
  });
  shared?.attachLocalPeers(() => io.sockets.sockets.keys());
  const isConnected = shared && ((id: string) => io.sockets.sockets.has(id) || shared.isConnected(id));

  const watches = new WatchHub({
    registry,
    logger: options.logger.child({ module: 'watches' }),
    deliver: (peerId, matches) => io.sockets.sockets.get(peerId)?.emit('watch:matches', matches),
  });

  const socketLogger = options.logger.child({ module: 'socket' });
  const handleConnection = createConnectionHandler({
    io,
    registry,
    watches,
    logger: socketLogger,
    iceServers: config.iceServers,
    trackerUrls: config.trackerUrls,
    isConnected,
    now: options.now,
  });
  io.use(checkProtocolVersion);
  io.on('connection', (socket) => {
    try {
      shared?.peerConnected(socket.id).catch((err: unknown) => {
        // The next lease round adds it; until then peers on other trackers cannot signal it.
        socketLogger.warn({ err, peer: socket.id }, 'could not record a connection in the shared registry');
      });
      handleConnection(socket);
    } catch (err) {
      socketLogger.error({ err, peer: socket.id }, 'could not set up a connection');
      socket.disconnect(true);
    }
  });
  io.engine.on('connection_error', (err: { code?: unknown; message?: unknown }) => {
    socketLogger.debug({ code: err.code, message: err.message }, 'engine connection error');
  });

  let closing: Promise<void> | undefined;

  const address = (): AddressInfo => {
    const bound = httpServer.address();
    if (bound === null || typeof bound === 'string') throw new Error('the tracker is not listening');
    return bound;
  };

  return {
    io,
    httpServer,
    registry,
    watches,
    listen(port = config.port, host = config.host): Promise<AddressInfo> {
      return new Promise((resolve, reject) => {
        const onError = (err: Error): void => reject(err);
        httpServer.once('error', onError);
        httpServer.listen(port, host, () => {
          httpServer.off('error', onError);
          resolve(address());
        });
      });
    },
    port: () => address().port,
    close(): Promise<void> {
      closing ??= (async () => {
        // Stop accepting first, so nobody connects while the others are being let go.
        const stopped = new Promise<void>((resolve) => {
          if (!httpServer.listening) return resolve();
          httpServer.close(() => resolve());
        });
        const timer = setTimeout(() => {
          logger.warn('connections still open at the close deadline; cutting them');
          httpServer.closeAllConnections();
        }, closeTimeoutMs);
        try {
          // Drops every transport (running the disconnect clean-up) and closes the engine. Clients see a transport
          // close, not a server disconnect, so they reconnect: to this tracker once it is back, or to a backup.
          await io.close();
          httpServer.closeIdleConnections();
          await stopped;
        } finally {
          clearTimeout(timer);
          watches.close();
        }
        logger.info('tracker closed');
      })();
      return closing;
    },
  };
}
