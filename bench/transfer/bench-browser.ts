import { rm } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../e2e/support/environment.ts';
import { browserProcessOf, launchedBrowserProcess } from '../../e2e/support/browser-memory.ts';
import { makeTempDir } from '../../e2e/support/files.ts';
import type { BenchSide } from './pages.ts';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * How the two pages of a transfer live in one Chromium:
 * - `profile`: one ordinary (persistent) profile, the holder's tab on `127.0.0.1` and the downloader's on
 *   `localhost`: two tabs of one browser as people use it, each origin with its own storage, on disk.
 * - `incognito`: two incognito contexts, whose storage (the Origin Private File System included) lives in the
 *   browser process's memory, so every stored byte crosses into it.
 */
export type BenchProfile = 'profile' | 'incognito';

export const BENCH_PROFILES: readonly BenchProfile[] = ['profile', 'incognito'];

/** One Chromium for a transfer benchmark, with a holder side and fresh downloader sides. */
export interface BenchBrowser {
  readonly holder: BenchSide;
  /** The browser process, whose tree's CPU time the benchmark reads. */
  readonly pid: number;
  /** A downloader side with empty storage: call {@link dropDownloader} when its round is over. */
  newDownloader(): Promise<BenchSide>;
  dropDownloader(side: BenchSide): Promise<void>;
  close(): Promise<void>;
}

/** Starts Chromium for `profile`, the tracker's page at `trackerUrl` (an `http://127.0.0.1:<port>` URL). */
export async function launchBenchBrowser(profile: BenchProfile, trackerUrl: string): Promise<BenchBrowser> {
  if (profile === 'incognito') {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const pid = await launchedBrowserProcess();
    return {
      holder: { context: await browser.newContext(), url: trackerUrl },
      pid,
      newDownloader: async () => ({ context: await browser.newContext(), url: trackerUrl }),
      dropDownloader: (side) => side.context.close(),
      close: () => browser.close(),
    };
  }
  const userDataDir = await makeTempDir();
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  const pid = await browserProcessOf(userDataDir);
  const downloaderUrl = trackerUrl.replace('//127.0.0.1:', '//localhost:');
  if (downloaderUrl === trackerUrl) throw new Error(`the tracker URL must be on 127.0.0.1: ${trackerUrl}`);
  return {
    holder: { context, url: trackerUrl },
    pid,
    newDownloader: async () => ({ context, url: downloaderUrl }),
    // Its pages are closed by then; what it stored (downloads, settings) goes, as a new round starts from nothing.
    dropDownloader: async () => {
      const page = context.pages()[0] ?? (await context.newPage());
      const cdp = await context.newCDPSession(page);
      try {
        await cdp.send('Storage.clearDataForOrigin', { origin: new URL(downloaderUrl).origin, storageTypes: 'all' });
      } finally {
        await cdp.detach();
      }
    },
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
