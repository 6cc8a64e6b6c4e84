import { fail, ok, relaySignalSchema } from '@shoal/common';
import { acknowledged } from './acknowledged.ts';
import type { PeerContext } from './types.ts';

/** `signal:relay`: passes WebRTC signaling data to another connected peer, stamped with the sender's socket id. */
export function attachSignalHandlers(ctx: PeerContext): void {
  const { socket, io, peerId, logger } = ctx;

  socket.on(
    'signal:relay',
    acknowledged({
      event: 'signal:relay',
      schema: relaySignalSchema,
      bucket: ctx.buckets.signals,
      logger,
      handle: async ({ to, fileId, connectionId, signal }) => {
        if (to === peerId) return fail('SELF_SIGNAL', 'a peer cannot signal itself');
        if (!ctx.isConnected(to)) return fail('PEER_NOT_FOUND', `peer ${to} is not connected`);
        // `from` is the socket that sent this, never anything the payload says (the strict schema refuses a `from`).
        io.to(to).emit('signal:incoming', { from: peerId, fileId, connectionId, signal });
        return ok(null);
      },
    }),
  );
}
