import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type Result,
  type ServerToClientEvents,
  type SignalFailure,
  type Welcome,
} from '@shoal/common';
import { pino } from 'pino';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { loadConfig, type Config } from '../config.ts';
import type { Registry } from '../registry/registry.ts';
import { createTracker, type Tracker } from '../tracker.ts';

/** A client as the web client will have it: typed with the protocol's event maps. */
export type TestClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A connected client and what the tracker told it on arrival. */
export interface Connected {
  socket: TestClient;
  peerId: string;
  welcome: Welcome;
}

/** One parsed log line. */
export interface LogLine {
  level: number;
  msg?: string;
  module?: string;
  err?: { message?: string; type?: string };
  [key: string]: unknown;
}

/** A tracker on a free local port, its clients and its logs, for integration tests. */
export interface Harness {
  tracker: Tracker;
  url: string;
  logs: LogLine[];
  /** Connects a client (over WebSocket unless told otherwise) and waits for `session:welcome`. */
  connect(options?: { auth?: unknown; transport?: 'websocket' | 'polling' }): Promise<Connected>;
  /** Connects a client whose handshake the tracker is expected to refuse; resolves with the `connect_error`. */
  connectRefused(auth: unknown): Promise<Error & { data?: unknown }>;
  /** Disconnects every client and closes the tracker. */
  close(): Promise<void>;
}

/** Options of {@link startTracker}. */
export interface HarnessOptions {
  config?: Partial<Config>;
  registry?: Registry;
  now?: () => number;
}

const CLIENT_TIMEOUT_MS = 3000;

/** Starts a tracker on 127.0.0.1, port 0. */
export async function startTracker(options: HarnessOptions = {}): Promise<Harness> {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const config: Config = { ...loadConfig({}), host: '127.0.0.1', port: 0, ...options.config };
  const tracker = await createTracker({ config, logger, registry: options.registry, now: options.now });
  const { port } = await tracker.listen();
  const url = `http://127.0.0.1:${port}`;
  const clients = new Set<TestClient>();

  const open = (auth: unknown, transport: 'websocket' | 'polling' = 'websocket'): TestClient => {
    const socket: TestClient = connectSocket(url, {
      auth: auth as Record<string, unknown>,
      transports: [transport],
      reconnection: false,
      forceNew: true,
      timeout: CLIENT_TIMEOUT_MS,
    });
    clients.add(socket);
    return socket;
  };

  return {
    tracker,
    url,
    logs,
    connect({ auth = { protocolVersion: PROTOCOL_VERSION }, transport } = {}) {
      const socket = open(auth, transport);
      return new Promise((resolve, reject) => {
        socket.once('session:welcome', (welcome) => resolve({ socket, peerId: welcome.peerId, welcome }));
        socket.once('connect_error', reject);
      });
    },
    connectRefused(auth) {
      const socket = open(auth);
      return new Promise((resolve, reject) => {
        socket.once('connect_error', resolve);
        socket.once('connect', () => reject(new Error('the tracker accepted the handshake')));
      });
    },
    async close() {
      for (const socket of clients) socket.disconnect();
      await tracker.close();
    },
  };
}

/** Events answered with an acknowledgement: all but `signal:relay`. */
type AckedEvent = Exclude<keyof ClientToServerEvents, 'signal:relay'>;
type RequestOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type AnswerOf<E extends AckedEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/** Sends anything at all under any event name, with an acknowledgement callback; resolves with the answer. */
export function rawRequest(client: Connected, event: unknown, ...args: unknown[]): Promise<Result<unknown>> {
  const socket = client.socket.timeout(CLIENT_TIMEOUT_MS);
  const emit = socket.emitWithAck as unknown as (event: unknown, ...args: unknown[]) => Promise<Result<unknown>>;
  return emit.call(socket, event, ...args);
}

/** Sends a well-formed request and resolves with the tracker's acknowledgement. */
export function request<E extends AckedEvent>(
  client: Connected,
  event: E,
  payload: RequestOf<E>,
): Promise<AnswerOf<E>> {
  return rawRequest(client, event, payload) as Promise<AnswerOf<E>>;
}

/** Sends anything under any event name without an acknowledgement callback. */
export function rawEmit(client: Connected, event: unknown, ...args: unknown[]): void {
  (client.socket.emit as unknown as (event: unknown, ...args: unknown[]) => void).call(client.socket, event, ...args);
}

/** Sends a well-formed `signal:relay` (not acknowledged: see {@link nextSignalFailure}). */
export function relaySignal(client: Connected, payload: RequestOf<'signal:relay'>): void {
  client.socket.emit('signal:relay', payload);
}

/** Resolves with the next `signal:failed` the tracker pushes to `client`; rejects if none comes in `timeoutMs`. */
export function nextSignalFailure(client: Connected, timeoutMs = 2000): Promise<SignalFailure> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.socket.off('signal:failed', listener);
      reject(new Error(`no signal:failed within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (failure: SignalFailure): void => {
      clearTimeout(timer);
      client.socket.off('signal:failed', listener);
      resolve(failure);
    };
    client.socket.on('signal:failed', listener);
  });
}

/** Sends anything as `signal:relay` arguments and resolves with the `signal:failed` it is answered with. */
export function relayRefusal(client: Connected, ...args: unknown[]): Promise<SignalFailure> {
  const failure = nextSignalFailure(client);
  rawEmit(client, 'signal:relay', ...args);
  return failure;
}

/**
 * Relays `payload` again until `delivered()` says it arrived: a peer of another tracker may be unknown to this one for
 * a moment (`PEER_NOT_FOUND`). Each try waits for its verdict (arrived, or refused) up to `tryMs` before the next.
 */
export async function relayUntilDelivered(
  client: Connected,
  payload: RequestOf<'signal:relay'>,
  delivered: () => boolean,
  timeoutMs = 5000,
  tryMs = 1000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!delivered()) {
    if (Date.now() > deadline) throw new Error(`signal to ${payload.to} not delivered within ${timeoutMs} ms`);
    let refused = false;
    nextSignalFailure(client, tryMs).then(
      () => (refused = true),
      () => undefined,
    );
    relaySignal(client, payload);
    for (const until = Date.now() + tryMs; !delivered() && !refused && Date.now() < until;) await sleep(10);
  }
}

/** Resolves once `check` passes (polling every `intervalMs`), or rejects with its last error after `timeoutMs`. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 2000, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

export { fileId } from '../registry/contract-fixtures.ts';

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
