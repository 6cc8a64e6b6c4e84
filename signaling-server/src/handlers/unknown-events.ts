import { fail } from '@shoal/common';
import { sessionOf } from './peer-session.ts';
import type { HandlerDeps, TrackerSocket } from './types.ts';

/** Answers an event outside the protocol with `UNKNOWN_EVENT` (when it carries a callback) and logs it. */
export function answerUnknownEvent(
  deps: Pick<HandlerDeps, 'logger' | 'now'>,
  socket: TrackerSocket,
  event: unknown,
  args: unknown[],
): void {
  try {
    const allowed = sessionOf(socket, deps.now).take('requests');
    const ack = args[args.length - 1];
    deps.logger.debug({ peer: socket.id, event: String(event).slice(0, 100) }, 'unknown event');
    if (typeof ack !== 'function') return;
    ack(
      allowed
        ? fail('UNKNOWN_EVENT', `unknown event ${JSON.stringify(String(event).slice(0, 100))}`)
        : fail('RATE_LIMITED', 'too many requests; slow down and retry in a moment'),
    );
  } catch (err) {
    deps.logger.warn({ err, peer: socket.id }, 'could not answer an unknown event');
  }
}
