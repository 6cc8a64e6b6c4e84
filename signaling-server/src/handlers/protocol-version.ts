import { PROTOCOL_VERSION } from '@shoal/common';
import type { TrackerSocket } from './types.ts';

/**
 * Connection middleware: refuses a handshake whose `auth.protocolVersion` is not ours. The client gets a
 * `connect_error` carrying this message and `data.protocolVersion` (what the tracker speaks).
 */
export function checkProtocolVersion(socket: TrackerSocket, next: (err?: Error) => void): void {
  const auth: unknown = socket.handshake.auth;
  const version =
    typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>).protocolVersion : undefined;
  if (version === PROTOCOL_VERSION) return next();
  // Echo numbers only: anything else a client put there is not worth (or safe) quoting back.
  const sent =
    typeof version === 'number' ? String(version) : version === undefined ? 'none' : `of type ${typeof version}`;
  const err = Object.assign(
    new Error(
      `unsupported protocol version ${sent}: this tracker speaks protocol version ${PROTOCOL_VERSION}; reload the page or update the client`,
    ),
    { data: { protocolVersion: PROTOCOL_VERSION } },
  );
  next(err);
}
