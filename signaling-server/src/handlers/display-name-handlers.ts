import { ok, setDisplayNameSchema, sourcesSchema } from '@shoal/common';
import { acknowledged } from './acknowledged.ts';
import type { PeerContext } from './types.ts';

/** `peer:name` (this peer's display name) and `files:sources` (a file's holders with their names). */
export function attachDisplayNameHandlers(ctx: PeerContext): void {
  const { socket, registry, peerId, logger } = ctx;
  const bucket = ctx.buckets.requests;

  socket.on(
    'peer:name',
    acknowledged({
      event: 'peer:name',
      // The schema hands over the name in its normal form: what every page will be shown.
      schema: setDisplayNameSchema,
      bucket,
      logger,
      handle: async ({ name }) => {
        await registry.setName(peerId, name);
        // As for files:register: nothing may stay behind for a peer whose clean-up already ran.
        if (socket.disconnected) await registry.removePeer(peerId);
        return ok({ name });
      },
    }),
  );

  socket.on(
    'files:sources',
    acknowledged({
      event: 'files:sources',
      schema: sourcesSchema,
      bucket,
      logger,
      handle: async ({ fileId }) => ok({ fileId, sources: await registry.sources(fileId, peerId) }),
    }),
  );
}
