import { fail, isWellFormedRelaySignal, ok, relaySignalSchema } from '@shoal/common';
import { acknowledged } from './acknowledged.ts';
import type { EventListeners, HandlerDeps } from './types.ts';

/** `signal:relay`: passes WebRTC signaling data to another connected peer, stamped with the sender's socket id. */
export function signalEvents(deps: HandlerDeps): EventListeners {
  const { io } = deps;
  return {
    'signal:relay': acknowledged(deps, {
      event: 'signal:relay',
      schema: relaySignalSchema,
      // The hottest event: well-formed payloads skip zod (the same acceptance, held together by a test).
      accepts: isWellFormedRelaySignal,
      limit: 'signals',
      // Synchronous: the acknowledgement goes out in the same turn, without a promise.
      handle: ({ to, fileId, connectionId, signal }, socket) => {
        const from = socket.id;
        if (to === from) return fail('SELF_SIGNAL', 'a peer cannot signal itself');
        // `from` is the socket that sent this, never anything the payload says (the strict schema refuses a `from`).
        const incoming = { from, fileId, connectionId, signal };
        // A peer of this tracker: its socket itself, cheaper than a one-socket room broadcast and the same delivery.
        const local = io.sockets.sockets.get(to);
        if (local) {
          local.emit('signal:incoming', incoming);
          return ok(null);
        }
        // A peer of another tracker sharing the registry: through the adapter (Redis streams).
        if (!deps.isConnected(to)) return fail('PEER_NOT_FOUND', `peer ${to} is not connected`);
        io.to(to).emit('signal:incoming', incoming);
        return ok(null);
      },
    }),
  };
}
