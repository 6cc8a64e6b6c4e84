import {
  BROWSE_TIMEOUT_MS,
  MAX_PENDING_BROWSES,
  browsePageMismatch,
  browsePeerSchema,
  browseReplySchema,
  describeZodError,
  fail,
  ok,
  type BrowseQuery,
  type BrowseResponse,
  type PeerId,
  type Result,
} from '@shoal/common';
import { acknowledged } from './acknowledged.ts';
import { sessionOf } from './peer-session.ts';
import type { EventListeners, HandlerDeps } from './types.ts';

/** What asking the browsed page gave: its reply (not yet checked), or why there is none. */
export type Asked = { answered: true; reply: unknown } | { answered: false; result: Result<never> };

/**
 * `peers:browse`: asks another page for a page of what it shares, waits (bounded) for its answer, checks it against
 * the protocol's schemas and only then hands it to the asker. The browsed page is never told who asks; a page that
 * does not answer in time, leaves, or answers with anything malformed gets the asker a clear error, never a crash.
 */
export function browseEvents(deps: HandlerDeps): EventListeners {
  const { logger } = deps;
  return {
    'peers:browse': acknowledged(deps, {
      event: 'peers:browse',
      schema: browsePeerSchema,
      limit: 'browse',
      handle: async ({ peerId: target, folder, offset, limit }, socket): Promise<Result<BrowseResponse>> => {
        const session = sessionOf(socket, deps.now);
        if (session.pendingBrowses >= MAX_PENDING_BROWSES) {
          return fail('RATE_LIMITED', `at most ${MAX_PENDING_BROWSES} browse requests may wait for answers at once`);
        }
        const query: BrowseQuery = folder ? { folder, offset, limit } : { offset, limit };
        session.pendingBrowses++;
        let asked: Asked;
        try {
          asked = await askPeer(deps, target, query);
        } finally {
          session.pendingBrowses--;
        }
        if (!asked.answered) return asked.result;
        const parsed = browseReplySchema.safeParse(asked.reply);
        if (!parsed.success) {
          logger.info(
            { peer: socket.id, target, why: describeZodError(parsed.error).slice(0, 200) },
            'a browsed peer answered garbage',
          );
          return badAnswer(target);
        }
        const reply = parsed.data;
        if (!reply.ok) return fail('NOT_FOUND', `peer ${target} shares no such folder (any more)`);
        const mismatch = browsePageMismatch(query, reply.data);
        if (mismatch !== null) {
          logger.info(
            { peer: socket.id, target, why: mismatch },
            'a browsed peer answered a page that does not fit the request',
          );
          return badAnswer(target);
        }
        return ok({ peerId: target, folder: folder ?? null, offset, ...reply.data });
      },
    }),
  };
}

/** Between two asks of a page of another tracker that the adapter did not find (see {@link askRemotePeer}). */
const REMOTE_RETRY_MS = 250;

/**
 * Asks a page of another tracker sharing the registry, through the adapter, which gathers one reply per socket. The
 * adapter counts the trackers it heard from lately (heartbeats): one that has not heard from the page's tracker yet
 * (just started, or its heartbeat late on a busy machine) answers at once with no reply while the registry still
 * lists the page. So it is asked again until the browse timeout, as long as the registry lists it: a page that is
 * there is not reported gone.
 */
export async function askRemotePeer(
  deps: Pick<HandlerDeps, 'io' | 'isConnected'>,
  target: PeerId,
  query: BrowseQuery,
): Promise<Asked> {
  const deadline = Date.now() + BROWSE_TIMEOUT_MS;
  for (;;) {
    let replies: unknown[];
    try {
      const wait = Math.max(1, deadline - Date.now());
      replies = await deps.io.to(target).timeout(wait).emitWithAck('browse:request', query);
    } catch {
      return notAnswered(timedOut(target));
    }
    if (replies.length > 0) return { answered: true, reply: replies[0] };
    if (!deps.isConnected(target) || Date.now() + REMOTE_RETRY_MS >= deadline) {
      return notAnswered(fail('PEER_NOT_FOUND', `peer ${target} left`));
    }
    await new Promise((resolve) => setTimeout(resolve, REMOTE_RETRY_MS));
  }
}

/** Sends the query to the browsed page's socket, here or on another tracker, and waits for its acknowledgement. */
async function askPeer(deps: HandlerDeps, target: PeerId, query: BrowseQuery): Promise<Asked> {
  const local = deps.io.sockets.sockets.get(target);
  if (!local && !deps.isConnected(target))
    return notAnswered(fail('PEER_NOT_FOUND', `peer ${target} is not connected`));
  if (!local) return askRemotePeer(deps, target, query);
  // A page that disconnects will never answer: say so at once rather than after the timeout.
  let onLeave = (): void => {};
  const left = new Promise<Asked>((resolve) => {
    onLeave = () => resolve(notAnswered(fail('PEER_NOT_FOUND', `peer ${target} left`)));
    local.once('disconnect', onLeave);
  });
  const answered = local
    .timeout(BROWSE_TIMEOUT_MS)
    .emitWithAck('browse:request', query)
    .then(
      (reply): Asked => ({ answered: true, reply }),
      (): Asked => notAnswered(timedOut(target)),
    );
  try {
    return await Promise.race([answered, left]);
  } finally {
    local.off('disconnect', onLeave);
  }
}

const notAnswered = (result: Result<never>): Asked => ({ answered: false, result });

function timedOut(target: PeerId): Result<never> {
  return fail(
    'PEER_TIMEOUT',
    `peer ${target} did not answer within ${BROWSE_TIMEOUT_MS / 1000} s; it may be busy or gone`,
  );
}

function badAnswer(target: PeerId): Result<never> {
  return fail('BAD_PEER_ANSWER', `peer ${target} answered with something that is not a valid listing`);
}
