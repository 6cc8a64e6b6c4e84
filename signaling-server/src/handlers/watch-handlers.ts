import { lookupSchema, ok, watchAddSchema, watchRemoveSchema } from '@shoal/common';
import { acknowledged } from './acknowledged.ts';
import type { EventListeners, HandlerDeps } from './types.ts';

/**
 * Watches and lookups: `watch:add`, `watch:remove` (only ever the connection's own watches) and `files:lookup`.
 * Limited by the same request rate as every registry event.
 */
export function watchEvents(deps: HandlerDeps): EventListeners {
  const { registry, watches } = deps;
  return {
    'watch:add': acknowledged(deps, {
      event: 'watch:add',
      schema: watchAddSchema,
      limit: 'requests',
      handle: (request, socket) => watches.add(socket.id, request),
    }),
    'watch:remove': acknowledged(deps, {
      event: 'watch:remove',
      schema: watchRemoveSchema,
      limit: 'requests',
      handle: ({ watchId }, socket) => ok(watches.remove(socket.id, watchId)),
    }),
    'files:lookup': acknowledged(deps, {
      event: 'files:lookup',
      schema: lookupSchema,
      limit: 'requests',
      handle: async ({ fileId }) => ok({ fileId, file: (await registry.lookup(fileId)) ?? null }),
    }),
  };
}
