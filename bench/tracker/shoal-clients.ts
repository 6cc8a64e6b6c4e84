/**
 * Load-worker side for Shoal: many `socket.io-client` connections speaking the real protocol, each kept within
 * the tracker's per-connection rate limits.
 */
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type FileRegistration,
  type IncomingSignal,
  type RegisterFilesResponse,
  type Result,
  type SignalFailure,
  type SearchResponse,
  type ServerToClientEvents,
} from '@shoal/common';
import { io, type Socket } from 'socket.io-client';
import type {
  AnnounceParams,
  AnnounceReport,
  ConnectParams,
  ConnectReport,
  RegistrationPlan,
  RegistrationReport,
  RelayParams,
  RelayReport,
  SearchReport,
} from './child-api.ts';
import type { BenchQuery } from './filtered-queries.ts';
import { benchFile, replicaOf, seededRandom, zipfRank } from './names.ts';
import { RelayMeter, type RelayPair } from './relay-meter.ts';
import { ANSWER_SDP, CANDIDATE_SIGNAL, OFFER_SDP } from './signal-payloads.ts';
import { runPool } from './pool.ts';
import { WireClient } from './wire-client.ts';

type ShoalSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Client {
  socket: ShoalSocket;
  peerId: string;
}

const CONNECT_TIMEOUT_MS = 30_000;
/** Any valid file id: relayed signals name the file a connection is for. */
const RELAY_FILE_ID = '0'.repeat(64);

/** How long a request may wait for its acknowledgement before the run fails (the tracker is gone or stuck). */
const ACK_TIMEOUT_MS = 60_000;

function failureCode<T>(result: Result<T>): string | undefined {
  return result.ok ? undefined : result.error.code;
}

/** Sends a request through `send` and resolves with its acknowledgement; rejects if none comes in time. */
function acknowledged<T>(send: (ack: (result: Result<T>) => void) => void): Promise<Result<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no acknowledgement within ${ACK_TIMEOUT_MS} ms`)), ACK_TIMEOUT_MS);
    send((result) => {
      clearTimeout(timer);
      resolve(result);
    });
  });
}

/** Shoal clients of one load worker. */
export class ShoalClients {
  private clients: Client[] = [];
  private worker = 0;
  private batches: { client: Client; files: FileRegistration[] }[] = [];
  /** The relay's clients, opened on the first relay run and kept for the others. */
  private relayClients: WireClient[] = [];
  private url = '';

  private get(index: number): Client {
    const client = this.clients[index];
    if (!client) throw new Error(`no Shoal client ${index} (${this.clients.length} connected)`);
    return client;
  }

  /** Opens `count` connections and waits for each one's welcome. */
  async connect({ url, count, concurrency, worker }: ConnectParams): Promise<ConnectReport> {
    this.worker = worker;
    this.url = url;
    const started = performance.now();
    let failed = 0;
    await runPool(count, concurrency, async () => {
      const socket: ShoalSocket = io(url, {
        auth: { protocolVersion: PROTOCOL_VERSION },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: CONNECT_TIMEOUT_MS,
      });
      try {
        const peerId = await new Promise<string>((resolve, reject) => {
          socket.once('session:welcome', (welcome) => resolve(welcome.peerId));
          socket.once('connect_error', reject);
        });
        this.clients.push({ socket, peerId });
      } catch {
        failed++;
        socket.disconnect();
      }
    });
    return { connected: this.clients.length, failed, ms: performance.now() - started };
  }

  /** Every client registers one replica of a popular file, `rounds` times in a row (as periodic re-announces). */
  async announce({ rounds, baseFiles }: AnnounceParams): Promise<AnnounceReport> {
    const latenciesMs: number[] = [];
    const errors: Record<string, number> = {};
    const started = performance.now();
    await Promise.all(
      this.clients.map(async (client, index) => {
        const random = seededRandom(this.worker * 1_000_003 + index);
        const file = replicaOf(zipfRank(random, baseFiles), random);
        for (let round = 0; round < rounds; round++) {
          const sent = performance.now();
          const result = await acknowledged<RegisterFilesResponse>((ack) =>
            client.socket.emit('files:register', { files: [file] }, ack),
          );
          latenciesMs.push(performance.now() - sent);
          const code = failureCode(result);
          if (code) errors[code] = (errors[code] ?? 0) + 1;
        }
      }),
    );
    return { requests: this.clients.length * rounds, ms: performance.now() - started, latenciesMs, errors };
  }

  /** Builds the registration batches of the first `peers` clients (file names and ids take a while to make). */
  prepareRegistration(plan: RegistrationPlan): { files: number } {
    this.batches = [];
    let files = 0;
    for (let peer = 0; peer < plan.peers; peer++) {
      const client = this.get(peer);
      const first = plan.firstFile + peer * plan.filesPerPeer;
      for (let offset = 0; offset < plan.filesPerPeer; offset += plan.batchSize) {
        const batch: FileRegistration[] = [];
        const end = Math.min(plan.filesPerPeer, offset + plan.batchSize);
        for (let i = offset; i < end; i++) batch.push(benchFile(first + i));
        this.batches.push({ client, files: batch });
        files += batch.length;
      }
    }
    return { files };
  }

  /** Sends the prepared batches, `concurrency` at a time. */
  async runRegistration({ concurrency }: { concurrency: number }): Promise<RegistrationReport> {
    const batches = this.batches;
    this.batches = [];
    const latenciesMs: number[] = [];
    const errors: Record<string, number> = {};
    let files = 0;
    const started = performance.now();
    await runPool(batches.length, concurrency, async (index) => {
      const batch = batches[index];
      if (!batch) return;
      const sent = performance.now();
      const result = await acknowledged<RegisterFilesResponse>((ack) =>
        batch.client.socket.emit('files:register', { files: batch.files }, ack),
      );
      latenciesMs.push(performance.now() - sent);
      const code = failureCode(result);
      if (code) errors[code] = (errors[code] ?? 0) + 1;
      else files += batch.files.length;
    });
    return { files, batches: batches.length, ms: performance.now() - started, latenciesMs, errors };
  }

  /** Runs `queries`, `concurrency` at a time, each from the next client in turn (far below its rate limit). */
  async search({ queries, concurrency }: { queries: BenchQuery[]; concurrency: number }): Promise<SearchReport> {
    const latenciesMs: number[] = [];
    const totals = new Array<number>(queries.length).fill(-1);
    const errors: Record<string, number> = {};
    await runPool(queries.length, concurrency, async (index) => {
      const client = this.get(index % this.clients.length);
      const sent = performance.now();
      const result = await acknowledged<SearchResponse>((ack) =>
        client.socket.emit('files:search', queries[index] ?? { query: '' }, ack),
      );
      latenciesMs.push(performance.now() - sent);
      if (result.ok) totals[index] = result.data.total;
      else errors[result.error.code] = (errors[result.error.code] ?? 0) + 1;
    });
    return { latenciesMs, totals, errors };
  }

  /**
   * Relays signals between pairs of wire-level clients (client 2i to client 2i + 1), connected besides the others on
   * the first run: `socket.io-client` would cost this process more CPU per signal than the tracker spends.
   */
  async relay(params: RelayParams): Promise<RelayReport> {
    const wanted = 2 * params.pairs;
    if (this.relayClients.length < wanted) {
      const more = await Promise.all(
        Array.from({ length: wanted - this.relayClients.length }, () => WireClient.connect(this.url)),
      );
      this.relayClients.push(...more);
    }
    const meter = new RelayMeter(params);
    const pairs: RelayPair[] = [];
    // What the tracker could not deliver comes back as `signal:failed` (signals are not acknowledged).
    const onFailed = (payload: unknown): void => meter.error((payload as SignalFailure).error.code);
    const seqOf = (signal: IncomingSignal): number => Number(signal.connectionId.slice(1));
    for (let pair = 0; pair < params.pairs; pair++) {
      const first = this.relayClients[2 * pair] as WireClient;
      const second = this.relayClients[2 * pair + 1] as WireClient;
      second.onEvent = (event, payload) => {
        if (event === 'signal:failed') return onFailed(payload);
        if (event !== 'signal:incoming') return;
        const signal = payload as IncomingSignal;
        const seq = seqOf(signal);
        if (!meter.arrived(pair, 0, seq)) return;
        if (params.mode === 'candidate') return meter.finished(pair);
        meter.sent(pair, 1, seq);
        second.emit('signal:relay', {
          to: first.peerId,
          fileId: RELAY_FILE_ID,
          connectionId: signal.connectionId,
          signal: { type: 'answer', sdp: ANSWER_SDP },
        });
      };
      first.onEvent = (event, payload) => {
        if (event === 'signal:failed') return onFailed(payload);
        if (event === 'signal:incoming' && meter.arrived(pair, 1, seqOf(payload as IncomingSignal))) {
          meter.finished(pair);
        }
      };
      const signal = params.mode === 'candidate' ? CANDIDATE_SIGNAL : { type: 'offer' as const, sdp: OFFER_SDP };
      pairs.push({
        start(seq) {
          meter.sent(pair, 0, seq);
          first.emit('signal:relay', { to: second.peerId, fileId: RELAY_FILE_ID, connectionId: `c${seq}`, signal });
        },
      });
    }
    try {
      return await meter.run(pairs);
    } finally {
      for (const client of this.relayClients) client.onEvent = () => {};
    }
  }

  /** Closes every connection. */
  async disconnectAll(): Promise<void> {
    for (const client of this.clients) client.socket.disconnect();
    for (const client of this.relayClients) client.close();
    this.clients = [];
    this.relayClients = [];
  }
}
