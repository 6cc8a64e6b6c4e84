import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, IceServer, PeerId, ServerToClientEvents } from '@shoal/common';
import type { TokenBucket } from '../rate-limiter.ts';
import type { Registry } from '../registry/registry.ts';
import type { WatchHub } from '../watch/watch-hub.ts';

/** The tracker's Socket.IO server, typed with the protocol's event maps. */
export type TrackerServer = Server<ClientToServerEvents, ServerToClientEvents>;
/** One client connection on the tracker. */
export type TrackerSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** What the handlers of one connection share. */
export interface PeerContext {
  /** The peer's id: its socket id, the only identity the tracker trusts. */
  peerId: PeerId;
  socket: TrackerSocket;
  io: TrackerServer;
  registry: Registry;
  /** The tracker's watches (watched searches, waits for a file). */
  watches: WatchHub;
  logger: Logger;
  /** Per-connection rate limits. */
  buckets: { requests: TokenBucket; signals: TokenBucket; browse: TokenBucket };
  /** Whether a peer id is a live connection that can receive signals (on this tracker or, with Redis, another). */
  isConnected(peerId: PeerId): boolean;
}

/** Dependencies of the connection handler, fixed for the tracker's lifetime. */
export interface ConnectionDeps {
  io: TrackerServer;
  registry: Registry;
  watches: WatchHub;
  logger: Logger;
  iceServers: IceServer[];
  /** Every tracker's base URL, handed out in the welcome. */
  trackerUrls: string[];
  /** Whether a peer id can receive signals; by default, whether it is connected to this process. */
  isConnected?: (peerId: PeerId) => boolean;
  /** Clock for the rate limiters (milliseconds). */
  now?: () => number;
}
