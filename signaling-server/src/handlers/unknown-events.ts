import { CLIENT_EVENTS, fail } from '@shoal/common';
import type { PeerContext } from './types.ts';

const KNOWN: ReadonlySet<unknown> = new Set(CLIENT_EVENTS);

/** Answers events outside the protocol with `UNKNOWN_EVENT` (when they carry a callback) and logs them. */
export function attachUnknownEventHandler(ctx: PeerContext): void {
  const { socket, logger } = ctx;

  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (KNOWN.has(event)) return;
    try {
      const allowed = ctx.buckets.requests.take();
      const ack = args[args.length - 1];
      logger.debug({ event: String(event).slice(0, 100) }, 'unknown event');
      if (typeof ack !== 'function') return;
      ack(
        allowed
          ? fail('UNKNOWN_EVENT', `unknown event ${JSON.stringify(String(event).slice(0, 100))}`)
          : fail('RATE_LIMITED', 'too many requests; slow down and retry in a moment'),
      );
    } catch (err) {
      logger.warn({ err }, 'could not answer an unknown event');
    }
  });
}
