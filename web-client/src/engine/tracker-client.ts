import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type ClientAuth,
  type ClientToServerEvents,
  type IceServer,
  type IncomingSignal,
  type ProtocolError,
  type Result,
  type ServerToClientEvents,
  type Welcome,
} from '@shoal/common';

/** How long the client waits for an acknowledgement before giving up on a request. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Where the connection to the tracker stands. */
export type TrackerStatus = 'connecting' | 'online' | 'offline';

/** Errors of the client side of a request (the tracker's own codes come as they are). */
export type RequestError = ProtocolError | { code: 'TIMEOUT' | 'OFFLINE'; message: string };
export type RequestResult<T> = { ok: true; data: T } | { ok: false; error: RequestError };

type TrackerSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type RequestEvent = keyof ClientToServerEvents;
type RequestPayload<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0];
type ResponseData<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[1] extends (
  result: Result<infer T>,
) => void
  ? T
  : never;

export interface TrackerClientEvents {
  /** The connection state changed. */
  status(status: TrackerStatus, detail: string): void;
  /** A (re)connection finished its handshake: announce everything again. */
  welcome(welcome: Welcome): void;
  /** Another peer sent signaling data. */
  signal(signal: IncomingSignal): void;
}

/**
 * The page's connection to the tracker. Socket.IO reconnects by itself with backoff; every reconnection gets a new
 * peer id and a fresh `welcome`, after which the engine registers its files again.
 */
export class TrackerClient {
  private readonly socket: TrackerSocket;
  private welcomeData: Welcome | null = null;

  constructor(url: string, events: TrackerClientEvents) {
    const auth: ClientAuth = { protocolVersion: PROTOCOL_VERSION };
    this.socket = io(url, { auth, reconnectionDelayMax: 5_000, randomizationFactor: 0.5 });
    this.socket.on('session:welcome', (welcome) => {
      this.welcomeData = welcome;
      events.status('online', '');
      events.welcome(welcome);
    });
    this.socket.on('signal:incoming', (signal) => events.signal(signal));
    this.socket.on('disconnect', (reason) => {
      this.welcomeData = null;
      events.status('offline', `lost the tracker (${reason}), reconnecting…`);
    });
    this.socket.on('connect_error', (error) => {
      events.status('offline', `cannot reach the tracker (${error.message}), retrying…`);
    });
    this.socket.io.on('reconnect_attempt', () => events.status('connecting', 'reconnecting…'));
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
    return this.welcomeData !== null && this.socket.connected;
  }

  /** Sends an acknowledged request; never throws. */
  async request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<RequestResult<ResponseData<E>>> {
    if (!this.online) return { ok: false, error: { code: 'OFFLINE', message: 'not connected to the tracker' } };
    try {
      // Socket.IO's typed emitWithAck cannot follow a generic event name; the event map above keeps callers typed.
      const socket = this.socket.timeout(REQUEST_TIMEOUT_MS);
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
    this.socket.close();
  }
}
