import { BROWSE_RATE_LIMIT, PROTOCOL_VERSION, RATE_LIMITS } from '@shoal/common';
import { createTokenBucket } from '../rate-limiter.ts';
import { attachBrowseHandlers } from './browse-handlers.ts';
import { attachDisplayNameHandlers } from './display-name-handlers.ts';
import { attachFileHandlers } from './file-handlers.ts';
import { attachSignalHandlers } from './signal-handlers.ts';
import type { ConnectionDeps, PeerContext, TrackerSocket } from './types.ts';
import { attachUnknownEventHandler } from './unknown-events.ts';
import { attachWatchHandlers } from './watch-handlers.ts';

/** Sets up one new connection: its handlers, its rate limits, its clean-up on disconnect, then the welcome. */
export function handleConnection(socket: TrackerSocket, deps: ConnectionDeps): void {
  const { io, registry } = deps;
  const peerId = socket.id;
  const logger = deps.logger.child({ peer: peerId });
  const ctx: PeerContext = {
    peerId,
    socket,
    io,
    registry,
    watches: deps.watches,
    logger,
    buckets: {
      requests: createTokenBucket(RATE_LIMITS.requests, deps.now),
      signals: createTokenBucket(RATE_LIMITS.signals, deps.now),
      browse: createTokenBucket(BROWSE_RATE_LIMIT, deps.now),
    },
    isConnected: deps.isConnected ?? ((id) => io.sockets.sockets.has(id)),
  };

  attachUnknownEventHandler(ctx);
  attachFileHandlers(ctx);
  attachSignalHandlers(ctx);
  attachDisplayNameHandlers(ctx);
  attachBrowseHandlers(ctx);
  attachWatchHandlers(ctx);

  socket.on('disconnect', (reason) => {
    logger.debug({ reason }, 'peer disconnected');
    deps.watches.dropPeer(peerId);
    registry.removePeer(peerId).catch((err: unknown) => {
      logger.error({ err }, 'could not remove the holdings of a disconnected peer');
    });
  });

  logger.debug({ address: socket.handshake.address }, 'peer connected');
  socket.emit('session:welcome', {
    protocolVersion: PROTOCOL_VERSION,
    peerId,
    iceServers: deps.iceServers,
    trackerUrls: deps.trackerUrls,
  });
}
