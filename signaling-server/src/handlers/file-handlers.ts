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
import type { PeerContext } from './types.ts';

/**
 * Registry events: register, announce, unregister, search, holders. They only ever act for the connection's own peer
 * id.
 */
export function attachFileHandlers(ctx: PeerContext): void {
  const { socket, registry, peerId, logger } = ctx;
  const bucket = ctx.buckets.requests;

  socket.on(
    'files:register',
    acknowledged({
      event: 'files:register',
      schema: registerFilesSchema,
      bucket,
      logger,
      handle: async ({ files }) => {
        const outcome = await registry.register(peerId, files);
        // A registration that completes after the disconnect clean-up ran (possible with a remote registry) must
        // not leave holdings behind for a peer that is gone.
        if (outcome.ok && socket.disconnected) await registry.removePeer(peerId);
        return outcome;
      },
    }),
  );

  socket.on(
    'files:announce',
    acknowledged({
      event: 'files:announce',
      // Socket.IO hands binary attachments over as Node Buffers, which are Uint8Arrays: the schema takes them as they
      // are, and the registry copies the bitfields it keeps (a Buffer may be a view into a larger, reused one).
      schema: announcePiecesSchema,
      bucket,
      logger,
      handle: async ({ files }) => {
        const outcome = await registry.announce(peerId, files);
        // As for files:register: nothing may stay behind for a peer whose clean-up already ran.
        if (outcome.ok && socket.disconnected) await registry.removePeer(peerId);
        return outcome;
      },
    }),
  );

  socket.on(
    'files:unregister',
    acknowledged({
      event: 'files:unregister',
      schema: unregisterFilesSchema,
      bucket,
      logger,
      handle: async ({ fileIds }) => ok(await registry.unregister(peerId, fileIds)),
    }),
  );

  socket.on(
    'files:search',
    acknowledged({
      event: 'files:search',
      schema: searchSchema,
      bucket,
      logger,
      handle: async ({ query, sort, offset, limit }) => {
        // A wrong filter is the person's typo, not a broken client: its hint is what they get to read.
        const parsed = parseSearchQuery(query);
        if (!parsed.ok) return fail('INVALID_QUERY', parsed.hint);
        return ok(await registry.search({ query: parsed.query, sort, offset, limit }));
      },
    }),
  );

  socket.on(
    'files:holders',
    acknowledged({
      event: 'files:holders',
      schema: holdersSchema,
      bucket,
      logger,
      handle: async ({ fileId }) => ok({ fileId, holders: await registry.holders(fileId, peerId) }),
    }),
  );
}
