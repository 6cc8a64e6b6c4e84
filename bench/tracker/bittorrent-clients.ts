/**
 * Load-worker side for bittorrent-tracker: plain `ws` connections sending the JSON messages WebTorrent's
 * WebSocket tracker client sends (announce with offers, answer with `to_peer_id`), without WebRTC behind them.
 */
import WebSocket from 'ws';
import type {
  AnnounceParams,
  AnnounceReport,
  ConnectParams,
  ConnectReport,
  RelayParams,
  RelayReport,
} from './child-api.ts';
import { runPool } from './pool.ts';
import { RelayMeter, type RelayPair } from './relay-meter.ts';
import { ANSWER_SDP, OFFER_SDP } from './signal-payloads.ts';

/** What the tracker sends a WebSocket client (the fields the benchmark reads). */
interface TrackerMessage {
  action?: string;
  'failure reason'?: string;
  interval?: number;
  offer?: unknown;
  answer?: unknown;
  offer_id?: string;
  peer_id?: string;
  info_hash?: string;
}

interface Client {
  ws: WebSocket;
  /** 20-character peer id, as WebTorrent sends it (a binary string; ASCII here). */
  peerId: string;
  /** Handles the next messages; swapped per phase. */
  onMessage: (message: TrackerMessage) => void;
  /** Whether it announced `started` into its swarm already. */
  joined: boolean;
}

const CONNECT_TIMEOUT_MS = 30_000;
/** How long an announce may wait for its response before the run fails (the tracker is gone or stuck). */
const RESPONSE_TIMEOUT_MS = 60_000;

/** A 20-character id: a prefix and a zero-padded number. */
function id20(prefix: string, n: number): string {
  return prefix + String(n).padStart(20 - prefix.length, '0');
}

/** bittorrent-tracker clients of one load worker. */
export class BittorrentClients {
  private clients: Client[] = [];
  private connectAttempts = 0;
  private worker = 0;

  private get(index: number): Client {
    const client = this.clients[index];
    if (!client) throw new Error(`no bittorrent-tracker client ${index} (${this.clients.length} connected)`);
    return client;
  }

  async connect({ url, count, concurrency, worker }: ConnectParams): Promise<ConnectReport> {
    this.worker = worker;
    const wsUrl = url.replace(/^http/, 'ws');
    const started = performance.now();
    let failed = 0;
    await runPool(count, concurrency, async () => {
      const ws = new WebSocket(wsUrl, { perMessageDeflate: false, handshakeTimeout: CONNECT_TIMEOUT_MS });
      const client: Client = {
        ws,
        // Numbered across calls: peers connected in two steps never share an id.
        peerId: id20('-WW0208-', worker * 1_000_000 + this.connectAttempts++),
        onMessage: () => {},
        joined: false,
      };
      ws.on('message', (data) => client.onMessage(JSON.parse(String(data)) as TrackerMessage));
      try {
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        ws.on('error', () => {});
        this.clients.push(client);
      } catch {
        failed++;
        ws.terminate();
      }
    });
    return { connected: this.clients.length, failed, ms: performance.now() - started };
  }

  /** Every client announces into its swarm `rounds` times in a row (`started` once, then updates), without offers. */
  async announce({ rounds, swarmSize }: AnnounceParams): Promise<AnnounceReport> {
    const latenciesMs: number[] = [];
    const errors: Record<string, number> = {};
    const started = performance.now();
    await Promise.all(
      this.clients.map(async (client, index) => {
        const infoHash = id20(`w${this.worker}s`, Math.floor(index / swarmSize));
        for (let round = 0; round < rounds; round++) {
          const sent = performance.now();
          const reply = await this.request(client, {
            action: 'announce',
            info_hash: infoHash,
            peer_id: client.peerId,
            numwant: 0,
            uploaded: 0,
            downloaded: 0,
            left: 0,
            event: client.joined ? 'update' : 'started',
          });
          client.joined = true;
          latenciesMs.push(performance.now() - sent);
          const failure = reply['failure reason'];
          if (failure !== undefined) errors[failure] = (errors[failure] ?? 0) + 1;
        }
      }),
    );
    return { requests: this.clients.length * rounds, ms: performance.now() - started, latenciesMs, errors };
  }

  /**
   * Offer/answer exchanges between pairs of this worker's clients, each pair alone in a swarm of its own, so the
   * tracker hands every offer to the other client of the pair. Counts offers and answers delivered.
   */
  async relay(params: RelayParams): Promise<RelayReport> {
    if (params.mode !== 'offer-answer') throw new Error('bittorrent-tracker relays offers and answers only');
    const meter = new RelayMeter(params);
    const pairs: RelayPair[] = [];
    const joins: Promise<TrackerMessage>[] = [];
    for (let pair = 0; pair < params.pairs; pair++) {
      const first = this.get(2 * pair);
      const second = this.get(2 * pair + 1);
      const infoHash = id20(`w${this.worker}p`, pair);
      for (const client of [first, second]) {
        joins.push(
          this.request(client, {
            action: 'announce',
            info_hash: infoHash,
            peer_id: client.peerId,
            numwant: 0,
            event: 'started',
          }),
        );
      }
      pairs.push({
        start(seq) {
          meter.sent(pair, 0, seq);
          first.ws.send(
            JSON.stringify({
              action: 'announce',
              info_hash: infoHash,
              peer_id: first.peerId,
              numwant: 1,
              uploaded: 0,
              downloaded: 0,
              left: 0,
              offers: [{ offer: { type: 'offer', sdp: OFFER_SDP }, offer_id: id20('o', seq) }],
            }),
          );
        },
      });
    }
    await Promise.all(joins);
    // Installed after the joins, whose responses went to the request handler.
    for (let pair = 0; pair < params.pairs; pair++) {
      const infoHash = id20(`w${this.worker}p`, pair);
      const second = this.get(2 * pair + 1);
      second.onMessage = (message) => {
        if (message.offer === undefined || message.offer_id === undefined) return this.countFailure(meter, message);
        const seq = Number(message.offer_id.slice(1));
        if (!meter.arrived(pair, 0, seq)) return;
        meter.sent(pair, 1, seq);
        second.ws.send(
          JSON.stringify({
            action: 'announce',
            info_hash: infoHash,
            peer_id: second.peerId,
            to_peer_id: message.peer_id,
            answer: { type: 'answer', sdp: ANSWER_SDP },
            offer_id: message.offer_id,
          }),
        );
      };
      this.get(2 * pair).onMessage = (message) => {
        if (message.answer !== undefined && message.offer_id !== undefined) {
          if (meter.arrived(pair, 1, Number(message.offer_id.slice(1)))) meter.finished(pair);
          return;
        }
        // The tracker answers each announce with offers (like Shoal's acknowledgement); only failures matter.
        this.countFailure(meter, message);
      };
    }
    return meter.run(pairs);
  }

  async disconnectAll(): Promise<void> {
    for (const client of this.clients) client.ws.terminate();
    this.clients = [];
  }

  private countFailure(meter: RelayMeter, message: TrackerMessage): void {
    const failure = message['failure reason'];
    if (failure !== undefined) meter.error(failure);
  }

  /** Sends one announce and resolves with the next message the client gets (its response). */
  private request(client: Client, message: Record<string, unknown>): Promise<TrackerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no response within ${RESPONSE_TIMEOUT_MS} ms`)),
        RESPONSE_TIMEOUT_MS,
      );
      client.onMessage = (response) => {
        clearTimeout(timer);
        resolve(response);
      };
      client.ws.send(JSON.stringify(message));
    });
  }
}
