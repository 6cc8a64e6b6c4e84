import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type BrowseReply,
  type ClientAuth,
  type ClientToServerEvents,
  type IceServer,
  type IncomingSignal,
  type ProtocolError,
  type RelaySignalRequest,
  type Result,
  type ServerToClientEvents,
  type SignalFailure,
  signalFailureSchema,
  type WatchMatch,
  type Welcome,
  watchMatchesSchema,
} from '@shoal/common';
import { TrackerFailover } from './tracker-failover.ts';

/** How long the client waits for an acknowledgement before giving up on a request. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Where the connection to the tracker stands. */
export type TrackerStatus = 'connecting' | 'online' | 'offline';

/** Errors of the client side of a request (the tracker's own codes come as they are). */
export type RequestError = ProtocolError | { code: 'TIMEOUT' | 'OFFLINE'; message: string };
export type RequestResult<T> = { ok: true; data: T } | { ok: false; error: RequestError };

type TrackerSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** Events answered with an acknowledgement (all but `signal:relay`, see {@link TrackerClient.relaySignal}). */
type RequestEvent = Exclude<keyof ClientToServerEvents, 'signal:relay'>;
type RequestPayload<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0];
type ResponseData<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[1] extends (
  result: Result<infer T>,
) => void
  ? T
  : never;

export interface TrackerClientEvents {
  /** The connection state changed; `url` is the tracker connected to, or being tried. */
  status(status: TrackerStatus, detail: string, url: string): void;
  /** A (re)connection finished its handshake: announce everything again. */
  welcome(welcome: Welcome): void;
  /** Another peer sent signaling data. */
  signal(signal: IncomingSignal): void;
  /** A signal this page sent was not delivered. */
  signalFailed(failure: SignalFailure): void;
  /** Another peer browses this page (the tracker asks on its behalf, never saying who): what to answer. */
  browse(query: unknown): Promise<BrowseReply>;
  /**
   * A file matching one of this connection's watches became findable: called once per match, in the order the
   * tracker made them, whether it pushed them one to a packet or several.
   */
  watchMatch?(match: WatchMatch): void;
}

/** How long one connection attempt may take before the next tracker is tried. */
const CONNECT_TIMEOUT_MS = 5_000;

/** A tracker URL as shown to people: host and port, and the path when there is one. */
export function trackerLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host + (parsed.pathname === '/' ? '' : parsed.pathname);
  } catch {
    return url;
  }
}

/**
 * The page's connection to a tracker. It starts with the page's own tracker and learns every tracker's URL from the
 * welcome; when the connection is lost or cannot be made, it tries the next tracker after a backoff with jitter
 * ({@link TrackerFailover}). Every (re)connection gets a new peer id and a fresh `welcome`, after which the engine
 * registers its files and announces its pieces again.
 */
export class TrackerClient {
  private socket: TrackerSocket | null = null;
  private welcomeData: Welcome | null = null;
  private readonly failover: TrackerFailover;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    url: string,
    private readonly events: TrackerClientEvents,
  ) {
    this.failover = new TrackerFailover(url);
    this.open(url);
  }

  private open(url: string): void {
    const auth: ClientAuth = { protocolVersion: PROTOCOL_VERSION };
    // One socket per attempt, without Socket.IO's own reconnection: the failover decides where to go next.
    // WebSocket first (works behind a load balancer without sticky sessions), long-polling if it cannot open.
    const socket: TrackerSocket = io(url, {
      auth,
      reconnection: false,
      forceNew: true,
      timeout: CONNECT_TIMEOUT_MS,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
    });
    this.socket = socket;
    const label = trackerLabel(url);
    this.events.status('connecting', `connecting to ${label}…`, url);
    socket.on('session:welcome', (welcome) => {
      if (socket !== this.socket) return;
      this.welcomeData = welcome;
      this.failover.connected(url, welcome.trackerUrls);
      this.events.status('online', '', url);
      this.events.welcome(welcome);
    });
    socket.on('signal:incoming', (signal) => {
      if (socket === this.socket) this.events.signal(signal);
    });
    socket.on('signal:failed', (payload: unknown) => {
      if (socket !== this.socket) return;
      const parsed = signalFailureSchema.safeParse(payload);
      if (parsed.success) this.events.signalFailed(parsed.data);
    });
    socket.on('browse:request', (query, ack: unknown) => {
      if (socket !== this.socket || typeof ack !== 'function') return;
      const answer = ack as (reply: BrowseReply) => void;
      this.events
        .browse(query)
        .then(answer, () =>
          answer({ ok: false, error: { code: 'NOT_FOUND', message: 'this page could not list its shares' } }),
        );
    });
    socket.on('watch:matches', (payload: unknown) => {
      if (socket !== this.socket) return;
      // Checked whole before any is handled: a malformed push is dropped, never half-applied.
      const parsed = watchMatchesSchema.safeParse(payload);
      if (!parsed.success) return;
      for (const match of parsed.data) this.events.watchMatch?.(match);
    });
    socket.on('disconnect', (reason) => {
      if (socket !== this.socket || this.closed) return;
      this.welcomeData = null;
      this.retry(`lost ${label} (${reason})`);
    });
    socket.on('connect_error', (error) => {
      if (socket !== this.socket || this.closed) return;
      this.retry(`cannot reach ${label} (${error.message})`);
    });
  }

  /** Drops the current socket and schedules the next attempt. */
  private retry(why: string): void {
    if (this.retryTimer !== undefined) return;
    const failed = this.socket;
    this.socket = null;
    failed?.removeAllListeners();
    failed?.close();
    const { url, delayMs } = this.failover.next();
    const seconds = Math.max(1, Math.round(delayMs / 1000));
    this.events.status('offline', `${why}; trying ${trackerLabel(url)} in ${seconds} s…`, url);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.closed) this.open(url);
    }, delayMs);
  }

  /** This page's peer id on the tracker, while connected. */
  get peerId(): string | null {
    return this.welcomeData?.peerId ?? null;
  }

  /** ICE servers the tracker handed out (empty until the first welcome). */
  get iceServers(): IceServer[] {
    return this.welcomeData?.iceServers ?? [];
  }

  get online(): boolean {
    return this.welcomeData !== null && this.socket?.connected === true;
  }

  /**
   * Sends signaling data to another peer through the tracker, unacknowledged (a failure comes back through
   * `signalFailed`); `false` when offline, where the signal is not queued: it would be stale by the time the tracker
   * is back.
   */
  relaySignal(request: RelaySignalRequest): boolean {
    if (!this.online) return false;
    (this.socket as TrackerSocket).emit('signal:relay', request);
    return true;
  }

  /** Sends an acknowledged request; never throws. */
  async request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<RequestResult<ResponseData<E>>> {
    if (!this.online) return { ok: false, error: { code: 'OFFLINE', message: 'not connected to the tracker' } };
    try {
      // Socket.IO's typed emitWithAck cannot follow a generic event name; the event map above keeps callers typed.
      const socket = (this.socket as TrackerSocket).timeout(REQUEST_TIMEOUT_MS);
      const emit = socket.emitWithAck.bind(socket) as (
        event: E,
        payload: RequestPayload<E>,
      ) => Promise<Result<ResponseData<E>>>;
      return await emit(event, payload);
    } catch {
      return { ok: false, error: { code: 'TIMEOUT', message: 'the tracker did not answer in time' } };
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket?.close();
  }
}
