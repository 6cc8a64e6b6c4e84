import type { z } from 'zod';
import { describeZodError, fail, type Result } from '@shoal/common';
import type { Logger } from 'pino';
import type { TokenBucket } from '../rate-limiter.ts';

/** How one acknowledged event is checked and answered. */
export interface AcknowledgedOptions<S extends z.ZodType, T> {
  event: string;
  schema: S;
  bucket: TokenBucket;
  logger: Logger;
  /** Does the work on a validated payload; may throw (answered as `INTERNAL`). */
  handle: (request: z.output<S>) => Promise<Result<T>>;
}

const INTERNAL_MESSAGE = 'the tracker failed to handle this request; nothing was changed';

/**
 * Builds the listener of one client event: it takes a rate-limit token, finds the acknowledgement callback (the
 * last argument), validates the payload (the one argument before it) and acknowledges `handle`'s result. Whatever a
 * client sends, it answers with a `Result` or, without a callback to answer to, drops the event; it never throws.
 */
export function acknowledged<S extends z.ZodType, T>(options: AcknowledgedOptions<S, T>): (...args: unknown[]) => void {
  const { event, schema, bucket, logger, handle } = options;
  return (...args: unknown[]): void => {
    try {
      // Take the token first, so floods of events without a callback are limited too.
      const allowed = bucket.take();
      const ack = args[args.length - 1];
      if (typeof ack !== 'function') {
        logger.debug({ event }, 'dropped an event without an acknowledgement callback');
        return;
      }
      const reply = (result: Result<T>): void => {
        try {
          ack(result);
        } catch (err) {
          logger.warn({ err, event }, 'could not send an acknowledgement');
        }
      };
      if (!allowed) return reply(fail('RATE_LIMITED', 'too many requests; slow down and retry in a moment'));
      if (args.length !== 2) {
        return reply(fail('INVALID_PAYLOAD', `${event} takes one payload and an acknowledgement callback`));
      }
      const parsed = schema.safeParse(args[0]);
      if (!parsed.success) return reply(fail('INVALID_PAYLOAD', describeZodError(parsed.error)));
      new Promise<Result<T>>((resolve) => resolve(handle(parsed.data))).then(reply, (err: unknown) => {
        logger.error({ err, event }, 'request failed');
        reply(fail('INTERNAL', INTERNAL_MESSAGE));
      });
    } catch (err) {
      logger.error({ err, event }, 'event listener failed');
    }
  };
}
