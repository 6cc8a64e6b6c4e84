import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { HashingResults, TableRow, TransferResults } from '../results.ts';
import { settle } from '../support/settle.ts';
import { MiB, median, round } from '../support/stats.ts';
import { startTrackerProcess } from '../support/tracker-process.ts';
import { makeTempDir, writeRandomFile } from '../../e2e/support/files.ts';
import { cpuPerMiB, cpuTimeOfTree, type CpuByProcess } from '../../e2e/support/browser-memory.ts';
import { launchBenchBrowser, type BenchBrowser, type BenchProfile } from './bench-browser.ts';
import {
  measures,
  nextMeasure,
  openShoal,
  rawRun,
  share,
  startStallProbe,
  stopStallProbe,
  type BenchSide,
} from './pages.ts';

export interface TransferBenchOptions {
  quick: boolean;
  profile: BenchProfile;
  log: (line: string) => void;
}

const TRACKER_PORT = Number(process.env.BENCH_PORT ?? 18189);
/**
 * The raw channel's message size: 256 KiB, the largest Chromium takes and the size of Shoal's piece frames. It used to
 * run with 128 KiB messages too, the faster median being the ceiling; over 63 rounds on these machines neither size
 * was faster (means 23.3 and 23.4 MiB/s, 128 KiB ahead in 27), so taking the larger of two noisy medians only raised
 * the ceiling by chance, and the time goes to more rounds instead.
 */
const RAW_MESSAGE_SIZE = 256 * 1024;
/** Alternating raw and Shoal rounds: five, so that one slow minute of a shared machine moves neither median much. */
const ROUNDS = 5;
const QUICK_ROUNDS = 3;

/** One Shoal download of `name` in a fresh page of the downloader side, through the UI: search, click, saved file. */
async function shoalRun(downloader: BenchSide, name: string, bytes: number, cpuTime: () => Promise<CpuByProcess>) {
  const page = await openShoal(downloader.context, downloader.url);
  await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(name);
  const row = page.getByRole('list', { name: 'Search results' }).getByRole('listitem').filter({ hasText: name });
  const saved = page.waitForEvent('download', { timeout: 600_000 });
  const cpuBefore = await cpuTime();
  const clickedAt = performance.now();
  await row.getByRole('button', { name: /^Download/ }).click();
  // CPU up to the assembled file, leaving out the save (the raw run saves nothing either).
  await nextMeasure(page, 'shoal:transfer', 0);
  const cpuAfter = await cpuTime();
  const download = await saved;
  const clickToSavedMs = performance.now() - clickedAt;
  // The browser goes on writing the saved file after the download event: done here, not in the next run.
  await download.path();
  await download.delete();
  // From the first open data channel to the verified, assembled file: like the raw run, it leaves out signaling
  // (which time to first piece covers).
  const [transferMs] = await measures(page, 'shoal:transfer');
  const [ttfbMs] = await measures(page, 'shoal:first-piece');
  if (download.suggestedFilename() !== path.basename(name)) throw new Error('saved under the wrong name');
  await page.close();
  return {
    MiBps: bytes / MiB / (transferMs! / 1000),
    ttfbMs: ttfbMs!,
    clickToSavedMs,
    cpuPerMiB: cpuPerMiB(cpuBefore, cpuAfter, bytes / MiB),
  };
}

/** "84 CPU ms/MiB (browser 8, renderer 50, network 26)": the browser's CPU per MiB, in all and by process. */
function describeCpu(cpu: CpuByProcess): string {
  const parts = Object.entries(cpu)
    .filter(([kind, ms]) => kind !== 'total' && ms >= 0.5)
    .map(([kind, ms]) => `${kind} ${Math.round(ms)}`);
  return `${Math.round(cpu.total ?? 0)} CPU ms/MiB (${parts.join(', ')})`;
}

/** The median of each process kind's CPU per MiB over several runs. */
function medianByKind(runs: CpuByProcess[]): CpuByProcess {
  const kinds = new Set(runs.flatMap((cpu) => Object.keys(cpu)));
  return Object.fromEntries([...kinds].map((kind) => [kind, round(median(runs.map((cpu) => cpu[kind] ?? 0)))]));
}

async function hashingBench(page: Page, file: string, bytes: number, rounds: number, log: (line: string) => void) {
  const worker: number[] = [];
  const loop: number[] = [];
  const stalls: number[] = [];
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-hash-input';
    input.hidden = true;
    document.body.append(input);
  });
  await page.setInputFiles('#bench-hash-input', file);
  for (let round = 0; round < rounds; round++) {
    const seen = (await measures(page, 'shoal:hash')).length;
    await startStallProbe(page);
    await page.getByTestId('share-input').setInputFiles(file);
    const ms = await nextMeasure(page, 'shoal:hash', seen);
    stalls.push(await stopStallProbe(page));
    worker.push(bytes / MiB / (ms / 1000));
    const loopMs = await page.evaluate(async () => {
      const blob = (document.getElementById('bench-hash-input') as HTMLInputElement).files![0]!;
      const start = performance.now();
      for (let at = 0; at < blob.size; at += 1024 * 1024) {
        await crypto.subtle.digest('SHA-256', await blob.slice(at, at + 1024 * 1024).arrayBuffer());
      }
      return performance.now() - start;
    });
    loop.push(bytes / MiB / (loopMs / 1000));
    log(
      `  hashing round ${round + 1}: worker ${round2(worker.at(-1)!)} MiB/s, WebCrypto loop ${round2(loop.at(-1)!)} MiB/s`,
    );
  }
  const workerMiBps = median(worker);
  const webCryptoMiBps = median(loop);
  const results: HashingResults = {
    workerMiBps: round(workerMiBps),
    webCryptoMiBps: round(webCryptoMiBps),
    ratio: round(workerMiBps / webCryptoMiBps, 3),
    worstMainThreadStallMs: round(Math.max(...stalls), 1),
    fileMiB: bytes / MiB,
    runs: { worker: worker.map((v) => round(v)), webCrypto: loop.map((v) => round(v)) },
  };
  return results;
}

const round2 = (value: number) => round(value, 1);

/**
 * Transfer efficiency, time to first byte and hashing, in one Chromium with two pages on the Shoal page (two tabs of an
 * ordinary profile, or two incognito contexts: see {@link BenchProfile}).
 * Raw, floor and Shoal runs alternate (order reversed each round) after a warm-up, each after the machine settled
 * (see {@link settle}), and medians are compared. The floor is the raw channel doing only the work any verified,
 * stored download must: it shows how much of the gap to the raw channel is that work, and how much Shoal's engine.
 */
export async function runTransferBench(options: TransferBenchOptions): Promise<{
  transfer: TransferResults;
  hashing: HashingResults;
  rows: TableRow[];
}> {
  const { quick, log } = options;
  const bytes = (quick ? 64 : 256) * MiB;
  const rounds = quick ? QUICK_ROUNDS : ROUNDS;
  const hashingRounds = 3;
  const dir = await makeTempDir();
  const tracker = await startTrackerProcess(TRACKER_PORT);
  let browser: BenchBrowser | null = null;
  try {
    log(`transfer: writing a ${bytes / MiB} MiB file`);
    const big = await writeRandomFile(dir, 'bench-transfer.bin', bytes);
    const warm = await writeRandomFile(dir, 'bench-warmup.bin', 16 * MiB);
    await settle();
    browser = await launchBenchBrowser(options.profile, tracker.url);
    const { holder, pid } = browser;
    const cpuTime = () => cpuTimeOfTree(pid);
    const holderPage = await openShoal(holder.context, holder.url);

    log('hashing: worker manifest vs WebCrypto loop in the page');
    const hashing = await hashingBench(holderPage, big.path, bytes, hashingRounds, log);
    await share(holderPage, warm.path);

    log('transfer: warm-up');
    {
      const warmup = await browser.newDownloader();
      await rawRun(holder, warmup, 32 * MiB, RAW_MESSAGE_SIZE, { cpuTime });
      await rawRun(holder, warmup, 16 * MiB, RAW_MESSAGE_SIZE, { cpuTime, necessaryWorkFile: warm.path });
      await shoalRun(warmup, 'bench-warmup.bin', 16 * MiB, cpuTime);
      await browser.dropDownloader(warmup);
    }

    const raw: number[] = [];
    const rawCpu: CpuByProcess[] = [];
    const floor: number[] = [];
    const floorCpu: CpuByProcess[] = [];
    const shoal: number[] = [];
    const shoalCpu: CpuByProcess[] = [];
    const ttfb: number[] = [];
    const clickToSaved: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const downloader = await browser.newDownloader();
      const runRaw = async () => {
        await settle();
        const { MiBps, cpuPerMiB: cpu } = await rawRun(holder, downloader, bytes, RAW_MESSAGE_SIZE, { cpuTime });
        raw.push(MiBps);
        rawCpu.push(cpu!);
        log(`  round ${round + 1}: raw channel: ${round2(MiBps)} MiB/s, ${describeCpu(cpu!)}`);
      };
      const runFloor = async () => {
        await settle();
        const { MiBps, cpuPerMiB: cpu } = await rawRun(holder, downloader, bytes, RAW_MESSAGE_SIZE, {
          cpuTime,
          necessaryWorkFile: big.path,
        });
        floor.push(MiBps);
        floorCpu.push(cpu!);
        log(`  round ${round + 1}: floor (read, hash, store): ${round2(MiBps)} MiB/s, ${describeCpu(cpu!)}`);
      };
      const runShoal = async () => {
        await settle();
        const result = await shoalRun(downloader, 'bench-transfer.bin', bytes, cpuTime);
        shoal.push(result.MiBps);
        shoalCpu.push(result.cpuPerMiB);
        ttfb.push(result.ttfbMs);
        clickToSaved.push(result.clickToSavedMs);
        log(
          `  round ${round + 1}: Shoal download: ${round2(result.MiBps)} MiB/s, ${describeCpu(result.cpuPerMiB)}, first piece after ${Math.round(result.ttfbMs)} ms`,
        );
      };
      const runs = [runRaw, runFloor, runShoal];
      for (const run of round % 2 === 0 ? runs : runs.reverse()) await run();
      await browser.dropDownloader(downloader);
    }

    const rawMiBps = median(raw);
    const floorMiBps = median(floor);
    const shoalMiBps = median(shoal);
    const transfer: TransferResults = {
      profile: options.profile,
      rawMiBps: round(rawMiBps),
      shoalMiBps: round(shoalMiBps),
      ratio: round(shoalMiBps / rawMiBps, 3),
      ttfbMs: Math.round(median(ttfb)),
      // Each round's Shoal run over its raw run, which ran next to it: the machine's slower and faster minutes
      // weigh less in it than in the ratio of medians.
      pairedRatio: round(median(shoal.map((MiBps, i) => MiBps / raw[i]!)), 3),
      // The floor: the bare channel doing only what any verified, stored download must (read the file from disk,
      // SHA-256, OPFS write). floorRatio is what that work alone leaves of the raw channel, about the best a download
      // can do here; shoalToFloor, what Shoal's own engine costs beyond that work.
      floorMiBps: round(floorMiBps),
      floorRatio: round(floorMiBps / rawMiBps, 3),
      shoalToFloor: round(shoalMiBps / floorMiBps, 3),
      rawMessageBytes: RAW_MESSAGE_SIZE,
      // The browser's CPU time (all its processes) per MiB moved: what Shoal costs beyond the bare channel, which
      // on a saturated 2-core machine bounds the ratio whatever the wall clock says.
      rawCpuMsPerMiB: round(median(rawCpu.map((cpu) => cpu.total ?? 0))),
      floorCpuMsPerMiB: round(median(floorCpu.map((cpu) => cpu.total ?? 0))),
      shoalCpuMsPerMiB: round(median(shoalCpu.map((cpu) => cpu.total ?? 0))),
      cpuMsPerMiBByProcess: { raw: medianByKind(rawCpu), floor: medianByKind(floorCpu), shoal: medianByKind(shoalCpu) },
      clickToSavedMs: Math.round(median(clickToSaved)),
      fileMiB: bytes / MiB,
      rounds,
      runs: {
        raw: raw.map((v) => round(v)),
        floor: floor.map((v) => round(v)),
        shoal: shoal.map((v) => round(v)),
        ttfbMs: ttfb.map(Math.round),
      },
    };
    const rows: TableRow[] = [
      {
        measure: `Download, 1 peer, ${bytes / MiB} MiB`,
        shoal: `${transfer.shoalMiBps} MiB/s`,
        baseline: `${transfer.rawMiBps} MiB/s raw channel`,
        note: `ratio ${transfer.ratio} (target ≥ 0.90), round by round ${transfer.pairedRatio}; ${options.profile === 'profile' ? 'two tabs of one profile' : 'two incognito contexts'}`,
      },
      {
        measure: `Floor: the raw channel reading, hashing and storing the ${bytes / MiB} MiB`,
        shoal: `${transfer.shoalMiBps} MiB/s`,
        baseline: `${transfer.floorMiBps} MiB/s floor`,
        note: `Shoal / floor ${transfer.shoalToFloor}; floor / raw channel ${transfer.floorRatio} (what the work alone leaves of the raw channel); CPU per MiB: raw ${transfer.rawCpuMsPerMiB}, floor ${transfer.floorCpuMsPerMiB}, Shoal ${transfer.shoalCpuMsPerMiB} ms`,
      },
      {
        measure: 'Time to first verified piece',
        shoal: `${transfer.ttfbMs} ms`,
        baseline: '—',
        note: 'target < 1000 ms',
      },
      {
        measure: `Hashing ${hashing.fileMiB} MiB (worker)`,
        shoal: `${hashing.workerMiBps} MiB/s`,
        baseline: `${hashing.webCryptoMiBps} MiB/s WebCrypto loop`,
        note: `ratio ${hashing.ratio} (target ≥ 0.8); worst main-thread stall ${hashing.worstMainThreadStallMs} ms`,
      },
    ];
    return { transfer, hashing, rows };
  } finally {
    await browser?.close();
    await tracker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
