/** The tracker benchmark's rows of the markdown table: Shoal's figure, the baseline's, and the ratio or target. */
import type { TableRow } from '../results.ts';
import type { BaselineFigures, ShoalFigures } from './figures.ts';
import { RELAY_TARGET_PER_SECOND, type TrackerBenchPlan } from './plan.ts';
import type { FilteredQueryKind } from './filtered-queries.ts';
import type { QueryKind } from './queries.ts';

const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const ms = (value: number): string => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const ratio = (shoal: number, baseline: number): string => `${(shoal / baseline).toFixed(2)}×`;

const QUERY_LABELS: Record<QueryKind, string> = {
  oneWord: 'one word',
  twoWord: 'two words',
  prefix: 'prefix being typed',
};

const FILTERED_LABELS: Record<FilteredQueryKind, string> = {
  wordType: 'word and type ("paris type:image")',
  wordSize: 'word and size range ("beach size:1MB..10MB")',
  phrase: 'a phrase ("paris beach" in quotes)',
  exclusion: 'word and an exclusion ("beach -paris")',
  filterOnly: 'filters alone ("type:video size:>1GB", "ext:pdf")',
  sorted: 'a word or filters alone, by size, sources or newest',
};

/** Search latency target (p99, milliseconds), from issue 3. */
const SEARCH_P99_TARGET_MS = 10;

export function trackerRows(plan: TrackerBenchPlan, shoal: ShoalFigures, baseline: BaselineFigures): TableRow[] {
  const bt = 'skipped' in baseline ? undefined : baseline;
  const skipped = 'skipped' in baseline ? `bittorrent-tracker not measured: ${baseline.skipped}` : '';
  const btName = bt ? `bittorrent-tracker ${bt.version}` : '';
  const best = `best of ${plan.comparisonRuns} alternated runs`;
  const rows: TableRow[] = [];

  rows.push({
    measure: `Tracker memory per connected peer (${count(shoal.memory.peers)} peers; over the last ${count(shoal.memory.measuredPeers)})`,
    shoal: `${shoal.memory.memoryPerPeerKiB} KiB RSS (${shoal.memory.heapPerPeerKiB} KiB heap)`,
    baseline: bt ? `${bt.memory.memoryPerPeerKiB} KiB RSS (${bt.memory.heapPerPeerKiB} KiB heap)` : '-',
    note: bt
      ? `${ratio(shoal.memory.memoryPerPeerKiB, bt.memory.memoryPerPeerKiB)} of ${btName} (lower is better); ` +
        `its peers announced into swarms of ${bt.memory.swarmSize}`
      : skipped,
  });
  rows.push({
    measure: `Announces (${count(shoal.connect.peers)} peers × ${plan.announceRounds} at once)`,
    shoal: `${count(shoal.announce.requestsPerSecond)}/s`,
    baseline: bt ? `${count(bt.announce.requestsPerSecond)}/s` : '-',
    note:
      (bt
        ? `${ratio(shoal.announce.requestsPerSecond, bt.announce.requestsPerSecond)} of ${btName}, ${best} ` +
          `(${ratio(shoal.announce.requestsPerTrackerCpuSecond, bt.announce.requestsPerTrackerCpuSecond)} per ` +
          `tracker CPU-second); `
        : '') + 'Shoal: files:register of one file; bittorrent-tracker: announce without offers',
  });
  const relay = shoal.relay;
  rows.push({
    measure: `Signal relay, trickled ICE candidates (${relay.pairs} pairs, ${relay.window} in flight each, saturated)`,
    shoal: `${count(relay.signalsPerSecond)}/s`,
    baseline: '-',
    note:
      `target ≥ ${count(RELAY_TARGET_PER_SECOND)}/s; best of ${plan.comparisonRuns} runs ` +
      `(${relay.runsPerSecond.map(count).join(', ')}); ${count(relay.signalsPerTrackerCpuSecond)} per tracker ` +
      `CPU-second; tracker CPU ${relay.trackerCpuPercent} %, ` +
      `load workers ${relay.workerCpuPercent.join(' + ')} %, other processes ${relay.othersCpuPercent} % ` +
      `(percent of one core, 2 cores)`,
  });
  for (const paced of [relay.atQuarterRate, relay.atHalfRate]) {
    rows.push({
      measure: `Signal relay latency at ${count(paced.offeredPerSecond)}/s`,
      shoal: `p50 ${ms(paced.p50Ms)} ms, p99 ${ms(paced.p99Ms)} ms`,
      baseline: '-',
      note:
        `send to signal:incoming; best of ${paced.runsP99Ms.length} runs (p99 ${paced.runsP99Ms.map(ms).join(', ')} ms); ` +
        `tracker CPU ${paced.trackerCpuPercent} %, other processes ${paced.othersCpuPercent} %`,
    });
  }
  rows.push({
    measure: `Offer/answer relay, WebTorrent-style (${relay.offerAnswer.pairs} pairs, saturated)`,
    shoal: `${count(relay.offerAnswer.signalsPerSecond)}/s`,
    baseline: bt ? `${count(bt.relay.signalsPerSecond)}/s` : '-',
    note: bt
      ? `${ratio(relay.offerAnswer.signalsPerSecond, bt.relay.signalsPerSecond)} of ${btName}, ${best} ` +
        `(${ratio(relay.offerAnswer.signalsPerTrackerCpuSecond, bt.relay.signalsPerTrackerCpuSecond)} per tracker ` +
        `CPU-second); tracker CPU ${relay.offerAnswer.trackerCpuPercent} % vs ${bt.relay.trackerCpuPercent} %; other ` +
        `processes ${relay.offerAnswer.othersCpuPercent} % vs ${bt.relay.othersCpuPercent} %`
      : skipped,
  });
  rows.push({
    measure: `Registrations (${count(shoal.registration.peers)} peers × ${count(plan.filesPerPeer)} files, batches of ${shoal.registration.batchSize})`,
    shoal: `${count(shoal.registration.registrationsPerSecond)} files/s`,
    baseline: '-',
    note:
      `${count(shoal.registry.heapBytesPerFile)} B of heap + ${count(shoal.registry.externalBytesPerFile)} B outside ` +
      `it per registered file; ` +
      `tracker CPU ${shoal.registration.trackerCpuPercent} %, other processes ${shoal.registration.othersCpuPercent} %`,
  });
  const searches = [
    ...(['oneWord', 'twoWord', 'prefix'] as const).map((kind) => [QUERY_LABELS[kind], shoal.search[kind]] as const),
    ...Object.entries(shoal.search.filtered).map(
      ([kind, figures]) => [FILTERED_LABELS[kind as FilteredQueryKind], figures] as const,
    ),
  ];
  for (const [label, figures] of searches) {
    rows.push({
      measure: `Search, ${label} (${count(shoal.registry.files)} files, ${count(shoal.registry.peers)} peers)`,
      shoal: `p50 ${ms(figures.p50Ms)} ms, p99 ${ms(figures.p99Ms)} ms`,
      baseline: `registry alone: p50 ${ms(figures.registryP50Ms)} ms, p99 ${ms(figures.registryP99Ms)} ms`,
      note:
        `target p99 < ${SEARCH_P99_TARGET_MS} ms; matches median ${count(figures.matches.median)}, ` +
        `p90 ${count(figures.matches.p90)}, max ${count(figures.matches.max)}; other processes ` +
        `${figures.othersCpuPercent} % CPU`,
    });
  }
  return rows;
}
