import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { MiB, sha256OfBytes, writeRandomFile } from './support/files.ts';
import { expectShared, searchFor, shareWithPicker, test, transferRow } from './support/peers.ts';

/** Writes a folder of random files under `dir/name` and returns each file's SHA-256 by its path inside it. */
async function writeFolder(dir: string, name: string, sizes: Record<string, number>): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const [relative, size] of Object.entries(sizes)) {
    await mkdir(path.dirname(path.join(dir, name, relative)), { recursive: true });
    hashes[relative] = (await writeRandomFile(dir, path.join(name, relative), size)).sha256;
  }
  return hashes;
}

/** Shares a folder through the "Share folder" button and the browser's folder chooser. */
async function shareFolder(page: Page, folder: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Share folder' }).click();
  await (await chooser).setFiles(folder);
  await expectShared(page, path.basename(folder));
}

/** Changes the page's display name from the header, as a person would. */
async function rename(page: Page, typed: string, shown = typed): Promise<void> {
  await page.getByRole('button', { name: 'Change name' }).click();
  await page.getByRole('textbox', { name: 'Display name' }).fill(typed);
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByTestId('my-display-name')).toHaveText(shown);
}

/** Finds a file by search, opens its sources and clicks the holder called `holder`: the browse view opens. */
async function browseHolderOf(page: Page, fileName: string, holder: string): Promise<Locator> {
  const row = await searchFor(page, fileName, fileName);
  await row.getByRole('button', { name: `Show sources of ${fileName}` }).click();
  await row
    .getByRole('list', { name: `Sources of ${fileName}` })
    .getByRole('button', { name: `Browse ${holder}` })
    .click();
  const view = page.getByRole('region', { name: `Browsing ${holder}` });
  await expect(view).toBeVisible();
  return view;
}

/** The entry rows of the browse view, by name. */
function entries(view: Locator): Locator {
  return view.getByRole('list', { name: /^Shared by / }).getByRole('listitem');
}

/** The names listed in the browse view, in order. */
async function listed(view: Locator): Promise<string[]> {
  return (await entries(view).allInnerTexts()).map((text) => text.split('\n')[0]!.trim());
}

/** Clicks a download button in the browse view and reads what the browser saved. */
async function downloadFrom(page: Page, button: Locator): Promise<{ name: string; bytes: Uint8Array }> {
  const saved = page.waitForEvent('download', { timeout: 120_000 });
  await button.click();
  const download = await saved;
  return { name: download.suggestedFilename(), bytes: new Uint8Array(await readFile(await download.path())) };
}

test('browse a peer by name, open its folders and download a file, a subfolder and a whole folder', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const hashes = await writeFolder(dir, 'summer-trip', {
    'read me.txt': 1_000,
    'photos/beach.jpg': 2 * MiB + 17,
    'photos/Ünïcødé 🎵/song.mp3': MiB,
    'docs/deep/notes.md': 5_000,
  });
  const loose = await writeRandomFile(dir, 'loose notes.txt', 4_321);

  const alice = await peers.open();
  // A friendly name is made up on the first visit; Alice picks her own.
  await expect(alice.getByTestId('my-display-name')).toHaveText(/^[A-Z][a-z]+ [A-Z][a-z]+ \d\d$/);
  await rename(alice, 'Alice the Sharer');
  await shareFolder(alice, path.join(dir, 'summer-trip'));
  await shareWithPicker(alice, [loose.path]);
  await expectShared(alice, 'loose notes.txt');

  const bob = await peers.open();
  const view = await browseHolderOf(bob, 'loose notes.txt', 'Alice the Sharer');
  // Her top level: the shared folder, then the file she shared on its own (never the folder's files loose).
  await expect(entries(view)).toHaveCount(2);
  expect(await listed(view)).toEqual(['summer-trip', 'loose notes.txt']);
  await expect(entries(view).first()).toContainText('Folder · 4 files');

  await view.getByRole('button', { name: 'Open folder summer-trip' }).click();
  await expect(entries(view)).toHaveCount(3);
  expect(await listed(view)).toEqual(['docs', 'photos', 'read me.txt']);
  await view.getByRole('button', { name: 'Open folder photos' }).click();
  await expect(entries(view)).toHaveCount(2);
  expect(await listed(view)).toEqual(['Ünïcødé 🎵', 'beach.jpg']);
  await expect(view.getByRole('navigation', { name: 'Folder path' })).toHaveText(/All shared.*summer-trip.*photos/);

  // A file, from inside the folder.
  const beach = await downloadFrom(bob, view.getByRole('button', { name: 'Download beach.jpg', exact: true }));
  expect(beach.name).toBe('beach.jpg');
  expect(sha256OfBytes(beach.bytes)).toBe(hashes['photos/beach.jpg']);

  // A subfolder: just its part of the shared folder, as a zip of that folder.
  await view.getByRole('navigation', { name: 'Folder path' }).getByRole('button', { name: 'summer-trip' }).click();
  await expect(entries(view)).toHaveCount(3);
  const photos = await downloadFrom(bob, view.getByRole('button', { name: 'Download folder photos' }));
  expect(photos.name).toBe('photos.zip');
  const photosZip = unzipSync(photos.bytes);
  expect(
    Object.keys(photosZip)
      .filter((entry) => !entry.endsWith('/'))
      .sort(),
  ).toEqual(['photos/beach.jpg', 'photos/Ünïcødé 🎵/song.mp3']);
  for (const [relative, hash] of Object.entries(hashes).filter(([relative]) => relative.startsWith('photos/'))) {
    expect(sha256OfBytes(photosZip[relative]!), relative).toBe(hash);
  }
  await expect(transferRow(bob, 'photos')).toContainText('Complete');

  // The whole shared folder, from the top level.
  await view.getByRole('navigation', { name: 'Folder path' }).getByRole('button', { name: 'All shared' }).click();
  await expect(entries(view)).toHaveCount(2);
  const whole = await downloadFrom(bob, view.getByRole('button', { name: 'Download folder summer-trip' }));
  expect(whole.name).toBe('summer-trip.zip');
  const wholeZip = unzipSync(whole.bytes);
  expect(
    Object.keys(wholeZip)
      .filter((entry) => !entry.endsWith('/'))
      .sort(),
  ).toEqual(
    Object.keys(hashes)
      .map((relative) => `summer-trip/${relative}`)
      .sort(),
  );
  for (const [relative, hash] of Object.entries(hashes)) {
    expect(sha256OfBytes(wholeZip[`summer-trip/${relative}`]!), relative).toBe(hash);
  }

  // And the file shared on its own.
  const notes = await downloadFrom(bob, view.getByRole('button', { name: 'Download loose notes.txt' }));
  expect(sha256OfBytes(notes.bytes)).toBe(loose.sha256);
});

test('a long folder shows a page at a time, with More for the rest', async ({ peers, tempDir }) => {
  const dir = await tempDir();
  const sizes = Object.fromEntries(Array.from({ length: 130 }, (_, n) => [`item ${n + 1}.bin`, 100 + n]));
  const hashes = await writeFolder(dir, 'many', sizes);
  const alice = await peers.open();
  await rename(alice, 'Many Files');
  await shareFolder(alice, path.join(dir, 'many'));

  const bob = await peers.open();
  const view = await browseHolderOf(bob, 'many', 'Many Files');
  await view.getByRole('button', { name: 'Open folder many' }).click();
  await expect(entries(view)).toHaveCount(100);
  await expect(view).toContainText('Showing 100 of 130');
  // Natural order: "item 2" before "item 10".
  expect((await listed(view)).slice(0, 3)).toEqual(['item 1.bin', 'item 2.bin', 'item 3.bin']);
  await view.getByRole('button', { name: 'More' }).click();
  await expect(entries(view)).toHaveCount(130);
  expect(await listed(view)).toEqual(Array.from({ length: 130 }, (_, n) => `item ${n + 1}.bin`));
  const last = await downloadFrom(bob, view.getByRole('button', { name: 'Download item 130.bin' }));
  expect(sha256OfBytes(last.bytes)).toBe(hashes['item 130.bin']);
});

test('a name is kept across reloads, shown to others as plain text, and a peer that left says so', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const file = await writeRandomFile(dir, 'tagged.txt', 2_000);
  const name = '<img src=x onerror=alert(1)>';
  const alice = await peers.open();
  // Markup in a name is text, never markup; an invisible reordering character is dropped.
  await rename(alice, `\u202e${name}`, name);
  await alice.reload();
  await expect(alice.getByTestId('my-display-name')).toHaveText(name);
  await shareWithPicker(alice, [file.path]);
  await expectShared(alice, 'tagged.txt');

  const bob = await peers.open();
  const row = await searchFor(bob, 'tagged', 'tagged.txt');
  await row.getByRole('button', { name: 'Show sources of tagged.txt' }).click();
  const holder = row.getByRole('button', { name: `Browse ${name}` });
  await expect(holder).toHaveText(name);
  await expect(bob.locator('img[src="x"]')).toHaveCount(0);

  // Alice leaves before Bob clicks: he is told, and nothing else breaks.
  await alice.close();
  await holder.click();
  const view = bob.getByRole('region', { name: `Browsing ${name}` });
  await expect(view.getByRole('alert')).toHaveText(/is not connected any more/);
  await view.getByRole('button', { name: 'Close' }).click();
  await expect(view).toHaveCount(0);
  await expect(row).toBeVisible();
});

test('a subfolder download goes on after a reload and saves just that subfolder', async ({ peers, tempDir }) => {
  const dir = await tempDir();
  const hashes = await writeFolder(dir, 'reload-trip', {
    'big/video.bin': 24 * MiB,
    'big/small.txt': 1_000,
    'other/elsewhere.bin': 3 * MiB,
  });
  // A slow holder (8 MiB/s), so the reload lands mid-transfer.
  const alice = await peers.open('/?uploadKiBps=8192');
  await rename(alice, 'Slow Alice');
  await shareFolder(alice, path.join(dir, 'reload-trip'));

  const bob = await peers.open();
  const view = await browseHolderOf(bob, 'reload-trip', 'Slow Alice');
  await view.getByRole('button', { name: 'Open folder reload-trip' }).click();
  await view.getByRole('button', { name: 'Download folder big' }).click();
  const row = transferRow(bob, 'big');
  await expect(row).toContainText('of 24 MiB');
  const progress = row.getByRole('progressbar');
  await expect(async () => expect(Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThan(20)).toPass({
    timeout: 60_000,
    intervals: [100],
  });
  const saved = bob.waitForEvent('download', { timeout: 120_000 });
  await bob.reload();
  // After the reload it is still the subfolder's download, not the whole folder's.
  await expect(transferRow(bob, 'big')).toContainText('of 24 MiB');
  const download = await saved;
  expect(download.suggestedFilename()).toBe('big.zip');
  const zip = unzipSync(new Uint8Array(await readFile(await download.path())));
  expect(
    Object.keys(zip)
      .filter((entry) => !entry.endsWith('/'))
      .sort(),
  ).toEqual(['big/small.txt', 'big/video.bin']);
  for (const relative of ['big/small.txt', 'big/video.bin']) {
    expect(sha256OfBytes(zip[relative]!), relative).toBe(hashes[relative]);
  }
});
