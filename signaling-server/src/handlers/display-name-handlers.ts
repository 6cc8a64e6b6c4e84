import { ok, setDisplayNameSchema, sourcesSchema } from '@shoal/common';
import { acknowledged } from './acknowledged.ts';
import type { EventListeners, HandlerDeps } from './types.ts';

/** `peer:name` (this peer's display name) and `files:sources` (a file's holders with their names). */
export function displayNameEvents(deps: HandlerDeps): EventListeners {
  const { registry } = deps;
  return {
    'peer:name': acknowledged(deps, {
      event: 'peer:name',
      // The schema hands over the name in its normal form: what every page will be shown.
      schema: setDisplayNameSchema,
      limit: 'requests',
      handle: async ({ name }, socket) => {
        await registry.setName(socket.id, name);
        // As for files:register: nothing may stay behind for a peer whose clean-up already ran.
        if (socket.disconnected) await registry.removePeer(socket.id);
        return ok({ name });
      },
    }),
    'files:sources': acknowledged(deps, {
      event: 'files:sources',
      schema: sourcesSchema,
      limit: 'requests',
      handle: async ({ fileId }, socket) => ok({ fileId, sources: await registry.sources(fileId, socket.id) }),
    }),
  };
}
