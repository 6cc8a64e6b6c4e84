import { rm } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { StorageResults, TableRow } from '../results.ts';
import { MiB, median, round } from '../support/stats.ts';
import { startTrackerProcess } from '../support/tracker-process.ts';
import { browserProcessOf, sampleResidentPeak } from '../../e2e/support/browser-memory.ts';
import { CHROMIUM_ARGS } from '../../e2e/support/environment.ts';
import { sha256OfFile, makeTempDir, writeRandomFile } from '../../e2e/support/files.ts';
import { measures, openShoal, rawRun, share } from '../transfer/pages.ts';
import { downloadBytesFor } from './sizing.ts';

export interface StorageBenchOptions {
  quick: boolean;
  log: (line: string) => void;
}

const TRACKER_PORT = Number(process.env.BENCH_STORAGE_PORT ?? 18191);
const RAW_MESSAGE_SIZES = [128 * 1024, 256 * 1024];
/** Each raw channel run's size: enough for a steady rate, small enough to keep the part short. */
const RAW_RUN_BYTES = 128 * MiB;
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What the OPFS write page (web-client/src/bench/opfs-write.ts) exposes on `window`. */
interface OpfsWriteBench {
  measure(pieces: number): Promise<{ bytes: number; storeMs: number; verifyAndStoreMs: number }>;
}

/** The tab's used JS heap, in bytes, after a forced garbage collection (Chrome DevTools Protocol). */
async function usedHeap(context: BrowserContext, page: Page): Promise<number> {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  } finally {
    await cdp.detach();
  }
}

/**
 * Downloads `name` through the UI while sampling the downloader browser's memory; checks the saved bytes. Answers
 * the resident memory before and at its peak, and Shoal's transfer rate (first open data channel to assembled file).
 */
async function measuredDownload(page: Page, browserPid: number, name: string, bytes: number, sha256: string) {
  await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(name);
  const row = page.getByRole('list', { name: 'Search results' }).getByRole('listitem').filter({ hasText: name });
  await row.waitFor();
  const memory = await sampleResidentPeak(browserPid);
  const saved = page.waitForEvent('download', { timeout: 600_000 });
  await row.getByRole('button', { name: /^Download/ }).click();
  const download = await saved;
  const savedSha256 = await sha256OfFile(await download.path());
  const peak = await memory.stop();
  if (savedSha256 !== sha256) throw new Error('the saved file differs from the shared one');
  const [transferMs] = await measures(page, 'shoal:transfer');
  return { rssStart: memory.start, rssPeak: peak, shoalMiBps: bytes / MiB / (transferMs! / 1000) };
}

/**
 * Storage: a download of 4 × the tab's starting heap (at least 256 MiB) into a persistent browser profile, whose
 * Origin Private File System is on disk, with the peak growth of the downloader browser's summed resident memory;
 * then, in the same browser and in rounds, the network rate (a raw data channel from the holder, 128 MiB with 128
 * and with 256 KiB messages, the faster per round) and the piece worker's storage path writing as many 1 MiB pieces
 * to OPFS without the network.
 */
export async function runStorageBench(options: StorageBenchOptions): Promise<{
  storage: StorageResults;
  rows: TableRow[];
}> {
  const { quick, log } = options;
  const rounds = quick ? 1 : 2;
  const dir = await makeTempDir();
  const profile = await makeTempDir();
  const tracker = await startTrackerProcess(TRACKER_PORT);
  let holderBrowser: Browser | null = null;
  let downloader: BrowserContext | null = null;
  try {
    downloader = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      acceptDownloads: true,
    });
    const browserPid = await browserProcessOf(profile);
    const page = await openShoal(downloader, tracker.url);
    const startHeap = await usedHeap(downloader, page);
    const bytes = downloadBytesFor(startHeap);
    log(`storage: tab heap ${round(startHeap / MiB, 1)} MiB; writing a ${bytes / MiB} MiB file to share`);
    const file = await writeRandomFile(dir, 'bench-storage.bin', bytes);

    holderBrowser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const holder = await holderBrowser.newContext();
    await share(await openShoal(holder, tracker.url), file.path);

    log('storage: downloading into the persistent profile, sampling its memory');
    const download = await measuredDownload(page, browserPid, path.basename(file.path), bytes, file.sha256);
    const rssGrowth = download.rssPeak - download.rssStart;
    log(
      `  Shoal download ${round(download.shoalMiBps, 1)} MiB/s; browser memory ${round(download.rssStart / MiB)} MiB ` +
        `before, peak growth ${round(rssGrowth / MiB, 1)} MiB`,
    );
    await page.close();

    const raw: number[] = [];
    const store: number[] = [];
    const verifyAndStore: number[] = [];
    const opfsPage = await downloader.newPage();
    await opfsPage.goto(`${tracker.url}/bench/opfs-write.html`);
    for (let run = 0; run < rounds; run++) {
      const sizes = run % 2 === 0 ? RAW_MESSAGE_SIZES : [...RAW_MESSAGE_SIZES].reverse();
      const rates: number[] = [];
      for (const size of sizes)
        rates.push(
          (
            await rawRun(
              { context: holder, url: tracker.url },
              { context: downloader, url: tracker.url },
              RAW_RUN_BYTES,
              size,
            )
          ).MiBps,
        );
      raw.push(Math.max(...rates));
      const written = await opfsPage.evaluate(
        (pieces) => (window as unknown as { opfsWriteBench: OpfsWriteBench }).opfsWriteBench.measure(pieces),
        bytes / MiB,
      );
      store.push(written.bytes / MiB / (written.storeMs / 1000));
      verifyAndStore.push(written.bytes / MiB / (written.verifyAndStoreMs / 1000));
      log(
        `  round ${run + 1}: raw channel ${round(raw.at(-1)!, 1)} MiB/s; OPFS writes ${round(store.at(-1)!, 1)} MiB/s, ` +
          `verify and write ${round(verifyAndStore.at(-1)!, 1)} MiB/s`,
      );
    }

    const rawMiBps = median(raw);
    const networkMiBps = Math.max(rawMiBps, download.shoalMiBps);
    const opfsWriteMiBps = median(store);
    const verifyAndStoreMiBps = median(verifyAndStore);
    const storage: StorageResults = {
      downloadMiB: bytes / MiB,
      startHeapMiB: round(startHeap / MiB, 1),
      rssStartMiB: round(download.rssStart / MiB, 1),
      rssGrowthMiB: round(rssGrowth / MiB, 1),
      growthPerDownloadedByte: round(rssGrowth / bytes, 3),
      networkMiBps: round(networkMiBps),
      opfsWriteMiBps: round(opfsWriteMiBps),
      storageToNetwork: round(opfsWriteMiBps / networkMiBps, 2),
      rawChannelMiBps: round(rawMiBps),
      shoalDownloadMiBps: round(download.shoalMiBps),
      verifyAndStoreMiBps: round(verifyAndStoreMiBps),
      verifyAndStoreToNetwork: round(verifyAndStoreMiBps / networkMiBps, 2),
      rounds,
      runs: {
        rawChannel: raw.map((v) => round(v)),
        opfsWrite: store.map((v) => round(v)),
        verifyAndStore: verifyAndStore.map((v) => round(v)),
      },
    };
    const rows: TableRow[] = [
      {
        measure: `Browser memory while downloading ${storage.downloadMiB} MiB to disk (4× the tab's heap, ≥ 256 MiB)`,
        shoal: `+${storage.rssGrowthMiB} MiB RSS`,
        baseline: `${storage.rssStartMiB} MiB before (tab heap ${storage.startHeapMiB} MiB)`,
        note:
          `${storage.growthPerDownloadedByte} of the downloaded size (1 = held whole); summed RSS of the browser's ` +
          `processes, persistent profile; Shoal download ${storage.shoalDownloadMiBps} MiB/s`,
      },
      {
        measure: `OPFS writes from the piece worker (${storage.downloadMiB} × 1 MiB pieces + verified bits)`,
        shoal: `${storage.opfsWriteMiBps} MiB/s`,
        baseline: `${storage.networkMiBps} MiB/s network (raw channel ${storage.rawChannelMiBps}, Shoal ${storage.shoalDownloadMiBps})`,
        note:
          `storage/network ${storage.storageToNetwork} (must be well above 1); with SHA-256 verification, ` +
          `${storage.verifyAndStoreMiBps} MiB/s, ${storage.verifyAndStoreToNetwork}× the network`,
      },
    ];
    return { storage, rows };
  } finally {
    await downloader?.close();
    await holderBrowser?.close();
    await tracker.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
  }
}
