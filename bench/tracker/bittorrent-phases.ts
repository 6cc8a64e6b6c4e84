/**
 * The baseline: bittorrent-tracker's WebSocket tracker (what WebTorrent in a browser uses) under the same load as
 * Shoal's where it does the same job: connected peers held, announces, and offer/answer relay between peers.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MemoryReading, ServerApi, ServerInfo } from './child-api.ts';
import { mib, type AnnounceFigures, type ConnectFigures, type RelayFigures } from './figures.ts';
import type { TrackerBenchPlan } from './plan.ts';
import { startChild } from './rpc.ts';
import { announceAll, connectMeasured, kibPer, relayOnAll, type Server, type Worker } from './workers.ts';

/** The bittorrent-tracker child process, its URL and version. */
export interface BittorrentTracker {
  server: Server;
  url: string;
  version: string;
}

/** The installed bittorrent-tracker version. */
async function installedVersion(): Promise<string> {
  // The package exports no `./package.json`; it sits beside the entry point.
  const manifest = path.join(path.dirname(fileURLToPath(import.meta.resolve('bittorrent-tracker'))), 'package.json');
  return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
}

/** Starts bittorrent-tracker's `Server` (WebSocket only) in a child process. */
export async function startBittorrentTracker(log: (line: string) => void): Promise<BittorrentTracker> {
  const version = await installedVersion();
  const { child, info } = await startChild<ServerApi, ServerInfo>({
    name: 'bittorrent-tracker',
    script: 'bittorrent-server.ts',
    nodeFlags: ['--expose-gc'],
    log,
  });
  return { server: child, url: `http://127.0.0.1:${info.port}`, version };
}

/**
 * Connects `plan.peers` WebSocket clients; returns the memory reading taken once the first `plan.warmupPeers` were
 * connected, for per-peer figures over the rest (as for Shoal).
 */
export async function connectBittorrentPeers(
  plan: TrackerBenchPlan,
  tracker: BittorrentTracker,
  workers: readonly Worker[],
): Promise<{ connect: ConnectFigures; before: MemoryReading; connected: MemoryReading; measuredPeers: number }> {
  const { connect, measuredPeers, before, after } = await connectMeasured(
    workers,
    'connectBittorrent',
    tracker.url,
    plan,
    () => tracker.server.call('memory', { gc: true }),
  );
  return { connect, before, connected: after, measuredPeers };
}

/** Memory per peer once every peer announced into a swarm, and connected only. */
export async function bittorrentMemory(
  plan: TrackerBenchPlan,
  tracker: BittorrentTracker,
  peers: number,
  before: MemoryReading,
  connected: MemoryReading,
  log: (line: string) => void,
) {
  const after = await tracker.server.call('memory', { gc: true });
  const counts = await tracker.server.call('counts', null);
  const perPeer = kibPer(before, after, peers);
  const perConnected = kibPer(before, connected, peers);
  log(
    `tracker: bittorrent-tracker holds ${counts.peers ?? '?'} peers in ${counts.swarms ?? '?'} swarms: ` +
      `${perPeer.rss} KiB RSS, ${perPeer.heap} KiB heap each (the last ${peers})`,
  );
  return {
    peers: plan.peers,
    measuredPeers: peers,
    memoryPerPeerKiB: perPeer.rss,
    heapPerPeerKiB: perPeer.heap,
    connectedOnlyPerPeerKiB: perConnected.rss,
    connectedOnlyHeapPerPeerKiB: perConnected.heap,
    swarmSize: plan.swarmSize,
    before: mib(before),
    after: mib(after),
  };
}

/** Every peer announces into its swarm `announceRounds` times in a row, without offers. */
export function bittorrentAnnounceRun(
  plan: TrackerBenchPlan,
  tracker: BittorrentTracker,
  workers: readonly Worker[],
): Promise<Omit<AnnounceFigures, 'runsPerSecond'>> {
  return announceAll(tracker.server, workers, (worker) =>
    worker.call('announceBittorrent', { rounds: plan.announceRounds, baseFiles: 0, swarmSize: plan.swarmSize }),
  );
}

/** One saturating run of offer/answer exchanges between pairs, each pair alone in its swarm. */
export function bittorrentRelayRun(
  plan: TrackerBenchPlan,
  tracker: BittorrentTracker,
  workers: readonly Worker[],
): Promise<RelayFigures> {
  return relayOnAll(
    tracker.server,
    workers,
    'relayBittorrent',
    {
      mode: 'offer-answer',
      warmupMs: plan.relayWarmupMs,
      durationMs: plan.relayDurationMs,
      ratePerSender: plan.relayRatePerSender,
      window: plan.relayWindow,
    },
    plan.relayPairs,
  );
}
