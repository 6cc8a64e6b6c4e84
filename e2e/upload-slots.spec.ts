import { expect, type Page } from '@playwright/test';
import { MiB, writeRandomFile } from './support/files.ts';
import {
  expectShared,
  searchFor,
  sha256OfDownload,
  shareWithPicker,
  test,
  trackerStatus,
  transferRow,
} from './support/peers.ts';

/** Sets the upload slots and speed cap in "Upload settings", as a person would. */
async function setUploads(page: Page, slots: string, capMiB: string): Promise<void> {
  await page.getByLabel('Upload slots').fill(slots);
  await page.getByLabel('Speed cap (MiB/s)').fill(capMiB);
  await page.getByRole('button', { name: 'Apply' }).click();
}

function uploads(page: Page) {
  return page.getByRole('status', { name: 'Uploads' });
}

function progressOf(page: Page, name: string): Promise<number> {
  return transferRow(page, name)
    .getByRole('progressbar')
    .getAttribute('aria-valuenow')
    .then((value) => Number(value));
}

test('with one upload slot, the second downloader is queued, sees its place, and completes after the first', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const size = 16 * MiB;
  const file = await writeRandomFile(dir, 'one-slot.bin', size);
  const alice = await peers.open();
  await setUploads(alice, '1', '2');
  await expect(uploads(alice)).toHaveText('0 of 1 upload slot in use · nobody waiting · speed cap 2.0 MiB/s');
  await shareWithPicker(alice, [file.path]);
  await expectShared(alice, 'one-slot.bin');

  // Each downloader talks to Alice alone, so what they get and when shows her queue (with more peers, Carol would
  // also fetch from Bob meanwhile, which the engine tests show).
  const bob = await peers.open('/?maxPeers=1');
  const carol = await peers.open('/?maxPeers=1');
  const finished: string[] = [];
  const bobSaved = bob.waitForEvent('download', { timeout: 120_000 });
  const carolSaved = carol.waitForEvent('download', { timeout: 120_000 });
  void bobSaved.then(() => finished.push('bob'));
  void carolSaved.then(() => finished.push('carol'));

  const bobClicked = Date.now();
  await (await searchFor(bob, 'one slot', 'one-slot.bin')).getByRole('button', { name: /^Download/ }).click();
  await expect(async () => expect(await progressOf(bob, 'one-slot.bin')).toBeGreaterThan(0)).toPass({
    timeout: 60_000,
    intervals: [100],
  });
  await (await searchFor(carol, 'one slot', 'one-slot.bin')).getByRole('button', { name: /^Download/ }).click();

  // Carol waits in Alice's queue, first in line, and gets nothing meanwhile; Alice shows one served, one waiting.
  const carolRow = transferRow(carol, 'one-slot.bin');
  await expect(carolRow.getByLabel('Queue place of one-slot.bin')).toHaveText('Queued at 1 source (place 1)');
  await expect(carolRow).toContainText('Queued');
  await expect(uploads(alice)).toHaveText('1 of 1 upload slot in use · 1 peer waiting · speed cap 2.0 MiB/s');
  expect(await progressOf(carol, 'one-slot.bin')).toBe(0);
  expect(await progressOf(bob, 'one-slot.bin')).toBeLessThan(100);

  // Bob finishes first, then Carol gets the slot and finishes; both byte-identical.
  expect(await sha256OfDownload(await bobSaved)).toBe(file.sha256);
  const bobSeconds = (Date.now() - bobClicked) / 1000;
  await expect(carolRow.getByLabel('Queue place of one-slot.bin')).toHaveCount(0);
  expect(await sha256OfDownload(await carolSaved)).toBe(file.sha256);
  expect(finished).toEqual(['bob', 'carol']);
  // The cap held: 16 MiB at 2 MiB/s, less a quarter of a second of burst, takes at least 7.75 s.
  expect(bobSeconds).toBeGreaterThan(7.5);
  // Both left her: their slots are free again (a downloader that closes its connection is noticed at once).
  await expect(uploads(alice)).toHaveText('0 of 1 upload slot in use · nobody waiting · speed cap 2.0 MiB/s');
});

test('upload settings refuse values out of bounds, apply live and are kept across a reload', async ({ peers }) => {
  const page = await peers.open();
  await expect(uploads(page)).toHaveText('0 of 4 upload slots in use · nobody waiting · no speed cap');
  await setUploads(page, '0', '');
  await expect(page.getByRole('alert')).toHaveText('Upload slots must be a whole number from 1 to 20.');
  await setUploads(page, '3', '0.01');
  await expect(page.getByRole('alert')).toHaveText('The upload speed cap must be from 0.1 to 10000 MiB/s, or none.');
  await expect(uploads(page)).toHaveText('0 of 4 upload slots in use · nobody waiting · no speed cap');

  await setUploads(page, '3', '1.5');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(uploads(page)).toHaveText('0 of 3 upload slots in use · nobody waiting · speed cap 1.5 MiB/s');

  await page.reload();
  await expect(trackerStatus(page)).toContainText('Online');
  await expect(uploads(page)).toHaveText('0 of 3 upload slots in use · nobody waiting · speed cap 1.5 MiB/s');
  await expect(page.getByLabel('Upload slots')).toHaveValue('3');
  await expect(page.getByLabel('Speed cap (MiB/s)')).toHaveValue('1.5');

  // No cap again: the field left empty.
  await setUploads(page, '3', '');
  await expect(uploads(page)).toHaveText('0 of 3 upload slots in use · nobody waiting · no speed cap');
});
