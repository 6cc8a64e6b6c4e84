import { expect, type Page } from '@playwright/test';
import { MiB, writeRandomFile } from './support/files.ts';
import {
  download,
  expectShared,
  searchFor,
  sha256OfDownload,
  sharedRow,
  shareWithPicker,
  test,
  transferRow,
} from './support/peers.ts';

interface TransferStats {
  sentPieces: Record<string, Record<number, number>>;
  restoredPieces: Record<string, number[]>;
}

function statsOf(page: Page): Promise<TransferStats> {
  return page.evaluate(() => (window as unknown as { shoalTransferStats: () => TransferStats }).shoalTransferStats());
}

async function progressOf(page: Page, name: string): Promise<number> {
  return Number(await transferRow(page, name).getByRole('progressbar').getAttribute('aria-valuenow'));
}

async function waitForProgress(page: Page, name: string, atLeast: number): Promise<void> {
  await expect(async () => expect(await progressOf(page, name)).toBeGreaterThanOrEqual(atLeast)).toPass({
    timeout: 60_000,
    intervals: [100],
  });
}

test('a download resumes by itself after a reload, fetching no verified piece again', async ({ peers, tempDir }) => {
  const dir = await tempDir();
  const file = await writeRandomFile(dir, 'reloaded.bin', 48 * MiB);
  // A slow holder (8 MiB/s), so the reload lands mid-transfer.
  const holder = await peers.open('/?uploadKiBps=8192');
  await shareWithPicker(holder, [file.path]);
  await expectShared(holder, 'reloaded.bin');

  const bob = await peers.open();
  const row = await searchFor(bob, 'reloaded', 'reloaded.bin');
  await row.getByRole('button', { name: /^Download/ }).click();
  await waitForProgress(bob, 'reloaded.bin', 25);

  const saved = bob.waitForEvent('download', { timeout: 120_000 });
  await bob.reload();
  // The transfer is listed again at once with what was verified, and goes on by itself.
  await expect(transferRow(bob, 'reloaded.bin')).toBeVisible();
  expect(await progressOf(bob, 'reloaded.bin')).toBeGreaterThanOrEqual(20);
  expect(await sha256OfDownload(await saved)).toBe(file.sha256);
  await expect(transferRow(bob, 'reloaded.bin')).toContainText('Complete');

  const [fileId, restored] = Object.entries((await statsOf(bob)).restoredPieces)[0] ?? [];
  expect(restored?.length).toBeGreaterThanOrEqual(10);
  const sent = (await statsOf(holder)).sentPieces[fileId!] ?? {};
  // Every piece verified before the reload was sent once, never again after it.
  for (const index of restored!) expect(sent[index], `piece ${index}`).toBe(1);
  // Whatever was still on the way at the reload is all that was sent twice.
  const sentTwice = Object.values(sent).filter((times) => times > 1).length;
  expect(sentTwice).toBeLessThanOrEqual(8);
  expect(Object.keys(sent).length).toBe(48);
});

test('with its only holder gone, a reloaded download waits and completes when the holder comes back', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const file = await writeRandomFile(dir, 'patient.bin', 32 * MiB);
  const holder = await peers.open('/?uploadKiBps=8192');
  await shareWithPicker(holder, [file.path]);
  await expectShared(holder, 'patient.bin');

  const bob = await peers.open();
  const row = await searchFor(bob, 'patient', 'patient.bin');
  await row.getByRole('button', { name: /^Download/ }).click();
  await waitForProgress(bob, 'patient.bin', 15);
  await holder.context().close();
  await bob.reload();
  await expect(transferRow(bob, 'patient.bin')).toContainText('Waiting for a holder', { timeout: 30_000 });
  const kept = await progressOf(bob, 'patient.bin');
  expect(kept).toBeGreaterThanOrEqual(10);

  const saved = bob.waitForEvent('download', { timeout: 120_000 });
  const back = await peers.open();
  await shareWithPicker(back, [file.path]);
  await expectShared(back, 'patient.bin');
  expect(await sha256OfDownload(await saved)).toBe(file.sha256);
});

test('a paused download stays paused across a reload, resumes on request, and cancel frees its storage', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const file = await writeRandomFile(dir, 'pausable.bin', 32 * MiB);
  const holder = await peers.open('/?uploadKiBps=8192');
  await shareWithPicker(holder, [file.path]);
  await expectShared(holder, 'pausable.bin');

  const bob = await peers.open();
  const row = await searchFor(bob, 'pausable', 'pausable.bin');
  await row.getByRole('button', { name: /^Download/ }).click();
  await waitForProgress(bob, 'pausable.bin', 10);
  await bob.getByRole('button', { name: 'Pause pausable.bin' }).click();
  await expect(transferRow(bob, 'pausable.bin')).toContainText('Paused');
  await bob.reload();
  await expect(transferRow(bob, 'pausable.bin')).toContainText('Paused');
  const pausedAt = await progressOf(bob, 'pausable.bin');
  await bob.waitForTimeout(1_500);
  expect(await progressOf(bob, 'pausable.bin')).toBe(pausedAt);

  await bob.getByRole('button', { name: 'Resume pausable.bin' }).click();
  await waitForProgress(bob, 'pausable.bin', pausedAt + 5);
  await bob.getByRole('button', { name: 'Cancel pausable.bin' }).click();
  await expect(transferRow(bob, 'pausable.bin')).toContainText('Cancelled');
  await expect(bob.getByRole('region', { name: 'Storage' })).toContainText('Downloads use 0 B');
  await bob.reload();
  await expect(bob.getByRole('region', { name: 'Storage' })).toContainText('Downloads use 0 B');
  await expect(transferRow(bob, 'pausable.bin')).toHaveCount(0);
});

test('after a reload, files shared from disk ask for access again; picking one shares it as before', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const file = await writeRandomFile(dir, 'remembered.bin', 3 * MiB);
  const alice = await peers.open();
  await shareWithPicker(alice, [file.path]);
  await expectShared(alice, 'remembered.bin');

  await alice.reload();
  await expect(sharedRow(alice, 'remembered.bin')).toContainText('Needs access again');
  const bob = await peers.open();
  await bob.getByRole('searchbox', { name: 'Search', exact: true }).fill('remembered');
  // Until it is given back, the page does not offer it (it could not read it).
  await expect(bob.getByText('No files match.')).toBeVisible();

  const chooser = alice.waitForEvent('filechooser');
  await alice.getByRole('button', { name: 'Pick remembered.bin again' }).click();
  await (await chooser).setFiles([file.path]);
  await expectShared(alice, 'remembered.bin');
  await expect(sharedRow(alice, 'remembered.bin')).toHaveCount(1);

  await bob.getByRole('searchbox', { name: 'Search', exact: true }).fill('');
  const row = await searchFor(bob, 'remembered', 'remembered.bin');
  expect(await sha256OfDownload(await download(bob, row))).toBe(file.sha256);

  // Removed, it is forgotten: the next load does not ask for it.
  await alice.getByRole('button', { name: 'Remove remembered.bin' }).click();
  await alice.reload();
  await expect(alice.getByText('My shared files')).toBeVisible();
  await expect(sharedRow(alice, 'remembered.bin')).toHaveCount(0);
});

test('a download that will not fit in browser storage is refused before it starts, with why', async ({
  peers,
  tempDir,
}) => {
  const alice = await peers.open();
  await shareWithPicker(alice, [{ name: 'too-big.bin', mimeType: '', buffer: Buffer.alloc(8 * MiB, 7) }]);
  await expectShared(alice, 'too-big.bin');

  const bob = await peers.openPersistent(await tempDir());
  // The browser's quota for the page, made small (DevTools protocol): as if the disk were nearly full.
  const cdp = await bob.context().newCDPSession(bob);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(bob.url()).origin, quotaSize: 2 * MiB });
  let saved = 0;
  bob.on('download', () => saved++);
  const row = await searchFor(bob, 'too-big', 'too-big.bin');
  await row.getByRole('button', { name: /^Download/ }).click();
  await expect(transferRow(bob, 'too-big.bin')).toContainText('Failed');
  // Chromium's estimate does not show an overridden quota, so it is the reservation of the file's whole size, when
  // its storage is created from the manifest, that refuses it: before any piece is asked for.
  await expect(transferRow(bob, 'too-big.bin')).toContainText('Not enough browser storage');
  expect((await statsOf(alice)).sentPieces).toEqual({});
  expect(saved).toBe(0);
});
