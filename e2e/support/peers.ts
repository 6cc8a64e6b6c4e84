import {
  test as base,
  chromium,
  expect,
  type BrowserContext,
  type Download,
  type Locator,
  type Page,
} from '@playwright/test';
import { rm } from 'node:fs/promises';
import { CHROMIUM_ARGS, E2E_PORT } from './environment.ts';
import { makeTempDir, sha256OfFile } from './files.ts';

/** Opens people's pages for one test and closes them all when it ends. */
export interface Peers {
  /** A person's page: its own browser context (own storage, own peer id), on the Shoal page, connected. */
  open(baseURL?: string): Promise<Page>;
  /**
   * A person's page in a browser of its own whose profile lives in `userDataDir`: storage there is on disk (a
   * Playwright context's is in memory) and outlives the browser; opening the same folder again is coming back.
   */
  openPersistent(userDataDir: string, baseURL?: string): Promise<Page>;
}

/** Makes a fresh temporary folder for the running test; every one is removed when the test ends. */
export type TempDir = () => Promise<string>;

/** The Playwright `test` with `peers` and `tempDir` fixtures. */
export const test = base.extend<{ peers: Peers; tempDir: TempDir }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
  tempDir: async ({}, use) => {
    const made: string[] = [];
    await use(async () => {
      const dir = await makeTempDir();
      made.push(dir);
      return dir;
    });
    // Test files reach a gibibyte: left behind, a few hundred runs fill the disk.
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
  },
  // Takes `tempDir` so that it is torn down first: browsers whose profiles live in those folders close before
  // the folders go.
  peers: async ({ browser, tempDir: _tempDir }, use) => {
    const contexts: BrowserContext[] = [];
    await use({
      async open(baseURL) {
        const context = await browser.newContext({ acceptDownloads: true });
        contexts.push(context);
        const page = await context.newPage();
        await page.goto(baseURL ?? '/');
        await expect(trackerStatus(page)).toContainText('Online');
        return page;
      },
      async openPersistent(userDataDir, baseURL) {
        const context = await chromium.launchPersistentContext(userDataDir, {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: CHROMIUM_ARGS,
          acceptDownloads: true,
          baseURL: baseURL ?? `http://127.0.0.1:${E2E_PORT}`,
        });
        contexts.push(context);
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto('/');
        await expect(trackerStatus(page)).toContainText('Online');
        return page;
      },
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
});

export function trackerStatus(page: Page): Locator {
  return page.getByRole('status', { name: 'Tracker connection' });
}

/** The row of a file in "My shared files". */
export function sharedRow(page: Page, name: string): Locator {
  return page.getByRole('list', { name: 'My shared files' }).getByRole('listitem').filter({ hasText: name });
}

/** Shares files through the "Share files" button and its file chooser, as a person would. */
export async function shareWithPicker(
  page: Page,
  files: string[] | { name: string; mimeType: string; buffer: Buffer }[],
): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Share files' }).click();
  await (await chooser).setFiles(files);
}

/** Shares a folder through the "Share folder" button and the browser's folder chooser, as a person would. */
export async function shareFolderWithPicker(page: Page, folder: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Share folder' }).click();
  await (await chooser).setFiles(folder);
}

/** Drops in-memory files onto the page, as a drag from the desktop would. */
export async function dropFiles(
  page: Page,
  files: { name: string; type?: string; bytes: Uint8Array }[],
): Promise<void> {
  const payload = files.map((file) => ({ name: file.name, type: file.type ?? '', data: Array.from(file.bytes) }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const file of list) transfer.items.add(new File([new Uint8Array(file.data)], file.name, { type: file.type }));
    return transfer;
  }, payload);
  const target = page.locator('main');
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

/** Waits until a shared file has been hashed and registered. */
export async function expectShared(page: Page, name: string): Promise<void> {
  await expect(sharedRow(page, name)).toContainText('Shared', { timeout: 60_000 });
  await expect(sharedRow(page, name)).not.toContainText('waiting for the tracker');
}

/** Types a query into the search box and returns the result row of `name`. */
export async function searchFor(page: Page, query: string, name: string): Promise<Locator> {
  await page.getByRole('searchbox', { name: 'Search', exact: true }).fill(query);
  const row = page.getByRole('list', { name: 'Search results' }).getByRole('listitem').filter({ hasText: name });
  await expect(row).toBeVisible();
  return row;
}

/** The transfer row of a download. */
export function transferRow(page: Page, name: string): Locator {
  return page.getByRole('list', { name: 'Transfers' }).getByRole('listitem').filter({ hasText: name });
}

/** Clicks "Download" on a result row and returns the browser download it ends with. */
export async function download(page: Page, resultRow: Locator, timeout = 120_000): Promise<Download> {
  const saved = page.waitForEvent('download', { timeout });
  await resultRow.getByRole('button', { name: /^Download/ }).click();
  return saved;
}

/** SHA-256 of a finished browser download (read before its context closes, which deletes it). */
export async function sha256OfDownload(saved: Download): Promise<string> {
  const file = await saved.path();
  return sha256OfFile(file);
}
