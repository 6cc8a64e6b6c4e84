import {
  describeZodError,
  isWellFormedRelaySignal,
  MAX_CONNECTION_ID_LENGTH,
  MAX_PEER_ID_LENGTH,
  MAX_SIGNAL_FAILURE_MESSAGE_LENGTH,
  relaySignalSchema,
  type ErrorCode,
  type ProtocolError,
  type RelaySignalRequest,
  type SignalFailure,
} from '@shoal/common';
import { sessionOf } from './peer-session.ts';
import type { EventListeners, HandlerDeps, TrackerSocket } from './types.ts';

/**
 * `signal:relay`: passes WebRTC signaling data to another connected peer, stamped with the sender's socket id. The
 * hottest event, and not acknowledged: a delivered signal is one packet out, not two. What cannot be delivered is
 * answered with `signal:failed`, so the sender's peer connection gives up at once instead of waiting out its timeout.
 */
export function signalEvents(deps: HandlerDeps): EventListeners {
  const { io, logger, now } = deps;

  /** Where the signal had to go; `null` when it was delivered. */
  const relay = (socket: TrackerSocket, request: RelaySignalRequest): ProtocolError | null => {
    const { to, fileId, connectionId, signal } = request;
    const from = socket.id;
    if (to === from) return refusal('SELF_SIGNAL', 'a peer cannot signal itself');
    // `from` is the socket that sent this, never anything the payload says (the strict schema refuses a `from`).
    const incoming = { from, fileId, connectionId, signal };
    // A peer of this tracker: its socket itself, cheaper than a one-socket room broadcast and the same delivery.
    const local = io.sockets.sockets.get(to);
    if (local) {
      local.emit('signal:incoming', incoming);
      return null;
    }
    // A peer of another tracker sharing the registry: through the adapter (Redis streams).
    if (!deps.isConnected(to)) return refusal('PEER_NOT_FOUND', `peer ${to} is not connected`);
    io.to(to).emit('signal:incoming', incoming);
    return null;
  };

  return {
    'signal:relay': (socket, args) => {
      const payload = args[0];
      try {
        // The token first, so floods of malformed signals are limited too.
        if (!sessionOf(socket, now).take('signals')) {
          return report(socket, payload, refusal('RATE_LIMITED', 'too many signals; slow down'));
        }
        if (args.length !== 1) {
          const why = 'signal:relay takes one payload and no acknowledgement callback';
          return report(socket, payload, refusal('INVALID_PAYLOAD', why));
        }
        let request: RelaySignalRequest;
        if (isWellFormedRelaySignal(payload)) {
          // The same acceptance as the schema (held together by a test), without its allocations.
          request = payload;
        } else {
          const parsed = relaySignalSchema.safeParse(payload);
          if (!parsed.success) {
            return report(socket, payload, refusal('INVALID_PAYLOAD', describeZodError(parsed.error)));
          }
          request = parsed.data;
        }
        const failure = relay(socket, request);
        if (failure) report(socket, request, failure);
      } catch (err) {
        logger.error({ err, event: 'signal:relay', peer: socket.id }, 'relaying a signal failed');
        report(socket, payload, refusal('INTERNAL', 'the tracker failed to relay this signal'));
      }
    },
  };

  function report(socket: TrackerSocket, payload: unknown, error: ProtocolError): void {
    try {
      socket.emit('signal:failed', signalFailure(payload, error));
    } catch (err) {
      logger.warn({ err, peer: socket.id }, 'could not report a failed signal');
    }
  }
}

function refusal(code: ErrorCode, message: string): ProtocolError {
  return { code, message };
}

/**
 * The `signal:failed` push for a payload that was not delivered: its `to` and `connectionId` when they are strings of
 * a valid length (so the sender can tell which connection failed), empty otherwise; never more than the payload said.
 */
function signalFailure(payload: unknown, error: ProtocolError): SignalFailure {
  const field = (name: string, max: number): string => {
    if (typeof payload !== 'object' || payload === null) return '';
    const value: unknown = (payload as Record<string, unknown>)[name];
    return typeof value === 'string' && value.length <= max ? value : '';
  };
  return {
    to: field('to', MAX_PEER_ID_LENGTH),
    connectionId: field('connectionId', MAX_CONNECTION_ID_LENGTH),
    error: { code: error.code, message: error.message.slice(0, MAX_SIGNAL_FAILURE_MESSAGE_LENGTH) },
  };
}
