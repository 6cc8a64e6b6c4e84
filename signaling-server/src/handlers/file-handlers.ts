import {
  announcePiecesSchema,
  fail,
  holdersSchema,
  ok,
  parseSearchQuery,
  registerFilesSchema,
  searchSchema,
  unregisterFilesSchema,
} from '@shoal/common';
import { acknowledged } from './acknowledged.ts';
import type { EventListeners, HandlerDeps } from './types.ts';

/**
 * Registry events: register, announce, unregister, search, holders. They only ever act for the connection's own peer
 * id.
 */
export function fileEvents(deps: HandlerDeps): EventListeners {
  const { registry } = deps;
  return {
    'files:register': acknowledged(deps, {
      event: 'files:register',
      schema: registerFilesSchema,
      limit: 'requests',
      handle: async ({ files }, socket) => {
        const outcome = await registry.register(socket.id, files);
        // A registration that completes after the disconnect clean-up ran (possible with a remote registry) must
        // not leave holdings behind for a peer that is gone.
        if (outcome.ok && socket.disconnected) await registry.removePeer(socket.id);
        return outcome;
      },
    }),
    'files:announce': acknowledged(deps, {
      event: 'files:announce',
      // Socket.IO hands binary attachments over as Node Buffers, which are Uint8Arrays: the schema takes them as they
      // are, and the registry copies the bitfields it keeps (a Buffer may be a view into a larger, reused one).
      schema: announcePiecesSchema,
      limit: 'requests',
      handle: async ({ files }, socket) => {
        const outcome = await registry.announce(socket.id, files);
        // As for files:register: nothing may stay behind for a peer whose clean-up already ran.
        if (outcome.ok && socket.disconnected) await registry.removePeer(socket.id);
        return outcome;
      },
    }),
    'files:unregister': acknowledged(deps, {
      event: 'files:unregister',
      schema: unregisterFilesSchema,
      limit: 'requests',
      handle: async ({ fileIds }, socket) => ok(await registry.unregister(socket.id, fileIds)),
    }),
    'files:search': acknowledged(deps, {
      event: 'files:search',
      schema: searchSchema,
      limit: 'requests',
      handle: async ({ query, sort, offset, limit }) => {
        // A wrong filter is the person's typo, not a broken client: its hint is what they get to read.
        const parsed = parseSearchQuery(query);
        if (!parsed.ok) return fail('INVALID_QUERY', parsed.hint);
        return ok(await registry.search({ query: parsed.query, sort, offset, limit }));
      },
    }),
    'files:holders': acknowledged(deps, {
      event: 'files:holders',
      schema: holdersSchema,
      limit: 'requests',
      handle: async ({ fileId }, socket) => ok({ fileId, holders: await registry.holders(fileId, socket.id) }),
    }),
  };
}
