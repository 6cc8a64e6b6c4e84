import { readFile, readdir } from 'node:fs/promises';

/** Parent pid of every process, from /proc. */
async function parentsOfAll(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(pid, ppid);
    } catch {
      // Gone while we looked.
    }
  }
  return parents;
}

async function cmdline(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** A process and every process under it. */
async function processTree(rootPid: number): Promise<Set<number>> {
  const parents = await parentsOfAll();
  const tree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return tree;
}

/** The Chromium browser process this (Node) process launched, for a browser from `chromium.launch()`. */
export async function launchedBrowserProcess(): Promise<number> {
  for (const [pid, ppid] of await parentsOfAll()) {
    if (ppid === process.pid && /chrom/i.test(await cmdline(pid))) return pid;
  }
  throw new Error('no browser process launched by this process');
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time, in milliseconds, split by the kind of Chromium process (`browser`, `renderer`, `gpu-process`, `network`...). */
export type CpuByProcess = Record<string, number>;

/** What kind of Chromium process a command line starts: its `--type`, the utility's service, or `browser`. */
function processKind(args: string): string {
  const type = /--type=(\S+)/.exec(args)?.[1];
  if (type === undefined) return 'browser';
  if (type !== 'utility') return type;
  const service = /--utility-sub-type=\S*?(\w+)\.mojom/.exec(args)?.[1];
  return service ? service.toLowerCase() : 'utility';
}

/**
 * CPU time, in milliseconds, that a browser process and every process under it have used so far (user and system,
 * live processes only: read it before closing the pages whose cost it should count), by kind of process. Like wall
 * time it is shared by whatever else runs, but unlike wall time it does not stretch when the machine is busy.
 */
export async function cpuTimeOfTree(rootPid: number): Promise<CpuByProcess> {
  const byKind: CpuByProcess = {};
  for (const pid of await processTree(rootPid)) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After "pid (comm)": state is field 3, utime field 14 and stime field 15 of the whole line.
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
      const kind = processKind(await cmdline(pid));
      byKind[kind] = (byKind[kind] ?? 0) + ms;
    } catch {
      // Gone while we looked.
    }
  }
  return byKind;
}

/** The CPU time of one thread of the browser, in ms. */
export interface ThreadCpu {
  pid: number;
  /** The process kind ({@link processKind}). */
  kind: string;
  /** The thread's name (`CrRendererMain`, `DedicatedWorker`, `WebRTC_Network`, ...). */
  thread: string;
  ms: number;
}

/** The CPU time of every thread of a process tree, keyed `pid/tid` (threads that end in between are lost). */
export async function cpuTimeByThread(rootPid: number): Promise<Map<string, ThreadCpu>> {
  const threads = new Map<string, ThreadCpu>();
  for (const pid of await processTree(rootPid)) {
    const kind = processKind(await cmdline(pid));
    let tids: string[];
    try {
      tids = await readdir(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const thread = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
        threads.set(`${pid}/${tid}`, { pid, kind, thread, ms });
      } catch {
        // Gone while we looked.
      }
    }
  }
  return threads;
}

/** What the processes used between two readings of {@link cpuTimeOfTree}, per MiB moved, with a `total`. */
export function cpuPerMiB(before: CpuByProcess, after: CpuByProcess, mib: number): CpuByProcess {
  const perMiB: CpuByProcess = { total: 0 };
  for (const [kind, ms] of Object.entries(after)) {
    const used = (ms - (before[kind] ?? 0)) / mib;
    perMiB[kind] = used;
    perMiB.total = (perMiB.total ?? 0) + used;
  }
  return perMiB;
}

/** The Chromium browser process started with `--user-data-dir=<userDataDir>` (a persistent context's). */
export async function browserProcessOf(userDataDir: string): Promise<number> {
  for (const [pid, ppid] of await parentsOfAll()) {
    const args = await cmdline(pid);
    if (args.includes(`--user-data-dir=${userDataDir}`) && !args.includes('--type=')) {
      if (!(await cmdline(ppid)).includes(`--user-data-dir=${userDataDir}`)) return pid;
    }
  }
  throw new Error(`no browser process for ${userDataDir}`);
}

/**
 * Resident memory, in bytes, of a browser process and every process under it (renderers, GPU, network and storage
 * services, zygotes): where downloaded bytes would pile up, whether in a renderer's ArrayBuffers or the browser
 * process's blob storage. Read from /proc, so nothing in the browser can hide it.
 */
export async function residentMemoryOfTree(rootPid: number): Promise<number> {
  let total = 0;
  for (const pid of await processTree(rootPid)) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // Gone while we looked.
    }
  }
  return total;
}

/** A running record of the highest summed resident memory of a browser's process tree. */
export interface ResidentPeakSampler {
  /** Resident memory, in bytes, when sampling started. */
  readonly start: number;
  /** Stops sampling and answers the highest reading, in bytes (never below `start`). */
  stop(): Promise<number>;
}

/**
 * Reads {@link residentMemoryOfTree} now and then every `intervalMs` until stopped, keeping the highest reading: the
 * peak a transfer drove the browser's memory to. The e2e memory test and the storage benchmark both use it.
 */
export async function sampleResidentPeak(rootPid: number, intervalMs = 250): Promise<ResidentPeakSampler> {
  const start = await residentMemoryOfTree(rootPid);
  let peak = start;
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      peak = Math.max(peak, await residentMemoryOfTree(rootPid));
    }
  })();
  return {
    start,
    async stop() {
      sampling = false;
      await loop;
      return peak;
    },
  };
}
