import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { KiB, MiB, sha256OfBytes } from './support/files.ts';
import { download, expectShared, sha256OfDownload, shareWithPicker, test, trackerStatus } from './support/peers.ts';

/** Bytes of a given size that differ by seed (so each file is its own content). */
function bytesOf(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 131 + seed * 7) % 251;
  return bytes;
}

const searchBox = (page: Page) => page.getByRole('searchbox', { name: 'Search', exact: true });
const filters = (page: Page) => page.getByRole('group', { name: 'Search filters' });
const results = (page: Page) => page.getByRole('list', { name: 'Search results' }).getByRole('listitem');
const resultRow = (page: Page, name: string) => results(page).filter({ hasText: name });

/** The names of the result rows, in order, exactly these. */
async function expectResults(page: Page, names: string[]): Promise<void> {
  await expect(page.getByRole('list', { name: 'Search results' }).locator('.name')).toHaveText(names);
}

/** Sets the size range controls (empty strings clear them). */
async function setSizeRange(page: Page, min: string, max: string, unit = 'MB'): Promise<void> {
  await filters(page).getByLabel('Min size', { exact: true }).fill(min);
  await filters(page).getByLabel('Min size unit').selectOption(unit);
  await filters(page).getByLabel('Max size', { exact: true }).fill(max);
  await filters(page).getByLabel('Max size unit').selectOption(unit);
}

/**
 * Routes the page's tracker connection through the test (a reload reconnects through it): every message the page
 * sends is recorded, and passed on as `rewrite` makes it.
 */
async function routeTracker(page: Page, rewrite: (message: string) => string = (message) => message) {
  const sent: string[] = [];
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const text = typeof message === 'string' ? message : message.toString();
      sent.push(text);
      server.send(rewrite(text));
    });
  });
  await page.reload();
  await expect(trackerStatus(page)).toContainText('Online');
  return { searchesSent: () => sent.filter((message) => message.includes('"files:search"')) };
}

test('filters by type and size with the controls and by typed syntax; a filtered result downloads intact', async ({
  peers,
}) => {
  const alice = await peers.open();
  const bob = await peers.open();
  const small = bytesOf(300 * KiB, 1);
  const big = bytesOf(3 * MiB, 2);
  const paper = bytesOf(200 * KiB, 3);
  await shareWithPicker(alice, [
    { name: 'harbour small.mp4', mimeType: 'video/mp4', buffer: small },
    { name: 'harbour big.mp4', mimeType: 'video/mp4', buffer: big },
    { name: 'harbour guide.pdf', mimeType: 'application/pdf', buffer: paper },
  ]);
  for (const name of ['harbour small.mp4', 'harbour big.mp4', 'harbour guide.pdf']) await expectShared(alice, name);

  await searchBox(bob).fill('harbour');
  await expect(results(bob)).toHaveCount(3);

  // The type control: the videos only.
  await filters(bob).getByLabel('Type').selectOption('video');
  await expectResults(bob, ['harbour big.mp4', 'harbour small.mp4']);
  // And a size range: above 1 MB, then below it.
  await setSizeRange(bob, '1', '');
  await expectResults(bob, ['harbour big.mp4']);
  await setSizeRange(bob, '', '1');
  await expectResults(bob, ['harbour small.mp4']);
  // Sorted by size, largest first, any type.
  await setSizeRange(bob, '', '');
  await filters(bob).getByLabel('Type').selectOption('');
  await filters(bob).getByLabel('Sort by').selectOption('size');
  await expectResults(bob, ['harbour big.mp4', 'harbour small.mp4', 'harbour guide.pdf']);
  await filters(bob).getByLabel('Sort by').selectOption('relevance');

  // The same filters typed in the box, with no control set.
  await searchBox(bob).fill('harbour ext:pdf');
  await expectResults(bob, ['harbour guide.pdf']);
  await searchBox(bob).fill('type:video size:>1MB harbour');
  await expectResults(bob, ['harbour big.mp4']);
  await searchBox(bob).fill('harbour -big type:video');
  await expectResults(bob, ['harbour small.mp4']);
  // Typed and control filters together: the control's kind or the typed one.
  await filters(bob).getByLabel('Type').selectOption('document');
  await expectResults(bob, ['harbour guide.pdf', 'harbour small.mp4']);

  // Downloading a filtered result gives its exact bytes.
  await filters(bob).getByLabel('Type').selectOption('video');
  await setSizeRange(bob, '1', '');
  await searchBox(bob).fill('harb');
  await expectResults(bob, ['harbour big.mp4']);
  const saved = await download(bob, resultRow(bob, 'harbour big.mp4'));
  expect(saved.suggestedFilename()).toBe('harbour big.mp4');
  expect(await sha256OfDownload(saved)).toBe(sha256OfBytes(big));
});

test('the same bytes shared under two names by two pages are one row, with both names and 2 sources', async ({
  peers,
}) => {
  const alice = await peers.open();
  const carol = await peers.open();
  const bob = await peers.open();
  const bytes = bytesOf(500 * KiB, 9);
  await shareWithPicker(alice, [{ name: 'sunrise.mp4', mimeType: 'video/mp4', buffer: bytes }]);
  await shareWithPicker(carol, [{ name: 'morning light.mp4', mimeType: 'video/mp4', buffer: bytes }]);
  await expectShared(alice, 'sunrise.mp4');
  await expectShared(carol, 'morning light.mp4');

  await searchBox(bob).fill('sunrise');
  await expectResults(bob, ['sunrise.mp4']);
  await expect(resultRow(bob, 'sunrise.mp4')).toContainText('also shared as morning light.mp4');
  await expect(resultRow(bob, 'sunrise.mp4')).toContainText('2 sources');

  // By type alone: still one row for the content.
  await searchBox(bob).fill('');
  await filters(bob).getByLabel('Type').selectOption('video');
  await expect(results(bob)).toHaveCount(1);
  await expect(results(bob).first()).toContainText('2 sources');
  await expect(results(bob).first()).toContainText(/also shared as (sunrise|morning light)\.mp4/);

  // Found by the other name, shown under it.
  await filters(bob).getByLabel('Type').selectOption('');
  await searchBox(bob).fill('morning');
  await expectResults(bob, ['morning light.mp4']);
  await expect(resultRow(bob, 'morning light.mp4')).toContainText('also shared as sunrise.mp4');
  const saved = await download(bob, resultRow(bob, 'morning light.mp4'));
  expect(await sha256OfDownload(saved)).toBe(sha256OfBytes(bytes));
});

test('a wrong filter gets a readable hint from the page, without asking the tracker', async ({ peers }) => {
  const alice = await peers.open();
  const bob = await peers.open();
  await shareWithPicker(alice, [{ name: 'harbour guide.pdf', mimeType: 'application/pdf', buffer: bytesOf(10, 4) }]);
  await expectShared(alice, 'harbour guide.pdf');
  const tracker = await routeTracker(bob);

  await searchBox(bob).fill('harbour');
  await expectResults(bob, ['harbour guide.pdf']);
  await searchBox(bob).fill('harbour type:movie');
  await expect(bob.getByText('Unknown type "movie": use type:audio')).toBeVisible();
  await expect(results(bob)).toHaveCount(0);
  // A size the control cannot read, and a range that is empty.
  await searchBox(bob).fill('harbour');
  await setSizeRange(bob, 'ten', '');
  await expect(bob.getByText('Write sizes like size:>100MB')).toBeVisible();
  await setSizeRange(bob, '5', '1');
  await expect(bob.getByText('The size range is empty')).toBeVisible();
  await setSizeRange(bob, '', '');
  await expectResults(bob, ['harbour guide.pdf']);

  const sent = tracker.searchesSent();
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.filter((message) => /type:movie|tenMB|5MB\.\.1MB/.test(message))).toEqual([]);
});

test("the tracker's hint shows when it finds a filter wrong that the page let through", async ({ peers }) => {
  const alice = await peers.open();
  const bob = await peers.open();
  await shareWithPicker(alice, [{ name: 'harbour guide.pdf', mimeType: 'application/pdf', buffer: bytesOf(10, 5) }]);
  await expectShared(alice, 'harbour guide.pdf');
  // As if the page were older than the tracker: what it sends is judged by the tracker alone.
  await routeTracker(bob, (message) => message.replace('"query":"harbour"', '"query":"harbour size:huge"'));
  await searchBox(bob).fill('harbour');
  await expect(bob.getByText('Write sizes like size:>100MB')).toBeVisible();
  await expect(bob.getByText('Search failed')).toHaveCount(0);
  await searchBox(bob).fill('harbour guide');
  await expectResults(bob, ['harbour guide.pdf']);
});

test('"More results" appends the next page, in order, each file once', async ({ peers, tempDir }) => {
  const dir = await tempDir();
  const folder = path.join(dir, 'album');
  await mkdir(folder);
  const count = 105;
  const names = Array.from({ length: count }, (_, i) => `reef track ${String(i + 1).padStart(3, '0')}.ogg`);
  for (const [i, name] of names.entries()) await writeFile(path.join(folder, name), bytesOf(64 + i, i));
  const alice = await peers.open();
  const bob = await peers.open();
  const chooser = alice.waitForEvent('filechooser');
  await alice.getByRole('button', { name: 'Share folder' }).click();
  await (await chooser).setFiles(folder);
  await expectShared(alice, 'album');

  await searchBox(bob).fill('reef track');
  await expect(bob.getByText(`Showing 100 of ${count} files`)).toBeVisible();
  await expectResults(bob, names.slice(0, 100));
  await bob.getByRole('button', { name: 'More results' }).click();
  await expectResults(bob, names);
  await expect(bob.getByRole('button', { name: 'More results' })).toHaveCount(0);
  await expect(bob.getByText(`${count} files`, { exact: true })).toBeVisible();
});
