import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { E2E_PORT } from './support/environment.ts';
import { MiB, sha256OfBytes, writeRandomFile } from './support/files.ts';
import {
  expectShared,
  searchFor,
  sha256OfDownload,
  sharedRow,
  shareFolderWithPicker,
  shareWithPicker,
  test,
  trackerStatus,
  transferRow,
} from './support/peers.ts';
import { startTrackerOn } from './support/processes.ts';

/** The row of a watched search in "Watched searches". */
function watchedRow(page: Page, query: string): Locator {
  return page
    .getByRole('list', { name: 'Watched searches' })
    .getByRole('listitem')
    .filter({ hasText: `“${query}”` });
}

/** Records every browser notification the page shows (the real one is still shown). */
async function recordNotifications(page: Page): Promise<void> {
  await page.context().grantPermissions(['notifications']);
  await page.addInitScript(() => {
    const shown: { title: string; body: string }[] = [];
    const Original = window.Notification;
    class Recorded extends Original {
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body ?? '' });
        super(title, options);
      }
    }
    Object.assign(window, { Notification: Recorded, shownNotifications: shown });
  });
  await page.reload();
}

const notificationsOf = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { shownNotifications: { title: string; body: string }[] }).shownNotifications,
  );

/** Clicks "Copy link" on a shared row and reads the link the page put on the clipboard. */
async function copyLink(page: Page, name: string): Promise<string> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await sharedRow(page, name)
    .getByRole('button', { name: `Copy link to ${name}` })
    .click();
  await expect(sharedRow(page, name).getByRole('status')).toHaveText('Link copied');
  return page.evaluate(() => navigator.clipboard.readText());
}

/** The card a share link opens. */
const linkCard = (page: Page) => page.getByRole('region', { name: 'Shared with you' });

test('a watched search shows a match shared later, notifies, and downloads it by itself', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const photo = await writeRandomFile(dir, 'Sunset beach.jpg', 3 * MiB + 123);
  const other = await writeRandomFile(dir, 'Forest walk.jpg', 1000);
  const alice = await peers.open();
  const bob = await peers.open();
  await recordNotifications(bob);

  await bob.getByRole('searchbox', { name: 'Search', exact: true }).fill('sunset');
  await expect(bob.getByText('No files match.')).toBeVisible();
  await bob.getByRole('button', { name: 'Watch this search' }).click();
  await expect(watchedRow(bob, 'sunset')).toContainText('Watching: no new file yet');
  await watchedRow(bob, 'sunset').getByRole('checkbox', { name: 'Download when found' }).check();

  const saved = bob.waitForEvent('download', { timeout: 120_000 });
  await shareWithPicker(alice, [other.path, photo.path]);
  await expectShared(alice, 'Sunset beach.jpg');
  await expectShared(alice, 'Forest walk.jpg');

  // Nothing was clicked on Bob's page: the match arrived and downloaded by itself, byte for byte.
  const file = await saved;
  expect(file.suggestedFilename()).toBe('Sunset beach.jpg');
  expect(await sha256OfDownload(file)).toBe(photo.sha256);
  const matches = bob.getByRole('list', { name: 'New files for sunset' }).getByRole('listitem');
  await expect(matches).toHaveCount(1);
  await expect(matches).toContainText('Sunset beach.jpg');
  await expect(matches).toContainText('3.0 MiB');
  await expect(watchedRow(bob, 'sunset')).toContainText('Watching: 1 new file');
  await expect(transferRow(bob, 'Sunset beach.jpg')).toContainText('Complete');
  expect(await notificationsOf(bob)).toEqual([
    { title: 'New match for “sunset”', body: 'Sunset beach.jpg — downloading it now' },
  ]);

  // Kept across a reload, with what it found; watching again once the page is back.
  await bob.reload();
  await expect(watchedRow(bob, 'sunset')).toContainText('Watching: 1 new file');
  await expect(bob.getByRole('list', { name: 'New files for sunset' })).toContainText('Sunset beach.jpg');
  await watchedRow(bob, 'sunset').getByRole('button', { name: 'Stop watching sunset' }).click();
  await expect(watchedRow(bob, 'sunset')).toHaveCount(0);
});

test('a watched search catches up on what was shared while its page was closed, and downloads it by itself', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const photo = await writeRandomFile(dir, 'Harbour lights at night.jpg', 2 * MiB + 17);
  const bob = await peers.open();
  await bob.getByRole('searchbox', { name: 'Search', exact: true }).fill('harbour lights');
  await expect(bob.getByText('No files match.')).toBeVisible();
  await bob.getByRole('button', { name: 'Watch this search' }).click();
  await expect(watchedRow(bob, 'harbour lights')).toContainText('Watching: no new file yet');
  await watchedRow(bob, 'harbour lights').getByRole('checkbox', { name: 'Download when found' }).check();

  // Bob closes his page: his watch goes with his connection. Alice shares a match meanwhile.
  const browser = bob.context();
  await bob.close();
  const alice = await peers.open();
  await shareWithPicker(alice, [photo.path]);
  await expectShared(alice, 'Harbour lights at night.jpg');

  // Bob comes back in the same browser: the page gives its watch with where to catch up from, and gets the match.
  const back = await browser.newPage();
  const saved = back.waitForEvent('download', { timeout: 120_000 });
  await back.goto('/');
  const file = await saved;
  expect(file.suggestedFilename()).toBe('Harbour lights at night.jpg');
  expect(await sha256OfDownload(file)).toBe(photo.sha256);
  const matches = back.getByRole('list', { name: 'New files for harbour lights' }).getByRole('listitem');
  await expect(matches).toHaveCount(1);
  await expect(matches).toContainText('Harbour lights at night.jpg');
  await expect(watchedRow(back, 'harbour lights')).toContainText('Watching: 1 new file');
  await expect(transferRow(back, 'Harbour lights at night.jpg')).toContainText('Complete');

  // Back again: what it caught up is not news twice.
  await back.reload();
  await expect(watchedRow(back, 'harbour lights')).toContainText('Watching: 1 new file');
  await expect(matches).toHaveCount(1);
});

test('a watch without a word to look for is refused with a hint', async ({ peers }) => {
  const bob = await peers.open();
  await bob.getByRole('searchbox', { name: 'Search', exact: true }).fill('-draft type:video');
  await bob.getByRole('button', { name: 'Watch this search' }).click();
  await expect(bob.getByRole('alert')).toContainText('A watched search needs at least one word');
  await expect(bob.getByRole('list', { name: 'Watched searches' })).toHaveCount(0);
});

test('a copied share link opened in a fresh browser downloads the exact bytes', async ({ peers, tempDir }) => {
  const dir = await tempDir();
  const report = await writeRandomFile(dir, 'Quarterly report #3 & notes.pdf', 5 * MiB + 7);
  const alice = await peers.open();
  await shareWithPicker(alice, [report.path]);
  await expectShared(alice, 'Quarterly report #3 & notes.pdf');
  const link = await copyLink(alice, 'Quarterly report #3 & notes.pdf');
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#\/file\/[0-9a-f]{64}\?/);

  // Someone who never searched: a new browser context (own storage, own peer id) opened on the link.
  const carol = await peers.open(link);
  const card = linkCard(carol);
  await expect(card).toContainText('Quarterly report #3 & notes.pdf');
  await expect(card).toContainText('5.0 MiB');
  await expect(card).toContainText('1 source, 100 % available');
  const saved = carol.waitForEvent('download', { timeout: 120_000 });
  await card.getByRole('button', { name: 'Download Quarterly report #3 & notes.pdf' }).click();
  const file = await saved;
  expect(file.suggestedFilename()).toBe('Quarterly report #3 & notes.pdf');
  expect(await sha256OfDownload(file)).toBe(report.sha256);
  await expect(card).toContainText('Downloading: see Transfers.');
});

test('a link names its content: a renamed hint still gets the linked bytes', async ({ peers }) => {
  const alice = await peers.open();
  const bytes = new Uint8Array(MiB + 5).map((_, i) => (i * 37) % 253);
  await shareWithPicker(alice, [{ name: 'original.bin', mimeType: '', buffer: Buffer.from(bytes) }]);
  await expectShared(alice, 'original.bin');
  const link = new URL(await copyLink(alice, 'original.bin'));
  // Someone edits the name and size in the link: only what is shown changes until the tracker answers.
  link.hash = link.hash.replace(/\?.*$/, '?name=totally-different.exe&size=1');
  const carol = await peers.open(link.toString());
  await expect(linkCard(carol)).toContainText('original.bin');
  const saved = carol.waitForEvent('download');
  await linkCard(carol).getByRole('button', { name: 'Download original.bin' }).click();
  expect(await sha256OfDownload(await saved)).toBe(sha256OfBytes(bytes));
});

test('a link to a file nobody holds says so and completes by itself when a holder shares it again', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const song = await writeRandomFile(dir, 'Harbour song.mp3', 2 * MiB + 99);
  const alice = await peers.open();
  await shareWithPicker(alice, [song.path]);
  await expectShared(alice, 'Harbour song.mp3');
  const link = await copyLink(alice, 'Harbour song.mp3');
  await sharedRow(alice, 'Harbour song.mp3').getByRole('button', { name: 'Remove Harbour song.mp3' }).click();
  await expect(sharedRow(alice, 'Harbour song.mp3')).toHaveCount(0);

  const carol = await peers.open(link);
  await expect(linkCard(carol)).toContainText(
    'Nobody holds this file right now — it will start by itself when a holder appears.',
  );
  // The link's hints are shown meanwhile.
  await expect(linkCard(carol)).toContainText('Harbour song.mp3');
  await expect(linkCard(carol)).toContainText('2.0 MiB');

  const saved = carol.waitForEvent('download', { timeout: 120_000 });
  await shareWithPicker(alice, [song.path]);
  const file = await saved;
  expect(file.suggestedFilename()).toBe('Harbour song.mp3');
  expect(await sha256OfDownload(file)).toBe(song.sha256);
  await expect(transferRow(carol, 'Harbour song.mp3')).toContainText('Complete');
});

test('a shared folder has a link too, and it downloads the whole folder', async ({ peers, tempDir }) => {
  const dir = path.join(await tempDir(), 'trip');
  await mkdir(dir);
  const first = await writeRandomFile(dir, 'day one.jpg', MiB + 1);
  const second = await writeRandomFile(dir, 'notes.txt', 2000);
  const alice = await peers.open();
  await shareFolderWithPicker(alice, dir);
  await expectShared(alice, 'trip');
  const link = await copyLink(alice, 'trip');
  expect(link).toContain('#/folder/');

  const carol = await peers.open(link);
  await expect(linkCard(carol)).toContainText('Folder');
  const saved = carol.waitForEvent('download', { timeout: 120_000 });
  await linkCard(carol).getByRole('button', { name: 'Download trip' }).click();
  const zip = await saved;
  expect(zip.suggestedFilename()).toBe('trip.zip');
  const entries = unzipSync(new Uint8Array(await readFile(await zip.path())));
  expect(sha256OfBytes(entries['trip/day one.jpg'] ?? new Uint8Array())).toBe(first.sha256);
  expect(sha256OfBytes(entries['trip/notes.txt'] ?? new Uint8Array())).toBe(second.sha256);
});

test('a watch shows only news: not what search already found, nor what the page shares itself', async ({ peers }) => {
  const alice = await peers.open();
  await shareWithPicker(alice, [{ name: 'sunset old.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('old') }]);
  await expectShared(alice, 'sunset old.jpg');
  const bob = await peers.open();
  await searchFor(bob, 'sunset', 'sunset old.jpg');
  await bob.getByRole('button', { name: 'Watch this search' }).click();
  await expect(watchedRow(bob, 'sunset')).toContainText('Watching: no new file yet');
  // What Bob shares himself is no news to him.
  await shareWithPicker(bob, [{ name: 'sunset mine.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('mine') }]);
  await expectShared(bob, 'sunset mine.jpg');
  await shareWithPicker(alice, [{ name: 'sunset new.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('new') }]);
  const matches = bob.getByRole('list', { name: 'New files for sunset' }).getByRole('listitem');
  await expect(matches).toHaveCount(1);
  await expect(matches).toContainText('sunset new.jpg');
});

test('watches are given to the tracker again after it restarts', async ({ peers }) => {
  // A tracker of this test's own, so it can be killed without disturbing the others.
  const port = E2E_PORT + 7;
  const base = `http://127.0.0.1:${port}`;
  let tracker = await startTrackerOn(port);
  try {
    const bob = await peers.open(base);
    await bob.getByRole('searchbox', { name: 'Search', exact: true }).fill('lighthouse');
    await bob.getByRole('button', { name: 'Watch this search' }).click();
    await expect(watchedRow(bob, 'lighthouse')).toContainText('Watching');

    await tracker.kill();
    await expect(watchedRow(bob, 'lighthouse')).toContainText('Waiting for the tracker');
    tracker = await startTrackerOn(port);
    await expect(trackerStatus(bob)).toContainText('Online', { timeout: 30_000 });
    await expect(watchedRow(bob, 'lighthouse')).toContainText('Watching: no new file yet');

    const alice = await peers.open(base);
    await shareWithPicker(alice, [{ name: 'Lighthouse at dawn.png', mimeType: 'image/png', buffer: Buffer.from('x') }]);
    await expect(bob.getByRole('list', { name: 'New files for lighthouse' })).toContainText('Lighthouse at dawn.png');
  } finally {
    await tracker.kill();
  }
});
