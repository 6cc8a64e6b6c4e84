/**
 * Where a transfer's CPU goes, thread by thread: one raw-channel run and one Shoal download in the same Chromium,
 * each with the CPU time of every thread of every browser process in between (from /proc), per MiB moved. For
 * finding what to make cheaper; the benchmark (`main.ts`) stays the measure.
 *
 * `node --import tsx bench/transfer/threads.ts [--profile=incognito] [--mib=128]`
 */
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { cpuTimeByThread, type ThreadCpu } from '../../e2e/support/browser-memory.ts';
import { makeTempDir, writeRandomFile } from '../../e2e/support/files.ts';
import { MiB, round } from '../support/stats.ts';
import { startTrackerProcess } from '../support/tracker-process.ts';
import { launchBenchBrowser, type BenchProfile } from './bench-browser.ts';
import { measures, nextMeasure, openShoal, rawRun, share } from './pages.ts';

const profile = (process.argv.find((arg) => arg.startsWith('--profile='))?.slice(10) ?? 'profile') as BenchProfile;
const mib = Number(process.argv.find((arg) => arg.startsWith('--mib='))?.slice(6) ?? 128);
const bytes = mib * MiB;

/** Prints the threads that used at least 0.3 ms per MiB between two readings, by process. */
function report(title: string, before: Map<string, ThreadCpu>, after: Map<string, ThreadCpu>, known: Set<number>) {
  const byProcess = new Map<number, { kind: string; total: number; threads: Map<string, number> }>();
  for (const [key, thread] of after) {
    const used = (thread.ms - (before.get(key)?.ms ?? 0)) / mib;
    const process = byProcess.get(thread.pid) ?? { kind: thread.kind, total: 0, threads: new Map() };
    process.total += used;
    process.threads.set(thread.thread, (process.threads.get(thread.thread) ?? 0) + used);
    byProcess.set(thread.pid, process);
  }
  let total = 0;
  console.log(`\n${title}`);
  for (const [pid, process] of [...byProcess].sort((a, b) => b[1].total - a[1].total)) {
    total += process.total;
    if (process.total < 0.3) continue;
    const threads = [...process.threads]
      .filter(([, ms]) => ms >= 0.3)
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => `${name} ${round(ms, 1)}`)
      .join(', ');
    const age = known.has(pid) ? 'earlier' : 'new';
    console.log(`  ${process.kind} ${pid} (${age}): ${round(process.total, 1)} ms/MiB: ${threads}`);
  }
  console.log(`  all: ${round(total, 1)} ms/MiB`);
}

const dir = await makeTempDir();
const tracker = await startTrackerProcess(Number(process.env.BENCH_PORT ?? 18189));
const browser = await launchBenchBrowser(profile, tracker.url);
try {
  const file = await writeRandomFile(dir, 'threads.bin', bytes);
  const holderPage = await openShoal(browser.holder.context, browser.holder.url);
  await share(holderPage, file.path);
  const known = new Set([...(await cpuTimeByThread(browser.pid)).values()].map((thread) => thread.pid));

  const rawSide = await browser.newDownloader();
  let before = await cpuTimeByThread(browser.pid);
  let rawAfter = before;
  const raw = await rawRun(browser.holder, rawSide, bytes, 256 * 1024, {
    beforeClosing: async () => {
      rawAfter = await cpuTimeByThread(browser.pid);
    },
  });
  report(`raw channel ${round(raw.MiBps, 1)} MiB/s`, before, rawAfter, known);
  await browser.dropDownloader(rawSide);

  const side = await browser.newDownloader();
  const page = await openShoal(side.context, side.url);
  const name = path.basename(file.path);
  await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(name);
  const row = page.getByRole('list', { name: 'Search results' }).getByRole('listitem').filter({ hasText: name });
  await row.waitFor();
  before = await cpuTimeByThread(browser.pid);
  await row.getByRole('button', { name: /^Download/ }).click();
  await nextMeasure(page, 'shoal:transfer', 0);
  const after = await cpuTimeByThread(browser.pid);
  const [transferMs] = await measures(page, 'shoal:transfer');
  report(
    `Shoal ${round(bytes / MiB / (transferMs! / 1000), 1)} MiB/s (holder's page is 'earlier')`,
    before,
    after,
    known,
  );
} finally {
  await browser.close();
  await tracker.stop();
  await rm(dir, { recursive: true, force: true });
}
