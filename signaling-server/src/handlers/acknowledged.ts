import type { z } from 'zod';
import { describeZodError, fail, type Result } from '@shoal/common';
import { sessionOf, type LimitName } from './peer-session.ts';
import type { EventListener, HandlerDeps, TrackerSocket } from './types.ts';

/** How one acknowledged event is checked and answered. */
export interface AcknowledgedOptions<S extends z.ZodType, T> {
  event: string;
  schema: S;
  /** The connection's rate limit this event takes a token from. */
  limit: LimitName;
  /**
   * Optional quick check for a hot event: `true` only for payloads `schema` accepts unchanged (they skip the schema);
   * on `false` the schema decides and explains.
   */
  accepts?: (payload: unknown) => payload is z.output<S>;
  /**
   * Does the work on a validated payload for the connection that sent it, synchronously or not; may throw or reject
   * (answered as `INTERNAL`).
   */
  handle: (request: z.output<S>, socket: TrackerSocket) => Result<T> | Promise<Result<T>>;
}

// Not "nothing was changed": with a shared registry, a write the tracker gave up waiting for may still land (every
// registry change is idempotent, so retrying one is safe).
const INTERNAL_MESSAGE = 'the tracker failed to handle this request; it may or may not have taken effect';

/**
 * Builds the listener of one client event, shared by every connection: it takes a rate-limit token, finds the
 * acknowledgement callback (the last argument), validates the payload (the one argument before it) and acknowledges
 * `handle`'s result. Whatever a client sends, it answers with a `Result` or, without a callback to answer to, drops
 * the event; it never throws.
 */
export function acknowledged<S extends z.ZodType, T>(
  deps: Pick<HandlerDeps, 'logger' | 'now'>,
  options: AcknowledgedOptions<S, T>,
): EventListener {
  const { logger, now } = deps;
  const { event, schema, limit, accepts, handle } = options;
  // Made once, not per event: the listener below allocates no closures on the way to a synchronous answer.
  const reply = (socket: TrackerSocket, ack: (result: Result<T>) => void, result: Result<T>): void => {
    try {
      ack(result);
    } catch (err) {
      logger.warn({ err, event, peer: socket.id }, 'could not send an acknowledgement');
    }
  };
  const failed = (socket: TrackerSocket, ack: (result: Result<T>) => void, err: unknown): void => {
    logger.error({ err, event, peer: socket.id }, 'request failed');
    reply(socket, ack, fail('INTERNAL', INTERNAL_MESSAGE));
  };
  return (socket, args) => {
    try {
      // Take the token first, so floods of events without a callback are limited too.
      const allowed = sessionOf(socket, now).take(limit);
      const ack = args[args.length - 1];
      if (typeof ack !== 'function') {
        logger.debug({ event, peer: socket.id }, 'dropped an event without an acknowledgement callback');
        return;
      }
      const answer = ack as (result: Result<T>) => void;
      if (!allowed) {
        return reply(socket, answer, fail('RATE_LIMITED', 'too many requests; slow down and retry in a moment'));
      }
      if (args.length !== 2) {
        return reply(
          socket,
          answer,
          fail('INVALID_PAYLOAD', `${event} takes one payload and an acknowledgement callback`),
        );
      }
      let request: z.output<S>;
      if (accepts?.(args[0])) {
        request = args[0];
      } else {
        const parsed = schema.safeParse(args[0]);
        if (!parsed.success) return reply(socket, answer, fail('INVALID_PAYLOAD', describeZodError(parsed.error)));
        request = parsed.data;
      }
      let outcome: Result<T> | Promise<Result<T>>;
      try {
        outcome = handle(request, socket);
      } catch (err) {
        return failed(socket, answer, err);
      }
      if (outcome instanceof Promise) {
        outcome.then(
          (result) => reply(socket, answer, result),
          (err: unknown) => failed(socket, answer, err),
        );
      } else {
        reply(socket, answer, outcome);
      }
    } catch (err) {
      logger.error({ err, event, peer: socket.id }, 'event listener failed');
    }
  };
}
