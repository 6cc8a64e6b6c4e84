/**
 * Watched searches against registrations (`runWatchBench`): the real tracker (`src/main.ts`, registry in memory) in
 * its own process, and in the same run, alternated, rounds of registrations with no watch at all and with 10,000
 * active watches; then how long a match takes from the registration to the watcher, idle and under that load.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import {
  MAX_FILES_PER_PEER,
  MAX_FILES_PER_REGISTER,
  MAX_WATCHES_PER_PEER,
  RATE_LIMITS,
  parseWatchQuery,
  type WatchMatches,
} from '@shoal/common';
import type { TableRow, TrackerResults } from '../results.ts';
import { startTrackerProcess, type TrackerProcess } from '../support/tracker-process.ts';
import { ask, connectPeers, disconnectAll, type Peer } from '../tracker-cluster/clients.ts';
import { benchFile } from './names.ts';
import { makeQueries, type QueryKind } from './queries.ts';
import { latencySummary, percentile, round } from './stats.ts';

export interface WatchBenchOptions {
  quick: boolean;
  log: (line: string) => void;
}

interface Plan {
  /** Connections holding watches, each with the most a connection may keep. */
  watchers: number;
  /** Connections registering in each round, each sending `batches` registrations of MAX_FILES_PER_REGISTER files. */
  registrars: number;
  batches: number;
  /** Rounds of each kind (without, with watches), alternated. */
  roundsEach: number;
  /** Probe registrations timed to their match (`watch:matches`), with the tracker otherwise idle. */
  idleProbes: number;
  /** How long the paced phase (registrations at a steady rate, with probes) lasts. */
  pacedSeconds: number;
}

const PLANS: Record<'quick' | 'full', Plan> = {
  quick: { watchers: 500, registrars: 20, batches: 5, roundsEach: 2, idleProbes: 20, pacedSeconds: 8 },
  full: { watchers: 500, registrars: 20, batches: 20, roundsEach: 3, idleProbes: 30, pacedSeconds: 9 },
};

/** Watch queries are drawn as search queries are (`queries.ts`): mostly words of names, some being typed. */
const WATCH_KINDS: readonly [QueryKind, number][] = [
  ['oneWord', 0.4],
  ['twoWord', 0.4],
  ['prefix', 0.2],
];
/** A registrar sends at most one batch per this long: under the 20 requests/s a connection may send. */
const BATCH_SPACING_MS = 55;
/** Probe registrations are this far apart (each watcher's turn comes every PROBE_WATCHERS of them). */
const PROBE_INTERVAL_MS = 600;
/** The paced phase registers at this share of the best rate measured without watches. */
const PACED_SHARE = 0.25;
const PROBE_WORD = 'zqwatchprobe';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user and system) a process has used so far, in milliseconds, from /proc. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), counted from field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

interface Health {
  files: number;
  watches: {
    watches: number;
    distinct: number;
    pending: number;
    pushed: number;
    packets: number;
    throttled: number;
    overflowed: number;
  };
}

async function health(url: string): Promise<Health> {
  // A kept-alive connection the server closed meanwhile fails once (ECONNRESET); a second try opens a new one.
  for (let attempt = 1; ; attempt++) {
    try {
      return (await (await fetch(`${url}/healthz`)).json()) as Health;
    } catch (err) {
      if (attempt >= 3) throw err;
      await sleep(50);
    }
  }
}

async function until(check: (h: Health) => boolean, url: string): Promise<Health> {
  for (;;) {
    const h = await health(url);
    if (check(h)) return h;
    await sleep(20);
  }
}

/** `count` watch queries over the names of files numbered below `files`, each one the tracker takes. */
function watchQueries(count: number, files: number): string[] {
  const queries: string[] = [];
  for (const [k, [kind, share]] of WATCH_KINDS.entries()) {
    const wanted = k === WATCH_KINDS.length - 1 ? count - queries.length : Math.round(count * share);
    queries.push(...makeQueries(kind, wanted, files, 500 + k).filter((query) => parseWatchQuery(query).ok));
  }
  return queries.slice(0, count);
}

/**
 * `count` distinct two-word watch queries over the same names: mostly specific ones from the long tail ("quinmi
 * valto"), the kind a person waits for, as against the search-like set where broad words recur.
 */
function distinctQueries(count: number, files: number): string[] {
  const queries = new Set<string>();
  for (let seed = 700; queries.size < count; seed++) {
    for (const query of makeQueries('twoWord', count, files, seed)) {
      if (queries.size < count && parseWatchQuery(query).ok) queries.add(query);
    }
  }
  return [...queries];
}

/** `count` watch queries of two made-up words no name holds: what keeping watches costs when none fires. */
function unmatchedQueries(count: number): string[] {
  return Array.from({ length: count }, (_, n) => `zq${n.toString(36)}x zv${(n * 7919).toString(36)}y`);
}

/** Connects the watchers and has each add its share of `queries`; resolves with them and a count of pushes. */
async function addWatches(url: string, queries: readonly string[]): Promise<{ peers: Peer[]; pushes: () => number }> {
  const peers = await connectPeers(() => url, Math.ceil(queries.length / MAX_WATCHES_PER_PEER));
  let pushes = 0;
  for (const peer of peers) peer.socket.on('watch:matches', (matches: WatchMatches) => (pushes += matches.length));
  await Promise.all(
    peers.map((peer, i) =>
      Promise.all(
        queries
          .slice(i * MAX_WATCHES_PER_PEER, (i + 1) * MAX_WATCHES_PER_PEER)
          .map((query) => ask(peer, 'watch:add', { query })),
      ),
    ),
  );
  return { peers, pushes: () => pushes };
}

/**
 * Watchers of words no bench name holds and registrars of files named with them: files:register sent → its match
 * received (in a watch:matches push). The probes take turns over several watchers, so none goes over the matches a query or a connection
 * gets a second, and over several registrars, so none goes over its share of a query's matches.
 */
interface Probe {
  /** Registers one probe file; resolves with the milliseconds until its match arrived, or null if none did. */
  once(): Promise<number | null>;
  close(): void;
}

const PROBE_WATCHERS = 4;
/** Enough that one registrar's probes for one query come no faster than its share of that query's matches. */
const PROBE_REGISTRARS = Math.ceil(
  1000 / (RATE_LIMITS.watchQueryMatchesPerRegistrant.perSecond * PROBE_WATCHERS * PROBE_INTERVAL_MS),
);
const PROBE_TIMEOUT_MS = 15_000;

async function openProbe(url: string, firstFile: number): Promise<Probe> {
  const peers = await connectPeers(() => url, PROBE_WATCHERS + PROBE_REGISTRARS);
  const watchers = peers.slice(0, PROBE_WATCHERS);
  const registrars = peers.slice(PROBE_WATCHERS);
  const waiting = new Map<string, (at: number) => void>();
  await Promise.all(
    watchers.map(async (watcher, i) => {
      await ask(watcher, 'watch:add', { query: `${PROBE_WORD}${i}` });
      watcher.socket.on('watch:matches', (matches: WatchMatches) => {
        for (const match of matches) waiting.get(match.file.id)?.(performance.now());
      });
    }),
  );
  let next = 0;
  return {
    async once() {
      const n = next++;
      const file = { ...benchFile(firstFile + n), name: `${PROBE_WORD}${n % PROBE_WATCHERS} ${n}.bin` };
      // Each watcher's turn comes from the next registrar.
      const registrar = registrars[Math.floor(n / PROBE_WATCHERS) % PROBE_REGISTRARS] as Peer;
      const arrived = new Promise<number>((resolve) => waiting.set(file.id, resolve));
      const sent = performance.now();
      await ask(registrar, 'files:register', { files: [file] });
      // A file the tracker could not match in time (its queue full while saturated) is never pushed.
      const at = await Promise.race([arrived, sleep(PROBE_TIMEOUT_MS).then(() => Number.NaN)]);
      waiting.delete(file.id);
      return Number.isNaN(at) ? null : at - sent;
    },
    close: () => disconnectAll(peers),
  };
}

interface RoundFigures {
  watches: number;
  files: number;
  /** Files acknowledged per second, from the first batch sent to the last acknowledgement. */
  registrationsPerSecond: number;
  /** Files per second until the tracker had also matched every one (its queue empty). */
  matchedPerSecond: number;
  /** Tracker CPU time per 1,000 files registered, matching included. */
  trackerCpuMsPer1000: number;
  batchP50Ms: number;
  batchP99Ms: number;
  /** Matches received by the watchers during the round. */
  pushesReceived: number;
  /** `watch:matches` packets the tracker sent during the round (each carries one or more matches). */
  packetsSent: number;
  /** Files the tracker never matched because its queue was full (matching fell behind). */
  overflowed: number;
  /** Probe latencies taken during the round (with watches only). */
  probeMs: number[];
  /** Probes whose match never came (dropped while matching was behind). */
  probesLost: number;
}

/** How one round registers: so many registrars sending so many batches, flat out or at a steady pace. */
interface Load {
  registrars: number;
  batches: number;
  /** Files per second in all; flat out (each registrar within its rate limit) when absent. */
  pace?: number;
}

/** One round: fresh registrars register distinct files, then leave (their removal is off the clock). */
async function registrationRound(
  tracker: TrackerProcess,
  plan: Load,
  firstFile: number,
  watches: number,
  pushes: () => number,
  probe: Probe | undefined,
): Promise<RoundFigures> {
  const { url } = tracker;
  const pid = tracker.child.pid as number;
  const registrars = await connectPeers(() => url, plan.registrars);
  const batches = registrars.map((_, p) =>
    Array.from({ length: plan.batches }, (_, b) =>
      Array.from({ length: MAX_FILES_PER_REGISTER }, (_, k) =>
        benchFile(firstFile + (p * plan.batches + b) * MAX_FILES_PER_REGISTER + k),
      ),
    ),
  );
  const files = plan.registrars * plan.batches * MAX_FILES_PER_REGISTER;
  const before = await health(url);
  const filesBefore = before.files;
  const pushesBefore = pushes();
  const latencies: number[] = [];
  const probeMs: number[] = [];
  let probesLost = 0;
  let loaded = true;
  const probing = (async () => {
    while (probe && loaded) {
      const ms = await probe.once();
      if (ms === null) probesLost++;
      else probeMs.push(ms);
      await sleep(PROBE_INTERVAL_MS);
    }
  })();
  const cpuBefore = processCpuMs(pid);
  const started = performance.now();
  // Paced: registrar p sends its batch b at its turn in one round-robin schedule.
  const spacingMs = plan.pace === undefined ? 0 : (1000 * MAX_FILES_PER_REGISTER) / plan.pace;
  await Promise.all(
    registrars.map(async (peer, p) => {
      for (const [b, batch] of (batches[p] ?? []).entries()) {
        const due = started + (b * plan.registrars + p) * spacingMs;
        if (performance.now() < due) await sleep(due - performance.now());
        const sent = performance.now();
        await ask(peer, 'files:register', { files: batch });
        const took = performance.now() - sent;
        latencies.push(took);
        if (took < BATCH_SPACING_MS) await sleep(BATCH_SPACING_MS - took);
      }
    }),
  );
  const acknowledged = (performance.now() - started) / 1000;
  const drained = await until((h) => h.watches.pending === 0, url);
  const matched = (performance.now() - started) / 1000;
  const cpuMs = processCpuMs(pid) - cpuBefore;
  loaded = false;
  await probing;
  disconnectAll(registrars);
  await until((h) => h.files <= filesBefore + probeMs.length + probesLost, url);
  const batchesSummary = latencySummary(latencies);
  return {
    watches,
    files,
    registrationsPerSecond: Math.round(files / acknowledged),
    matchedPerSecond: Math.round(files / matched),
    trackerCpuMsPer1000: round((cpuMs * 1000) / files, 1),
    batchP50Ms: batchesSummary.p50Ms,
    batchP99Ms: batchesSummary.p99Ms,
    pushesReceived: pushes() - pushesBefore,
    packetsSent: drained.watches.packets - before.watches.packets,
    overflowed: drained.watches.overflowed - before.watches.overflowed,
    probeMs,
    probesLost,
  };
}

/** Runs the watch benchmark; the tracker process is gone when it settles. */
export async function runWatchBench(
  options: WatchBenchOptions,
): Promise<{ results: TrackerResults; rows: TableRow[] }> {
  const { log } = options;
  const plan = PLANS[options.quick ? 'quick' : 'full'];
  const filesPerRound = plan.registrars * plan.batches * MAX_FILES_PER_REGISTER;
  const totalRounds = 2 * plan.roundsEach;
  const queries = watchQueries(plan.watchers * MAX_WATCHES_PER_PEER, filesPerRound * totalRounds);
  const specific = distinctQueries(plan.watchers * MAX_WATCHES_PER_PEER, filesPerRound * totalRounds);
  const unmatched = unmatchedQueries(plan.watchers * MAX_WATCHES_PER_PEER);
  const tracker = await startTrackerProcess(await freePort());
  const loadAverageBefore = os.loadavg()[0] ?? 0;
  let probeFile = 60_000_000;
  try {
    // Warm-up: one small round, not counted (JIT, socket set-up).
    await registrationRound(tracker, { ...plan, batches: 1 }, 50_000_000, 0, () => 0, undefined);

    /** Runs `measure` with the watches in place (and probes), then takes them away. */
    const withWatches = async <T>(
      measure: (watches: number, pushes: () => number, probe: Probe) => Promise<T>,
      watchSet: readonly string[] = queries,
    ) => {
      const watchers = await addWatches(tracker.url, watchSet);
      const probe = await openProbe(tracker.url, (probeFile += 10_000));
      try {
        return await measure((await health(tracker.url)).watches.watches, watchers.pushes, probe);
      } finally {
        probe.close();
        disconnectAll(watchers.peers);
        await until((h) => h.watches.watches === 0, tracker.url);
      }
    };

    // Flat out, alternated: no watch, then 10,000 watches, and again.
    const rounds: RoundFigures[] = [];
    for (let r = 0; r < totalRounds; r++) {
      const firstFile = r * filesPerRound;
      if (r % 2 === 0) {
        log(`watch bench: round ${r + 1}/${totalRounds}, no watches, ${filesPerRound} files`);
        rounds.push(await registrationRound(tracker, plan, firstFile, 0, () => 0, undefined));
      } else {
        rounds.push(
          await withWatches((watches, pushes, probe) => {
            log(`watch bench: round ${r + 1}/${totalRounds}, ${watches} watches, ${filesPerRound} files`);
            return registrationRound(tracker, plan, firstFile, watches, pushes, probe);
          }),
        );
      }
    }
    const none = rounds.filter((round) => round.watches === 0);
    const some = rounds.filter((round) => round.watches > 0);
    const best = (list: RoundFigures[]): RoundFigures =>
      list.reduce((a, b) => (b.registrationsPerSecond > a.registrationsPerSecond ? b : a));
    const bestNone = best(none);
    const bestSome = best(some);

    // A steady quarter of the median rate without watches, without then with them: what matching costs when the
    // tracker keeps up (every file matched), and how long a match takes on a busy tracker.
    const pace = Math.round(
      percentile(
        none.map((round) => round.registrationsPerSecond),
        50,
      ) * PACED_SHARE,
    );
    // As many registrars as it takes for none to hold more than a peer may (MAX_FILES_PER_PEER).
    const totalBatches = Math.max(1, Math.round((pace * plan.pacedSeconds) / MAX_FILES_PER_REGISTER));
    const registrars = Math.max(
      plan.registrars,
      Math.ceil(totalBatches / (MAX_FILES_PER_PEER / MAX_FILES_PER_REGISTER)),
    );
    const load = { registrars, batches: Math.ceil(totalBatches / registrars), pace };
    const pacedFiles = load.batches * registrars * MAX_FILES_PER_REGISTER;
    log(`watch bench: no watches, registrations paced at ${pace} files/s`);
    const pacedBefore = await registrationRound(tracker, load, totalRounds * filesPerRound, 0, () => 0, undefined);
    const paced = await withWatches((watches, pushes, probe) => {
      log(`watch bench: ${watches} watches, registrations paced at ${pace} files/s`);
      return registrationRound(tracker, load, totalRounds * filesPerRound + pacedFiles, watches, pushes, probe);
    });
    const pacedSpecific = await withWatches((watches, pushes, probe) => {
      log(`watch bench: ${watches} distinct two-word watches, registrations paced at ${pace} files/s`);
      return registrationRound(tracker, load, totalRounds * filesPerRound + 2 * pacedFiles, watches, pushes, probe);
    }, specific);
    const pacedUnmatched = await withWatches((watches, pushes, probe) => {
      log(`watch bench: ${watches} watches that match nothing, registrations paced at ${pace} files/s`);
      return registrationRound(tracker, load, totalRounds * filesPerRound + 3 * pacedFiles, watches, pushes, probe);
    }, unmatched);
    // The baseline again at the end: the machine's drift over the paced rounds shows as the gap between the two.
    log(`watch bench: no watches again, registrations paced at ${pace} files/s`);
    const pacedAfter = await registrationRound(
      tracker,
      load,
      totalRounds * filesPerRound + 4 * pacedFiles,
      0,
      () => 0,
      undefined,
    );
    const pacedNone: RoundFigures = {
      ...pacedBefore,
      trackerCpuMsPer1000: round((pacedBefore.trackerCpuMsPer1000 + pacedAfter.trackerCpuMsPer1000) / 2, 1),
    };
    const baselineCpu = `${pacedNone.trackerCpuMsPer1000} ms (no watch: ${pacedBefore.trackerCpuMsPer1000} before, ${pacedAfter.trackerCpuMsPer1000} after)`;

    // Idle: the watches in place, nothing else going on.
    const { idle, final } = await withWatches(async (_watches, _pushes, probe) => {
      log(`watch bench: ${plan.idleProbes} probes on an idle tracker`);
      const times: number[] = [];
      for (let i = 0; i < plan.idleProbes; i++) {
        const ms = await probe.once();
        if (ms === null) throw new Error('a probe match never arrived on an idle tracker');
        times.push(ms);
        await sleep(PROBE_INTERVAL_MS);
      }
      return { idle: times, final: await health(tracker.url) };
    });

    const median = (values: number[]): number => round(percentile(values, 50), 1);
    const cpuNone = median(none.map((round) => round.trackerCpuMsPer1000));
    const cpuSome = median(some.map((round) => round.trackerCpuMsPer1000));
    const saturated = latencySummary(some.flatMap((round) => round.probeMs));
    const atPace = latencySummary(paced.probeMs);
    const idleSummary = latencySummary(idle);
    const ratio = round(bestSome.registrationsPerSecond / bestNone.registrationsPerSecond, 2);
    const withoutProbes = ({ probeMs, ...round }: RoundFigures) => ({ ...round, probes: probeMs.length });
    /** Share of a round's files that were matched (the rest overflowed the queue), in percent. */
    const matchedShare = (figures: RoundFigures): number => round(100 - (100 * figures.overflowed) / figures.files, 1);
    const results: TrackerResults = {
      plan: { ...plan, filesPerRound },
      watches: bestSome.watches,
      distinctWatches: final.watches.distinct,
      rounds: rounds.map(withoutProbes),
      registrationsPerSecond: {
        noWatches: bestNone.registrationsPerSecond,
        withWatches: bestSome.registrationsPerSecond,
      },
      ratio,
      trackerCpuMsPer1000: { noWatches: cpuNone, withWatches: cpuSome },
      paced: {
        filesPerSecond: pace,
        noWatches: withoutProbes(pacedBefore),
        noWatchesAfter: withoutProbes(pacedAfter),
        withWatches: withoutProbes(paced),
        withDistinctWatches: withoutProbes(pacedSpecific),
        withUnmatchedWatches: withoutProbes(pacedUnmatched),
      },
      matchPushMs: { idle: idleSummary, paced: atPace, saturated },
      trackerCounters: final.watches,
      loadAverage: { before: round(loadAverageBefore, 2), after: round(os.loadavg()[0] ?? 0, 2) },
    };
    const runs = (list: RoundFigures[]): string => list.map((round) => round.registrationsPerSecond).join(', ');
    const rows: TableRow[] = [
      {
        measure: `registrations/s with ${bestSome.watches.toLocaleString('en')} active watches (${filesPerRound.toLocaleString('en')} files a round, flat out)`,
        shoal: `${bestSome.registrationsPerSecond}/s`,
        baseline: `${bestNone.registrationsPerSecond}/s (no watch)`,
        note:
          `${ratio}x; best of ${some.length} alternated rounds each (${runs(some)} vs ${runs(none)}); ` +
          `files matched: ${some.map(matchedShare).join(', ')} % (the rest overflowed the matching queue)`,
      },
      {
        measure: `tracker CPU per 1,000 registrations at ${pace} files/s, 10,000 search-like watches, matching and pushes included`,
        shoal: `${paced.trackerCpuMsPer1000} ms (${matchedShare(paced)} % matched)`,
        baseline: baselineCpu,
        note: `flat out: ${cpuSome} ms vs ${cpuNone} ms (medians); ${paced.pushesReceived} matches pushed at pace in ${paced.packetsSent} packets; ${final.watches.distinct.toLocaleString('en')} distinct queries`,
      },
      {
        measure: `tracker CPU per 1,000 registrations at ${pace} files/s, 10,000 distinct two-word watches`,
        shoal: `${pacedSpecific.trackerCpuMsPer1000} ms`,
        baseline: baselineCpu,
        note: `${pacedSpecific.pushesReceived} matches pushed; batch p50 ${pacedSpecific.batchP50Ms} ms, p99 ${pacedSpecific.batchP99Ms} ms; push p50 ${latencySummary(pacedSpecific.probeMs).p50Ms} ms, p99 ${latencySummary(pacedSpecific.probeMs).p99Ms} ms`,
      },
      {
        measure: `tracker CPU per 1,000 registrations at ${pace} files/s, 10,000 watches that match nothing`,
        shoal: `${pacedUnmatched.trackerCpuMsPer1000} ms`,
        baseline: baselineCpu,
        note: `keeping and checking watches without pushing any; batch p50 ${pacedUnmatched.batchP50Ms} ms, p99 ${pacedUnmatched.batchP99Ms} ms`,
      },
      {
        measure: 'registration batch (500 files) acknowledged, p99',
        shoal: `${paced.batchP99Ms} ms at ${pace}/s, ${bestSome.batchP99Ms} ms flat out`,
        baseline: `${pacedNone.batchP99Ms} ms, ${bestNone.batchP99Ms} ms (no watch)`,
        note: `p50 ${paced.batchP50Ms} vs ${pacedNone.batchP50Ms} ms at pace; the best flat-out round of each`,
      },
      {
        measure: `match pushed (files:register sent → its match received in watch:matches), registrations at ${pace}/s`,
        shoal: `p50 ${atPace.p50Ms} ms, p99 ${atPace.p99Ms} ms`,
        baseline: `p50 ${idleSummary.p50Ms} ms, p99 ${idleSummary.p99Ms} ms (idle)`,
        note:
          `${paced.probeMs.length} probes at pace (${paced.probesLost} lost), ${idle.length} idle; flat out: p50 ` +
          `${saturated.p50Ms} ms, p99 ${saturated.p99Ms} ms (${some.reduce((n, round) => n + round.probeMs.length, 0)} ` +
          `probes, ${some.reduce((n, round) => n + round.probesLost, 0)} lost)`,
      },
    ];
    return { results, rows };
  } finally {
    await tracker.stop();
  }
}
