import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, IceServer, PeerId, ServerToClientEvents } from '@shoal/common';
import type { Registry } from '../registry/registry.ts';
import type { WatchHub } from '../watch/watch-hub.ts';
import type { PeerSession } from './peer-session.ts';

/** What the tracker keeps on each socket (`socket.data`). */
export interface PeerSocketData {
  /** Rate limits and pending requests, made by {@link sessionOf} on the connection's first event. */
  session?: PeerSession;
}

/** The tracker's Socket.IO server, typed with the protocol's event maps. */
export type TrackerServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, PeerSocketData>;
/** One client connection on the tracker. */
export type TrackerSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, PeerSocketData>;

/** What every connection's handlers share: made once per tracker, never per connection. */
export interface HandlerDeps {
  io: TrackerServer;
  registry: Registry;
  /** The tracker's watches (watched searches, waits for a file). */
  watches: WatchHub;
  /** Logs name the peer in a `peer` field (a child logger per connection would cost each one a few hundred bytes). */
  logger: Logger;
  /** Whether a peer id is a live connection that can receive signals (on this tracker or, with Redis, another). */
  isConnected(peerId: PeerId): boolean;
  /** Clock for the rate limiters (milliseconds). */
  now?: () => number;
}

/**
 * The listener of one client event, shared by every connection: the socket it came from and what the client sent
 * (the payload arguments, then the acknowledgement callback if there is one).
 */
export type EventListener = (socket: TrackerSocket, args: unknown[]) => void;

/** Listeners by client event name. */
export type EventListeners = Partial<Record<keyof ClientToServerEvents, EventListener>>;

/** Dependencies of the connection handler, fixed for the tracker's lifetime. */
export interface ConnectionDeps extends Omit<HandlerDeps, 'isConnected'> {
  iceServers: IceServer[];
  /** Every tracker's base URL, handed out in the welcome. */
  trackerUrls: string[];
  /** Whether a peer id can receive signals; by default, whether it is connected to this process. */
  isConnected?: (peerId: PeerId) => boolean;
}
