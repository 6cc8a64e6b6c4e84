import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import {
  download,
  expectShared,
  searchFor,
  sharedRow,
  shareFolderWithPicker,
  test,
  transferRow,
} from './support/peers.ts';
import { MiB } from './support/files.ts';

/** Files of the test folder by path inside it; bytes generated so each differs. */
const FILES: Record<string, number> = {
  'read me.txt': 1_000,
  'empty.dat': 0,
  'photos/beach.jpg': 2 * MiB + 17,
  'photos/Ünïcødé 🎵/song.mp3': MiB,
  'docs/deep/deeper/notes.md': 5_000,
};

function bytesOf(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 131 + seed * 7) % 251;
  return bytes;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Writes the test folder under `dir/name` (with an empty folder in it) and returns each file's SHA-256. */
async function writeFolder(dir: string, name: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  let seed = 1;
  for (const [relative, size] of Object.entries(FILES)) {
    const file = path.join(dir, name, relative);
    await mkdir(path.dirname(file), { recursive: true });
    const bytes = bytesOf(size, seed++);
    await writeFile(file, bytes);
    hashes[relative] = sha256(bytes);
  }
  await mkdir(path.join(dir, name, 'nothing in here'), { recursive: true });
  return hashes;
}

/** Downloads a folder result and reads the zip the browser saved: its entries by path. */
async function downloadFolder(page: Page, name: string): Promise<Record<string, Uint8Array>> {
  const row = await searchFor(page, name, name);
  await expect(row).toContainText('Folder');
  const saved = await download(
    page,
    row.filter({ has: page.getByRole('button', { name: `Download folder ${name}` }) }),
  );
  expect(saved.suggestedFilename()).toBe(`${name}.zip`);
  const zip = unzipSync(new Uint8Array(await readFile(await saved.path())));
  await expect(transferRow(page, name)).toContainText('Complete');
  return zip;
}

function expectFolderContent(zip: Record<string, Uint8Array>, name: string, hashes: Record<string, string>): void {
  for (const [relative, hash] of Object.entries(hashes)) {
    const entry = zip[`${name}/${relative}`];
    expect(entry, relative).toBeDefined();
    expect(sha256(entry!), relative).toBe(hash);
  }
  const files = Object.keys(zip).filter((entry) => !entry.endsWith('/'));
  expect(files.sort()).toEqual(
    Object.keys(hashes)
      .map((relative) => `${name}/${relative}`)
      .sort(),
  );
}

test('a folder shared with the folder button is found by search and downloads with its structure', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const hashes = await writeFolder(dir, 'summer-trip');
  const alice = await peers.open();
  await shareFolderWithPicker(alice, path.join(dir, 'summer-trip'));
  await expectShared(alice, 'summer-trip');
  await expect(sharedRow(alice, 'summer-trip')).toContainText('Folder');

  const bob = await peers.open();
  // The files in it are found by their own names too.
  await searchFor(bob, 'beach', 'beach.jpg');
  const zip = await downloadFolder(bob, 'summer-trip');
  expectFolderContent(zip, 'summer-trip', hashes);
});

test('a folder dropped on the page, empty folder included, downloads with its structure', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const hashes = await writeFolder(dir, 'dropped-trip');
  const alice = await peers.open();
  // A real drag of a folder from the desktop, through the browser's own drag and drop (DevTools protocol).
  const cdp = await alice.context().newCDPSession(alice);
  const data = { items: [], files: [path.join(dir, 'dropped-trip')], dragOperationsMask: 1 };
  const drag = (type: 'dragEnter' | 'dragOver' | 'drop') =>
    cdp.send('Input.dispatchDragEvent', { type, x: 200, y: 200, data });
  await drag('dragEnter');
  await drag('dragOver');
  // The page shows its drop overlay once it has taken the drag; dropping before that can be dropped on nothing.
  await expect(alice.locator('.drop-overlay')).toBeVisible();
  await drag('dragOver');
  await drag('drop');
  await expectShared(alice, 'dropped-trip');

  const bob = await peers.open();
  const zip = await downloadFolder(bob, 'dropped-trip');
  expectFolderContent(zip, 'dropped-trip', hashes);
  expect(Object.keys(zip)).toContain('dropped-trip/nothing in here/');
});

test('a folder download goes on after a reload and saves the whole folder', async ({ peers, tempDir }) => {
  const dir = await tempDir();
  const hashes = await writeFolder(dir, 'long-trip');
  const big = bytesOf(24 * MiB, 99);
  await writeFile(path.join(dir, 'long-trip', 'video.bin'), big);
  hashes['video.bin'] = sha256(big);
  // A slow holder (8 MiB/s), so the reload lands mid-transfer.
  const alice = await peers.open('/?uploadKiBps=8192');
  await shareFolderWithPicker(alice, path.join(dir, 'long-trip'));
  await expectShared(alice, 'long-trip');

  const bob = await peers.open();
  const row = await searchFor(bob, 'long-trip', 'long-trip');
  await row.getByRole('button', { name: 'Download folder long-trip' }).click();
  const progress = transferRow(bob, 'long-trip').getByRole('progressbar');
  // While the listing is fetched the folder's size is not known yet and its bar reads full: wait for the size, so the
  // reload lands once its files are downloading (and so kept in storage).
  await expect(transferRow(bob, 'long-trip')).toContainText('of 27 MiB');
  await expect(async () => expect(Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThan(20)).toPass({
    timeout: 60_000,
    intervals: [100],
  });
  const saved = bob.waitForEvent('download', { timeout: 120_000 });
  await bob.reload();
  await expect(transferRow(bob, 'long-trip')).toBeVisible();
  const zip = unzipSync(new Uint8Array(await readFile(await (await saved).path())));
  expectFolderContent(zip, 'long-trip', hashes);
});

test('after a reload, a folder shared from disk asks for access again; picking it shares it again', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const hashes = await writeFolder(dir, 'kept-trip');
  const alice = await peers.open();
  await shareFolderWithPicker(alice, path.join(dir, 'kept-trip'));
  await expectShared(alice, 'kept-trip');

  await alice.reload();
  await expect(sharedRow(alice, 'kept-trip')).toContainText('Needs access again');
  const again = alice.waitForEvent('filechooser');
  await alice.getByRole('button', { name: 'Pick kept-trip again' }).click();
  await (await again).setFiles(path.join(dir, 'kept-trip'));
  await expectShared(alice, 'kept-trip');
  await expect(sharedRow(alice, 'kept-trip')).toHaveCount(1);

  const bob = await peers.open();
  expectFolderContent(await downloadFolder(bob, 'kept-trip'), 'kept-trip', hashes);
});
