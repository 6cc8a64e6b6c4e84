import type { BrowsePeerRequest, BrowseQuery, BrowseReply, BrowseResponse } from './browse.ts';
import type { SetDisplayNameRequest, SetDisplayNameResponse } from './display-name.ts';
import type { Ack } from './result.ts';
import type {
  AnnouncePiecesRequest,
  AnnouncePiecesResponse,
  HoldersRequest,
  HoldersResponse,
  IncomingSignal,
  RegisterFilesRequest,
  RegisterFilesResponse,
  RelaySignalRequest,
  SearchRequest,
  SignalFailure,
  SearchResponse,
  UnregisterFilesRequest,
  UnregisterFilesResponse,
  Welcome,
} from './schemas.ts';
import type { SourcesRequest, SourcesResponse } from './sources.ts';
import type {
  LookupRequest,
  LookupResponse,
  WatchAddRequest,
  WatchAddResponse,
  WatchMatches,
  WatchRemoveRequest,
  WatchRemoveResponse,
} from './watch-schemas.ts';

/**
 * Version of the tracker protocol. A client sends it in the Socket.IO handshake (`auth.protocolVersion`); the
 * tracker refuses connections that speak another version.
 */
export const PROTOCOL_VERSION = 2;

/**
 * Events a client sends to the tracker. Every one is acknowledged with a {@link Result}, except `signal:relay`, whose
 * failures come back as `signal:failed`.
 */
export interface ClientToServerEvents {
  /** Announce files this peer holds (replaces name and type of files it already announced). */
  'files:register': (request: RegisterFilesRequest, ack: Ack<RegisterFilesResponse>) => void;
  /** Tell which pieces this peer holds of files it is downloading (throttled by the client). */
  'files:announce': (request: AnnouncePiecesRequest, ack: Ack<AnnouncePiecesResponse>) => void;
  /** Stop announcing files. Only ever affects the sender's own registrations. */
  'files:unregister': (request: UnregisterFilesRequest, ack: Ack<UnregisterFilesResponse>) => void;
  /** Search the registry by name. */
  'files:search': (request: SearchRequest, ack: Ack<SearchResponse>) => void;
  /** List the connected peers holding a file. */
  'files:holders': (request: HoldersRequest, ack: Ack<HoldersResponse>) => void;
  /**
   * Relay WebRTC signaling data to another connected peer. Not acknowledged: a delivered signal costs the tracker one
   * packet out instead of two (it is the most frequent event); one that cannot be delivered is answered with
   * `signal:failed`.
   */
  'signal:relay': (request: RelaySignalRequest) => void;
  /** Set the display name this page goes by (sent again on every connection). */
  'peer:name': (request: SetDisplayNameRequest, ack: Ack<SetDisplayNameResponse>) => void;
  /** List the connected holders of a file with their display names. */
  'files:sources': (request: SourcesRequest, ack: Ack<SourcesResponse>) => void;
  /** A page of one folder level of what another peer shares, asked of that peer through the tracker. */
  'peers:browse': (request: BrowsePeerRequest, ack: Ack<BrowseResponse>) => void;
  /** One file by its content id (a share link), or `null` when nobody holds it. */
  'files:lookup': (request: LookupRequest, ack: Ack<LookupResponse>) => void;
  /** Keep a live query (or file id) on the tracker: matches are pushed with `watch:matches` while connected. */
  'watch:add': (request: WatchAddRequest, ack: Ack<WatchAddResponse>) => void;
  /** Drop one of this connection's watches. */
  'watch:remove': (request: WatchRemoveRequest, ack: Ack<WatchRemoveResponse>) => void;
}

/** Events the tracker sends to a client. */
export interface ServerToClientEvents {
  /** First event on every connection: peer id, ICE servers, protocol version. */
  'session:welcome': (welcome: Welcome) => void;
  /** Signaling data relayed from another peer. */
  'signal:incoming': (signal: IncomingSignal) => void;
  /** A `signal:relay` of this connection was not delivered (the peer is gone, the payload was refused, …). */
  'signal:failed': (failure: SignalFailure) => void;
  /** Another peer browses this page's shares: answer with a page of the folder level asked (never told who asks). */
  'browse:request': (query: BrowseQuery, ack: (reply: BrowseReply) => void) => void;
  /**
   * Files became findable under names matching this connection's watches: the matches made since the last push, in
   * one packet (1 to `MAX_MATCHES_PER_PUSH`).
   */
  'watch:matches': (matches: WatchMatches) => void;
}

/** Every event name a client may send; anything else is answered with `UNKNOWN_EVENT`. */
export const CLIENT_EVENTS = [
  'files:register',
  'files:announce',
  'files:unregister',
  'files:search',
  'files:holders',
  'signal:relay',
  'peer:name',
  'files:sources',
  'peers:browse',
  'files:lookup',
  'watch:add',
  'watch:remove',
] as const satisfies readonly (keyof ClientToServerEvents)[];

/** The handshake `auth` object a client sends when it connects. */
export interface ClientAuth {
  protocolVersion: number;
}
