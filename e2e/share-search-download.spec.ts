import { expect } from '@playwright/test';
import { MiB, sha256OfBytes, writeRandomFile } from './support/files.ts';
import {
  download,
  dropFiles,
  expectShared,
  test,
  searchFor,
  sha256OfDownload,
  sharedRow,
  shareWithPicker,
  transferRow,
} from './support/peers.ts';

test('a dropped file and a picked file are shared, found by search and removable', async ({ peers }) => {
  const alice = await peers.open();
  const bob = await peers.open();

  await dropFiles(alice, [{ name: 'holiday notes.txt', type: 'text/plain', bytes: new TextEncoder().encode('sunny') }]);
  await expectShared(alice, 'holiday notes.txt');
  await shareWithPicker(alice, [
    { name: 'Quarterly Report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 fake') },
  ]);
  await expectShared(alice, 'Quarterly Report.pdf');

  // Results appear as Bob types, by prefix, case-insensitively, with size and holder count.
  const row = await searchFor(bob, 'quart', 'Quarterly Report.pdf');
  await expect(row).toContainText('13 B');
  await expect(row).toContainText('1 source, 100 % available');
  await searchFor(bob, 'HOLIDAY', 'holiday notes.txt');

  await sharedRow(alice, 'holiday notes.txt')
    .getByRole('button', { name: /^Remove/ })
    .click();
  await expect(sharedRow(alice, 'holiday notes.txt')).toHaveCount(0);
  await bob.getByRole('searchbox', { name: 'Search', exact: true }).fill('holiday no');
  await expect(bob.getByText('No files match.')).toBeVisible();
});

test('an empty file and a small file with a Unicode name download byte-identical', async ({ peers }) => {
  const alice = await peers.open();
  const bob = await peers.open();
  const unicodeName = 'Ünïcødé ファイル 🎵 with spaces.bin';
  const small = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
  await dropFiles(alice, [
    { name: 'empty-file.dat', bytes: new Uint8Array(0) },
    { name: unicodeName, bytes: small },
  ]);
  await expectShared(alice, 'empty-file.dat');
  await expectShared(alice, unicodeName);

  const emptySaved = await download(bob, await searchFor(bob, 'empty', 'empty-file.dat'));
  expect(emptySaved.suggestedFilename()).toBe('empty-file.dat');
  expect(await sha256OfDownload(emptySaved)).toBe(sha256OfBytes(new Uint8Array(0)));

  // Accent- and case-insensitive: "unicode" finds "Ünïcødé".
  const smallSaved = await download(bob, await searchFor(bob, 'unicode', unicodeName));
  expect(smallSaved.suggestedFilename()).toBe(unicodeName);
  expect(await sha256OfDownload(smallSaved)).toBe(sha256OfBytes(small));
  await expect(transferRow(bob, unicodeName)).toContainText('Complete');
  await expect(transferRow(bob, unicodeName).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
});

test('a 64 MiB file downloads with visible progress and arrives byte-identical', async ({ peers, tempDir }) => {
  const dir = await tempDir();
  const big = await writeRandomFile(dir, 'big-video.mkv', 64 * MiB);
  const alice = await peers.open();
  const bob = await peers.open();
  await shareWithPicker(alice, [big.path]);
  await expectShared(alice, 'big-video.mkv');

  const row = await searchFor(bob, 'big vid', 'big-video.mkv');
  await expect(row).toContainText('64 MiB');
  const saved = download(bob, row);
  const progress = transferRow(bob, 'big-video.mkv').getByRole('progressbar');
  // Part-way through, the bar shows a value between 0 and 100, with a speed and time left.
  await expect(async () => {
    const value = Number(await progress.getAttribute('aria-valuenow'));
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThan(100);
  }).toPass({ timeout: 60_000, intervals: [50] });
  await expect(transferRow(bob, 'big-video.mkv')).toContainText(/\/s · .* left/);
  const file = await saved;
  expect(file.suggestedFilename()).toBe('big-video.mkv');
  expect(await sha256OfDownload(file)).toBe(big.sha256);
  await expect(progress).toHaveAttribute('aria-valuenow', '100');
});

test('file names are shown as text, never interpreted as HTML', async ({ peers }) => {
  const alice = await peers.open();
  const bob = await peers.open();
  const name = '<img src=x onerror="document.title=\'pwned\'"><b>bold</b>.txt';
  await dropFiles(alice, [{ name, bytes: new TextEncoder().encode('x') }]);
  await expectShared(alice, name);
  await searchFor(bob, 'img src', name);
  await expect(bob.locator('main img, main b')).toHaveCount(0);
  expect(await bob.title()).toBe('Shoal');
});

test('a finished download can be saved again where the person picks, streamed to the chosen file', async ({
  peers,
}) => {
  const alice = await peers.open();
  const bob = await peers.open();
  // The save dialog is the browser's own and automation cannot click it: it is replaced by one that picks a file
  // in the page's private file system. Everything after the pick (streaming into the writable file) is the real path.
  await bob.addInitScript(() => {
    Object.assign(window, {
      showSaveFilePicker: async ({ suggestedName }: { suggestedName: string }) =>
        (await navigator.storage.getDirectory()).getFileHandle(`picked-${suggestedName}`, { create: true }),
    });
  });
  await bob.reload();
  const bytes = new Uint8Array(5 * MiB).map((_, i) => (i * 31) % 253);
  await shareWithPicker(alice, [{ name: 'keep-me.bin', mimeType: '', buffer: Buffer.from(bytes) }]);
  await expectShared(alice, 'keep-me.bin');
  await download(bob, await searchFor(bob, 'keep', 'keep-me.bin'));
  await bob.getByRole('button', { name: 'Save keep-me.bin as' }).click();
  await expect(async () => {
    const digest = await bob.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const file = await (await root.getFileHandle('picked-keep-me.bin')).getFile();
      const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
      return Array.from(hash, (byte) => byte.toString(16).padStart(2, '0')).join('');
    });
    expect(digest).toBe(sha256OfBytes(bytes));
  }).toPass({ timeout: 20_000 });
});

test('downloading a file the page already holds saves that copy at once, and it stays shared', async ({ peers }) => {
  const alice = await peers.open();
  const bytes = new Uint8Array(3 * MiB).map((_, i) => (i * 17) % 241);
  await shareWithPicker(alice, [{ name: 'mine-already.bin', mimeType: '', buffer: Buffer.from(bytes) }]);
  await expectShared(alice, 'mine-already.bin');
  const saved = await download(alice, await searchFor(alice, 'mine-already', 'mine-already.bin'));
  expect(await sha256OfDownload(saved)).toBe(sha256OfBytes(bytes));
  await expect(sharedRow(alice, 'mine-already.bin')).toContainText('Shared');

  const bob = await peers.open();
  const fromAlice = await download(bob, await searchFor(bob, 'mine-already', 'mine-already.bin'));
  expect(await sha256OfDownload(fromAlice)).toBe(sha256OfBytes(bytes));
});
