/** Memory and CPU readings of the current process and of the whole machine. */
import { readFileSync } from 'node:fs';
import type { CpuReading, MemoryReading } from './child-api.ts';

/** Memory use, after two full garbage collections when `gc` is set (needs `--expose-gc`). */
export function readMemory(gc: boolean): MemoryReading {
  if (gc) {
    if (typeof globalThis.gc !== 'function') throw new Error('run this process with --expose-gc');
    globalThis.gc();
    globalThis.gc();
  }
  const usage = process.memoryUsage();
  return {
    rssBytes: usage.rss,
    heapUsedBytes: usage.heapUsed,
    heapTotalBytes: usage.heapTotal,
    externalBytes: usage.external,
  };
}

/** CPU time used so far and the time of the reading. */
export function readCpu(): CpuReading {
  const usage = process.cpuUsage();
  return { userMicros: usage.user, systemMicros: usage.system, atMs: performance.now() + performance.timeOrigin };
}

/** Share of one core used between two readings, in percent. */
export function cpuPercent(from: CpuReading, to: CpuReading): number {
  const busyMs = (to.userMicros - from.userMicros + to.systemMicros - from.systemMicros) / 1000;
  const wallMs = to.atMs - from.atMs;
  return wallMs > 0 ? (100 * busyMs) / wallMs : Number.NaN;
}

/** Machine-wide CPU time from /proc/stat (all cores, in clock ticks): busy and total. */
export interface SystemCpuReading {
  busyTicks: number;
  totalTicks: number;
}

/** Reads /proc/stat; `undefined` where there is none (not Linux). */
export function readSystemCpu(): SystemCpuReading | undefined {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busyTicks: total - idle, totalTicks: total };
  } catch {
    return undefined;
  }
}

/** Busy share of the whole machine between two readings, in percent of one core (200 % = both of 2 cores busy). */
export function systemCpuPercent(from: SystemCpuReading, to: SystemCpuReading, cores: number): number {
  const total = to.totalTicks - from.totalTicks;
  return total > 0 ? (100 * cores * (to.busyTicks - from.busyTicks)) / total : Number.NaN;
}
