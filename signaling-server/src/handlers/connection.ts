import { PROTOCOL_VERSION } from '@shoal/common';
import { RegistryClosingError } from '../registry/registry.ts';
import { createEventRouter } from './event-router.ts';
import type { ConnectionDeps, HandlerDeps, TrackerSocket } from './types.ts';

/**
 * Builds the handler of new connections. Everything a connection gets is shared (one event router, one disconnect
 * listener); what is its own (rate limits, pending browses) is made on its first event.
 */
export function createConnectionHandler(deps: ConnectionDeps): (socket: TrackerSocket) => void {
  const { io, registry, watches, logger } = deps;
  const handlerDeps: HandlerDeps = {
    ...deps,
    isConnected: deps.isConnected ?? ((id) => io.sockets.sockets.has(id)),
  };
  const routeEvent = createEventRouter(handlerDeps);
  const welcome = { protocolVersion: PROTOCOL_VERSION, iceServers: deps.iceServers, trackerUrls: deps.trackerUrls };

  function onDisconnect(this: TrackerSocket, reason: string): void {
    const peerId = this.id;
    logger.debug({ peer: peerId, reason }, 'peer disconnected');
    watches.dropPeer(peerId);
    registry.removePeer(peerId).catch((err: unknown) => {
      // Closing: every socket disconnects, and removals still on their way are not waited for.
      if (err instanceof RegistryClosingError) logger.debug({ peer: peerId }, 'closed before removing a peer here');
      else logger.error({ err, peer: peerId }, 'could not remove the holdings of a disconnected peer');
    });
  }

  return (socket) => {
    socket.onAny(routeEvent);
    socket.on('disconnect', onDisconnect);
    logger.debug({ peer: socket.id, address: socket.handshake.address }, 'peer connected');
    socket.emit('session:welcome', { ...welcome, peerId: socket.id });
  };
}
