import { lookupSchema, ok, watchAddSchema, watchRemoveSchema } from '@shoal/common';
import { acknowledged } from './acknowledged.ts';
import type { PeerContext } from './types.ts';

/**
 * Watches and lookups: `watch:add`, `watch:remove` (only ever the connection's own watches) and `files:lookup`.
 * Limited by the same request rate as every registry event.
 */
export function attachWatchHandlers(ctx: PeerContext): void {
  const { socket, registry, watches, peerId, logger } = ctx;
  const bucket = ctx.buckets.requests;

  socket.on(
    'watch:add',
    acknowledged({
      event: 'watch:add',
      schema: watchAddSchema,
      bucket,
      logger,
      handle: (request) => watches.add(peerId, request),
    }),
  );

  socket.on(
    'watch:remove',
    acknowledged({
      event: 'watch:remove',
      schema: watchRemoveSchema,
      bucket,
      logger,
      handle: ({ watchId }) => ok(watches.remove(peerId, watchId)),
    }),
  );

  socket.on(
    'files:lookup',
    acknowledged({
      event: 'files:lookup',
      schema: lookupSchema,
      bucket,
      logger,
      handle: async ({ fileId }) => ok({ fileId, file: (await registry.lookup(fileId)) ?? null }),
    }),
  );
}
