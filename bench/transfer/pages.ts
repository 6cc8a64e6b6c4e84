import { expect, type BrowserContext, type Page } from '@playwright/test';
import { MiB } from '../support/stats.ts';
import { cpuPerMiB as cpuPerMiBOf, type CpuByProcess } from '../../e2e/support/browser-memory.ts';

/** What the raw-channel page (web-client/src/bench/raw-channel.ts) exposes on `window`. */
export interface RawChannelBench {
  peerId(): Promise<string>;
  send(
    to: string,
    totalBytes: number,
    messageSize: number,
    necessaryWork?: boolean,
  ): Promise<{ ms: number; bytes: number }>;
  nextReceive(necessaryWork?: boolean): Promise<{ bytes: number }>;
}

/** Opens the Shoal page in a context and waits until it is connected to the tracker. */
export async function openShoal(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByRole('status', { name: 'Tracker connection' })).toContainText('Online', { timeout: 30_000 });
  return page;
}

/** Opens the raw-channel benchmark page and waits for its peer id. */
export async function openRawChannel(context: BrowserContext, url: string): Promise<{ page: Page; peerId: string }> {
  const page = await context.newPage();
  await page.goto(`${url}/bench/raw-channel.html`);
  const peerId = await page.evaluate(() =>
    (window as unknown as { rawChannelBench: RawChannelBench }).rawChannelBench.peerId(),
  );
  return { page, peerId };
}

/** Durations (ms) of the User Timing measures named `name` that the page recorded so far. */
export function measures(page: Page, name: string): Promise<number[]> {
  return page.evaluate((entry) => performance.getEntriesByName(entry, 'measure').map((m) => m.duration), name);
}

/** Waits until the page has recorded more than `count` measures named `name`; returns the newest duration. */
export async function nextMeasure(page: Page, name: string, count: number, timeoutMs = 600_000): Promise<number> {
  await page.waitForFunction(
    ([entry, seen]) => performance.getEntriesByName(entry as string, 'measure').length > (seen as number),
    [name, count] as const,
    { timeout: timeoutMs, polling: 50 },
  );
  const all = await measures(page, name);
  return all[all.length - 1]!;
}

/** Starts recording the page's longest main-thread stall (a 20 ms timer's worst lateness). */
export function startStallProbe(page: Page): Promise<void> {
  return page.evaluate(() => {
    const probe = { worst: 0, timer: 0 };
    let last = performance.now();
    probe.timer = window.setInterval(() => {
      const now = performance.now();
      probe.worst = Math.max(probe.worst, now - last - 20);
      last = now;
    }, 20);
    (window as unknown as { stallProbe: typeof probe }).stallProbe = probe;
  });
}

/** Stops the probe and returns the worst stall in ms. */
export function stopStallProbe(page: Page): Promise<number> {
  return page.evaluate(() => {
    const probe = (window as unknown as { stallProbe: { worst: number; timer: number } }).stallProbe;
    clearInterval(probe.timer);
    return probe.worst;
  });
}

/** Shares `file` from the holder's Shoal page through the file picker and waits until it is registered. */
export async function share(page: Page, file: string): Promise<void> {
  await page.getByTestId('share-input').setInputFiles(file);
  const row = page.getByRole('list', { name: 'My shared files' }).getByRole('listitem').last();
  await expect(row).toContainText(/Shared|Already shared/, { timeout: 120_000 });
}

/**
 * One side of a transfer: a browser context and the origin its pages load the tracker's page from. Two sides in one
 * persistent profile differ by origin (`127.0.0.1` and `localhost`), so each has its own storage, like two sites.
 */
export interface BenchSide {
  context: BrowserContext;
  url: string;
}

export interface RawRunOptions {
  /** Reads the browser's CPU time, to report CPU per MiB; without it, `cpuPerMiB` is undefined. */
  cpuTime?: () => Promise<CpuByProcess>;
  /** Runs after the transfer, while both pages are still open. */
  beforeClosing?: () => Promise<void>;
  /**
   * The floor instead of the bare channel: the sender sends this file (of `bytes` bytes) read from disk, and the
   * receiver hashes and stores what arrives (web-client/src/bench/necessary-work.ts).
   */
  necessaryWorkFile?: string;
}

/** One raw transfer of `bytes` from the holder side to the downloader side; MiB/s. */
export async function rawRun(
  holder: BenchSide,
  downloader: BenchSide,
  bytes: number,
  messageSize: number,
  { cpuTime, beforeClosing, necessaryWorkFile }: RawRunOptions = {},
): Promise<{ MiBps: number; cpuPerMiB: CpuByProcess | undefined }> {
  const sender = await openRawChannel(holder.context, holder.url);
  const receiver = await openRawChannel(downloader.context, downloader.url);
  const necessaryWork = necessaryWorkFile !== undefined;
  if (necessaryWorkFile) await sender.page.setInputFiles('#bench-file', necessaryWorkFile);
  const received = receiver.page.evaluate(
    (work) => (window as unknown as { rawChannelBench: RawChannelBench }).rawChannelBench.nextReceive(work),
    necessaryWork,
  );
  const cpuBefore = await cpuTime?.();
  const { ms } = await sender.page.evaluate(
    ([to, total, size, work]) =>
      (window as unknown as { rawChannelBench: RawChannelBench }).rawChannelBench.send(to, total, size, work),
    [receiver.peerId, bytes, messageSize, necessaryWork] as const,
  );
  await received;
  const cpuAfter = await cpuTime?.();
  await beforeClosing?.();
  await sender.page.close();
  await receiver.page.close();
  const cpuPerMiB = cpuBefore && cpuAfter ? cpuPerMiBOf(cpuBefore, cpuAfter, bytes / MiB) : undefined;
  return { MiBps: bytes / MiB / (ms / 1000), cpuPerMiB };
}
