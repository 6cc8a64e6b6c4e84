import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { TableRow, TrackerResults } from '../results.ts';
import { startTrackerProcess, type TrackerProcess } from '../support/tracker-process.ts';
import { CANDIDATE_SIGNAL } from '../tracker/signal-payloads.ts';
import { benchFile, fileId } from '../tracker/names.ts';
import { QUERY_KINDS, makeQueries, type QueryKind } from '../tracker/queries.ts';
import { percentile, round } from '../tracker/stats.ts';
import { ask, connectPeers, disconnectAll, type Peer } from './clients.ts';
import { startRedisProcess } from './redis-process.ts';

/**
 * Trackers sharing one Redis against one tracker alone, in the same run: relayed signals per second with peers spread
 * over two trackers (half the pairs across), search latency on a tracker other than the one the files were
 * registered through, and how long a registration takes to show on the other tracker.
 */
export interface ClusterBenchOptions {
  quick: boolean;
  log: (line: string) => void;
  /** First of the ports used (trackers, Redis). */
  basePort?: number;
}

interface Plan {
  pairs: number;
  relaySeconds: number;
  files: number;
  queriesPerKind: number;
  /**
   * Queries of each kind searched first and not timed, as in the tracker part: the first searches of a fresh tracker
   * run code not yet optimized, and were the slowest of their kind.
   */
  warmupQueries: number;
}

const PLANS: Record<'quick' | 'full', Plan> = {
  quick: { pairs: 100, relaySeconds: 3, files: 100_000, queriesPerKind: 300, warmupQueries: 50 },
  full: { pairs: 300, relaySeconds: 6, files: 1_000_000, queriesPerKind: 1000, warmupQueries: 100 },
};

/** Signals per second each sender offers: under the per-connection limit (200/s). */
const SENDER_RATE = 180;
const TICK_MS = 50;
const SEARCHERS = 60;
const FILES_PER_PEER = 10_000;
const BATCH = 500;
const REGISTERING_AT_ONCE = 10;
const PROPAGATION_SAMPLES = 20;

interface RelayFigures {
  /** Best of the rounds. */
  perSecond: number;
  /** Every round. */
  runs: number[];
  /** Relay requests refused (should stay 0). */
  refused: number;
}

interface RegistryFigures {
  trackers: number;
  registerSeconds: number;
  searchMs: Record<QueryKind, { p50: number; p99: number }>;
  visibleElsewhereMs: { p50: number; max: number };
}

const RELAY_ROUNDS = 2;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Saturating relay: every pair's sender offers SENDER_RATE signals/s; counts what receivers got. */
async function measureRelay(urls: string[], plan: Plan): Promise<{ perSecond: number; refused: number }> {
  const n = urls.length;
  const senders = await connectPeers((i) => urls[i % n] as string, plan.pairs);
  const receivers = await connectPeers((i) => urls[Math.floor(i / n) % n] as string, plan.pairs);
  let received = 0;
  let refused = 0;
  const reached = new Set<number>();
  receivers.forEach((receiver, i) =>
    receiver.socket.on('signal:incoming', () => {
      received++;
      reached.add(i);
    }),
  );
  // Signals are not acknowledged: what the trackers could not deliver comes back as `signal:failed`.
  for (const sender of senders) sender.socket.on('signal:failed', () => refused++);
  const send = (i: number): void => {
    (senders[i] as Peer).socket.emit('signal:relay', {
      to: (receivers[i] as Peer).peerId,
      fileId: fileId(i),
      connectionId: `bench-${i}`,
      signal: CANDIDATE_SIGNAL,
    });
  };
  // Every receiver known to every tracker before the clock starts: a first signal of each pair, again until it lands.
  for (let attempt = 0; reached.size < senders.length; attempt++) {
    if (attempt > 100) throw new Error(`relay: ${senders.length - reached.size} receivers never reachable`);
    for (let i = 0; i < senders.length; i++) if (!reached.has(i)) send(i);
    await sleep(50);
  }
  refused = 0;
  const perTick = Math.round((SENDER_RATE * TICK_MS) / 1000);
  const timer = setInterval(() => {
    for (let i = 0; i < senders.length; i++) {
      for (let k = 0; k < perTick; k++) send(i);
    }
  }, TICK_MS);
  await sleep(1000);
  const startCount = received;
  const started = performance.now();
  await sleep(plan.relaySeconds * 1000);
  const perSecond = ((received - startCount) * 1000) / (performance.now() - started);
  clearInterval(timer);
  await sleep(500);
  disconnectAll([...senders, ...receivers]);
  return { perSecond, refused };
}

/** Registers `plan.files` files through peers spread over the trackers; resolves with the seconds it took. */
async function registerFiles(urls: string[], plan: Plan): Promise<{ seconds: number; holders: Peer[] }> {
  const peerCount = Math.ceil(plan.files / FILES_PER_PEER);
  const holders = await connectPeers((i) => urls[i % urls.length] as string, peerCount);
  const started = performance.now();
  // A few peers at a time: a steady stream of registrations, not a flood that only measures queueing.
  let next = 0;
  await Promise.all(
    Array.from({ length: REGISTERING_AT_ONCE }, async () => {
      for (let p = next++; p < holders.length; p = next++) {
        const first = p * FILES_PER_PEER;
        const last = Math.min(plan.files, first + FILES_PER_PEER);
        for (let at = first; at < last; at += BATCH) {
          const files = Array.from({ length: Math.min(BATCH, last - at) }, (_, k) => benchFile(at + k));
          await ask(holders[p] as Peer, 'files:register', { files });
        }
      }
    }),
  );
  // Done when every tracker's registry holds them all.
  for (const url of urls) {
    for (;;) {
      const health = (await (await fetch(`${url}/healthz`)).json()) as { files: number };
      if (health.files >= plan.files) break;
      await sleep(50);
    }
  }
  return { seconds: (performance.now() - started) / 1000, holders };
}

/** Searches one query at a time, end to end, through peers on the last tracker, after a warm-up. */
async function measureSearch(searchers: Peer[], plan: Plan): Promise<RegistryFigures['searchMs']> {
  const figures = {} as RegistryFigures['searchMs'];
  let turn = 0;
  // Queries drawn as the timed ones are, from other seeds (as in the tracker part), and not timed.
  for (const [k, kind] of QUERY_KINDS.entries()) {
    for (const query of makeQueries(kind, plan.warmupQueries, plan.files, 900 + k)) {
      await ask(searchers[turn++ % searchers.length] as Peer, 'files:search', { query, limit: 20 });
    }
  }
  for (const [k, kind] of QUERY_KINDS.entries()) {
    const times: number[] = [];
    for (const query of makeQueries(kind, plan.queriesPerKind, plan.files, 7 + k)) {
      const peer = searchers[turn++ % searchers.length] as Peer;
      const started = performance.now();
      await ask(peer, 'files:search', { query, limit: 20 });
      times.push(performance.now() - started);
    }
    figures[kind] = { p50: round(percentile(times, 50), 2), p99: round(percentile(times, 99), 2) };
  }
  return figures;
}

/** From the acknowledgement of a registration on the first tracker until a search on the last one finds it. */
async function measureVisibility(
  registrar: Peer,
  searchers: Peer[],
  files: number,
): Promise<RegistryFigures['visibleElsewhereMs']> {
  const times: number[] = [];
  let turn = 0;
  for (let s = 0; s < PROPAGATION_SAMPLES; s++) {
    const name = `visibility probe ${s} zqx${s}q`;
    await ask(registrar, 'files:register', { files: [{ ...benchFile(files + s), name }] });
    const started = performance.now();
    for (;;) {
      const peer = searchers[turn++ % searchers.length] as Peer;
      const found = (await ask(peer, 'files:search', { query: `zqx${s}q` })) as { total: number };
      if (found.total > 0) break;
      await sleep(2);
    }
    times.push(performance.now() - started);
  }
  return { p50: round(percentile(times, 50), 1), max: round(Math.max(...times), 1) };
}

/** Registrations, search and visibility on one setup (the relay is measured apart, alternating the setups). */
async function measureRegistry(urls: string[], plan: Plan, log: (line: string) => void): Promise<RegistryFigures> {
  const label = `${urls.length} tracker${urls.length > 1 ? 's' : ''}`;
  log(`cluster bench (${label}): registering ${plan.files} files`);
  const { seconds, holders } = await registerFiles(urls, plan);
  const last = urls[urls.length - 1] as string;
  const searchers = await connectPeers(() => last, SEARCHERS);
  log(`cluster bench (${label}): searching`);
  const searchMs = await measureSearch(searchers, plan);
  const [registrar] = await connectPeers(() => urls[0] as string, 1);
  const visibleElsewhereMs = await measureVisibility(registrar as Peer, searchers, plan.files);
  disconnectAll([...holders, ...searchers, registrar as Peer]);
  return { trackers: urls.length, registerSeconds: round(seconds, 1), searchMs, visibleElsewhereMs };
}

/** Relay on each setup, alternating, `RELAY_ROUNDS` times; the best of each (the machine is shared). */
async function measureRelays(
  setups: { one: string[]; two: string[] },
  plan: Plan,
  log: (line: string) => void,
): Promise<{ one: RelayFigures; two: RelayFigures }> {
  const best = {
    one: { perSecond: 0, refused: 0, runs: [] as number[] },
    two: { perSecond: 0, refused: 0, runs: [] as number[] },
  };
  for (let round = 0; round < RELAY_ROUNDS; round++) {
    for (const key of ['one', 'two'] as const) {
      log(
        `cluster bench: relay on ${key === 'one' ? 'one tracker' : 'two trackers'}, ${plan.pairs} pairs, round ${round + 1}`,
      );
      const { perSecond, refused } = await measureRelay(setups[key], plan);
      best[key].runs.push(Math.round(perSecond));
      best[key].refused += refused;
      best[key].perSecond = Math.max(best[key].perSecond, Math.round(perSecond));
    }
  }
  return best;
}

export async function runClusterBench(
  options: ClusterBenchOptions,
): Promise<{ results: TrackerResults; rows: TableRow[] }> {
  const plan = PLANS[options.quick ? 'quick' : 'full'];
  const base = options.basePort ?? Number(process.env.BENCH_CLUSTER_PORT ?? 18_300);
  const running: TrackerProcess[] = [];
  const redis = await startRedisProcess(base + 9);
  try {
    // All three at once, so the relay runs can alternate between the setups.
    const env = { REDIS_URL: redis.url, TRACKER_URLS: `http://127.0.0.1:${base + 1},http://127.0.0.1:${base + 2}` };
    for (const [port, extra] of [
      [base, {}],
      [base + 1, env],
      [base + 2, env],
    ] as const) {
      running.push(await startTrackerProcess(port, extra));
    }
    const [alone, first, second] = running.map((tracker) => tracker.url) as [string, string, string];
    const load = [os.loadavg()[0] ?? 0];
    const relays = await measureRelays({ one: [alone], two: [first, second] }, plan, options.log);
    const oneRegistry = await measureRegistry([alone], plan, options.log);
    await running[0]?.stop();
    load.push(os.loadavg()[0] ?? 0);
    const twoRegistry = await measureRegistry([first, second], plan, options.log);
    load.push(os.loadavg()[0] ?? 0);
    const one = { ...oneRegistry, relaySignalsPerSecond: relays.one.perSecond, relay: relays.one };
    const two = { ...twoRegistry, relaySignalsPerSecond: relays.two.perSecond, relay: relays.two };

    const ratio = (a: number, b: number): number => round(a / b, 2);
    const results: TrackerResults = {
      plan,
      /** One-minute load average of the machine at the start, after the one-process part, at the end. */
      loadAverage: load.map((value) => round(value, 1)),
      oneProcess: one,
      twoTrackersWithRedis: two,
      ratios: {
        relaySignalsPerSecond: ratio(two.relaySignalsPerSecond, one.relaySignalsPerSecond),
        searchP99: Object.fromEntries(
          QUERY_KINDS.map((kind) => [kind, ratio(two.searchMs[kind].p99, one.searchMs[kind].p99)]),
        ),
      },
    };
    const rows: TableRow[] = [
      {
        measure: `relayed signals/s, ${plan.pairs} pairs, 2 trackers + Redis (half the pairs across)`,
        shoal: `${two.relaySignalsPerSecond}/s`,
        baseline: `${one.relaySignalsPerSecond}/s (one process)`,
        note: `${ratio(two.relaySignalsPerSecond, one.relaySignalsPerSecond)}x of one process; best of ${RELAY_ROUNDS} alternated runs (${two.relay.runs.join(', ')} vs ${one.relay.runs.join(', ')})`,
      },
      ...QUERY_KINDS.map((kind) => ({
        measure: `search p99 (${kind}) at ${plan.files.toLocaleString('en')} files, on the other tracker`,
        shoal: `${two.searchMs[kind].p99} ms (p50 ${two.searchMs[kind].p50})`,
        baseline: `${one.searchMs[kind].p99} ms (p50 ${one.searchMs[kind].p50}, one process)`,
        note: `${ratio(two.searchMs[kind].p99, one.searchMs[kind].p99)}x, end to end through socket.io`,
      })),
      {
        measure: 'registered on tracker 1, found by a search on tracker 2',
        shoal: `p50 ${two.visibleElsewhereMs.p50} ms, max ${two.visibleElsewhereMs.max} ms`,
        baseline: `p50 ${one.visibleElsewhereMs.p50} ms (one process)`,
        note: `target: under 1 s`,
      },
      {
        measure: `registering ${plan.files.toLocaleString('en')} files (batches of ${BATCH})`,
        shoal: `${two.registerSeconds} s (2 trackers + Redis)`,
        baseline: `${one.registerSeconds} s (one process)`,
        note: 'until every tracker holds them all',
      },
    ];
    return { results, rows };
  } finally {
    for (const tracker of running.reverse()) await tracker.stop();
    await redis.stop();
  }
}
