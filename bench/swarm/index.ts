import { rm } from 'node:fs/promises';
import { chromium, expect, type Browser, type BrowserContext } from '@playwright/test';
import type { TableRow } from '../results.ts';
import { MiB, median, round } from '../support/stats.ts';
import { startTrackerProcess } from '../support/tracker-process.ts';
import { CHROMIUM_ARGS } from '../../e2e/support/environment.ts';
import { makeTempDir, writeRandomFile } from '../../e2e/support/files.ts';
import { measures, openShoal } from '../transfer/pages.ts';

export interface SwarmResults {
  /** Each holder's upload cap (the bench-only throttle), MiB/s. */
  holderCapMiBps: number;
  fileMiB: number;
  /** Median download speed from k holders, MiB/s, k = 1, 2, 3. */
  MiBpsByHolders: Record<string, number>;
  /** Speed from k holders over speed from one. Target: 3 holders ≥ 2.5. */
  speedupByHolders: Record<string, number>;
  [detail: string]: unknown;
}

const TRACKER_PORT = Number(process.env.BENCH_SWARM_PORT ?? 18190);
const HOLDER_CAP_KIBPS = 3 * 1024;

/** Downloads `name` in a fresh context through the UI and returns MiB/s (User Timing measure of the engine). */
async function downloadOnce(browser: Browser, url: string, name: string, bytes: number): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await openShoal(context, url);
    await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(name);
    const row = page.getByRole('list', { name: 'Search results' }).getByRole('listitem').filter({ hasText: name });
    const saved = page.waitForEvent('download', { timeout: 600_000 });
    await row.getByRole('button', { name: /^Download/ }).click();
    await saved;
    const [ms] = await measures(page, 'shoal:download');
    return bytes / MiB / (ms! / 1000);
  } finally {
    await context.close();
  }
}

/**
 * Swarm speed-up: one downloader, 1, 2 and 3 holders whose upload is each capped at the same rate (the page's upload
 * cap, `?uploadKiBps=`). Download speed from k holders over speed from one; each count is measured `rounds` times.
 */
export async function runSwarmBench(options: { quick: boolean; log: (line: string) => void }): Promise<{
  swarm: SwarmResults;
  rows: TableRow[];
}> {
  const { quick, log } = options;
  const bytes = (quick ? 24 : 32) * MiB;
  const rounds = quick ? 1 : 3;
  const dir = await makeTempDir();
  const tracker = await startTrackerProcess(TRACKER_PORT);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    const speeds: Record<number, number[]> = { 1: [], 2: [], 3: [] };
    for (const holders of [1, 2, 3]) {
      // Each holder count gets its own file, so the tracker lists exactly that many holders for it.
      const file = await writeRandomFile(dir, `swarm-${holders}.bin`, bytes);
      const contexts: BrowserContext[] = [];
      for (let i = 0; i < holders; i++) {
        const context = await browser.newContext();
        contexts.push(context);
        const page = await openShoal(context, `${tracker.url}/?uploadKiBps=${HOLDER_CAP_KIBPS}`);
        await page.getByTestId('share-input').setInputFiles(file.path);
        const row = page.getByRole('list', { name: 'My shared files' }).getByRole('listitem').last();
        await expect(row).toContainText('Shared', { timeout: 120_000 });
      }
      for (let run = 0; run < rounds; run++) {
        const MiBps = await downloadOnce(browser, tracker.url, `swarm-${holders}.bin`, bytes);
        speeds[holders]!.push(MiBps);
        log(`  swarm: ${holders} holder(s), run ${run + 1}: ${round(MiBps, 2)} MiB/s`);
      }
      await Promise.all(contexts.map((context) => context.close()));
    }
    const byHolders = Object.fromEntries([1, 2, 3].map((k) => [String(k), round(median(speeds[k]!), 2)]));
    const one = median(speeds[1]!);
    const speedup = Object.fromEntries([1, 2, 3].map((k) => [String(k), round(median(speeds[k]!) / one, 2)]));
    const swarm: SwarmResults = {
      holderCapMiBps: HOLDER_CAP_KIBPS / 1024,
      fileMiB: bytes / MiB,
      MiBpsByHolders: byHolders,
      speedupByHolders: speedup,
      rounds,
    };
    const rows: TableRow[] = [2, 3].map((k) => ({
      measure: `Download from ${k} holders capped at ${swarm.holderCapMiBps} MiB/s each`,
      shoal: `${byHolders[String(k)]} MiB/s`,
      baseline: `${byHolders['1']} MiB/s from 1 holder`,
      note: `speed-up ${speedup[String(k)]}×${k === 3 ? ' (target ≥ 2.5)' : ''}`,
    }));
    return { swarm, rows };
  } finally {
    await browser?.close();
    await tracker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
