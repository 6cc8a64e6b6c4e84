import { CLIENT_EVENTS } from '@shoal/common';
import { browseEvents } from './browse-handlers.ts';
import { displayNameEvents } from './display-name-handlers.ts';
import { fileEvents } from './file-handlers.ts';
import { signalEvents } from './signal-handlers.ts';
import type { EventListener, HandlerDeps, TrackerSocket } from './types.ts';
import { answerUnknownEvent } from './unknown-events.ts';
import { watchEvents } from './watch-handlers.ts';

/** Routes every event of a connection; Socket.IO calls it with the socket as `this` (an `onAny` listener). */
export type EventRouter = (this: TrackerSocket, event: unknown, ...args: unknown[]) => void;

/**
 * Builds the one listener every connection gets (`socket.onAny`): it hands each client event to its listener in a
 * table made once per tracker, and answers events outside the protocol. One shared function instead of a dozen
 * closures per connection: with tens of thousands of peers, per-connection listeners were most of a peer's memory.
 */
export function createEventRouter(deps: HandlerDeps): EventRouter {
  const listeners = new Map<unknown, EventListener>(
    Object.entries({
      ...fileEvents(deps),
      ...signalEvents(deps),
      ...displayNameEvents(deps),
      ...browseEvents(deps),
      ...watchEvents(deps),
    }),
  );
  const missing = CLIENT_EVENTS.filter((event) => !listeners.has(event));
  if (missing.length > 0) throw new Error(`no listener for client events ${missing.join(', ')}`);
  return function routeEvent(event, ...args) {
    // As Socket.IO does for its own listeners: nothing more is handled for a connection that is gone.
    if (this.disconnected) return;
    const listener = listeners.get(event);
    if (listener) listener(this, args);
    else answerUnknownEvent(deps, this, event, args);
  };
}
