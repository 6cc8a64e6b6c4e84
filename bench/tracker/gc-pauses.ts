/**
 * Garbage-collection pauses of this process (from `perf_hooks`), summed since the previous reading: the bench reads
 * them around each search kind, in the tracker and in the load workers, so a slow search can be told from a GC pause.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import type { GcPauseReading, GcPauses } from './child-api.ts';

function empty(): GcPauses {
  return { count: 0, totalMs: 0, maxMs: 0 };
}

let reading: GcPauseReading = { scavenges: empty(), fullGcs: empty() };
let observer: PerformanceObserver | undefined;

function add(pauses: GcPauses, ms: number): void {
  pauses.count++;
  pauses.totalMs += ms;
  pauses.maxMs = Math.max(pauses.maxMs, ms);
}

/** Starts observing this process's GC pauses (once). */
export function observeGcPauses(): void {
  observer ??= new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      // Scavenges collect the young generation; the rest (mark-compact, incremental marking steps, weak callbacks)
      // are the old generation's.
      add(kind === constants.NODE_PERFORMANCE_GC_MINOR ? reading.scavenges : reading.fullGcs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
}

/** The pauses since the previous call (or since observing started), rounded to 0.01 ms. */
export function takeGcPauses(): GcPauseReading {
  const taken = reading;
  reading = { scavenges: empty(), fullGcs: empty() };
  const rounded = (pauses: GcPauses): GcPauses => ({
    count: pauses.count,
    totalMs: Math.round(pauses.totalMs * 100) / 100,
    maxMs: Math.round(pauses.maxMs * 100) / 100,
  });
  return { scavenges: rounded(taken.scavenges), fullGcs: rounded(taken.fullGcs) };
}
