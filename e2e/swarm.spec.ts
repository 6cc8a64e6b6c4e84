import { expect } from '@playwright/test';
import { MiB, writeRandomFile } from './support/files.ts';
import {
  expectShared,
  searchFor,
  sha256OfDownload,
  shareWithPicker,
  test,
  transferRow,
  type Peers,
} from './support/peers.ts';

/** Peers listed as sources of a transfer, with the bytes each gave ("ab12cd: 3.0 MiB"). */
async function sources(page: import('@playwright/test').Page, name: string): Promise<string[]> {
  const text = (await transferRow(page, name).getByLabel(`Sources of ${name}`).textContent()) ?? '';
  return text.split(' · ').filter((part) => part.length > 0);
}

async function holders(peers: Peers, file: string, name: string, count: number, url?: string) {
  const pages = [];
  for (let i = 0; i < count; i++) {
    const page = await peers.open(url);
    await shareWithPicker(page, [file]);
    await expectShared(page, name);
    pages.push(page);
  }
  return pages;
}

test('two full holders both serve pieces to one downloader', async ({ peers, tempDir }) => {
  const dir = await tempDir();
  const file = await writeRandomFile(dir, 'two-holders.bin', 48 * MiB);
  await holders(peers, file.path, 'two-holders.bin', 2);
  const bob = await peers.open();
  const row = await searchFor(bob, 'two holders', 'two-holders.bin');
  await expect(row).toContainText('2 sources, 100 % available');
  const saved = bob.waitForEvent('download', { timeout: 120_000 });
  await row.getByRole('button', { name: /^Download/ }).click();
  expect(await sha256OfDownload(await saved)).toBe(file.sha256);
  const given = await sources(bob, 'two-holders.bin');
  expect(given).toHaveLength(2);
  for (const source of given) expect(source).not.toMatch(/: 0 B$/);
});

test('a chain: C downloads pieces from B while B is still incomplete', async ({ peers, tempDir }) => {
  const dir = await tempDir();
  const file = await writeRandomFile(dir, 'chain.bin', 64 * MiB);
  // Alice uploads at 4 MiB/s, so Bob is surely mid-way when she leaves.
  const [alice] = await holders(peers, file.path, 'chain.bin', 1, '/?uploadKiBps=4096');
  const bob = await peers.open();
  await (await searchFor(bob, 'chain', 'chain.bin')).getByRole('button', { name: /^Download/ }).click();
  const bobProgress = transferRow(bob, 'chain.bin').getByRole('progressbar');
  await expect(async () => {
    expect(Number(await bobProgress.getAttribute('aria-valuenow'))).toBeGreaterThan(5);
  }).toPass({ timeout: 60_000, intervals: [50] });
  // Carol sees Bob as a partial source beside Alice.
  const carol = await peers.open();
  await expect(await searchFor(carol, 'chain', 'chain.bin')).toContainText('2 sources (1 complete, 1 partial)');
  // Alice leaves: Bob holds only part of the file and waits for the rest.
  await alice!.context().close();
  await expect(transferRow(bob, 'chain.bin')).toContainText('Waiting for a holder', { timeout: 30_000 });

  // Carol finds Bob alone, as a partial source, and gets what he has.
  await carol.getByRole('searchbox', { name: 'Search', exact: true }).fill('');
  const carolRow = await searchFor(carol, 'chain', 'chain.bin');
  await expect(carolRow).toContainText(/1 source \(0 complete, 1 partial\), \d+ % available/, { timeout: 10_000 });
  const carolSaved = carol.waitForEvent('download', { timeout: 120_000 });
  await carolRow.getByRole('button', { name: /^Download/ }).click();
  await expect(async () => {
    expect(
      Number(await transferRow(carol, 'chain.bin').getByRole('progressbar').getAttribute('aria-valuenow')),
    ).toBeGreaterThan(0);
  }).toPass({ timeout: 60_000, intervals: [100] });
  await expect(transferRow(carol, 'chain.bin')).toContainText('Waiting for a holder', { timeout: 30_000 });
  expect(Number(await bobProgress.getAttribute('aria-valuenow'))).toBeLessThan(100);

  // A full holder comes back: both finish, byte-identical.
  const bobSaved = bob.waitForEvent('download', { timeout: 120_000 });
  await holders(peers, file.path, 'chain.bin', 1);
  expect(await sha256OfDownload(await bobSaved)).toBe(file.sha256);
  expect(await sha256OfDownload(await carolSaved)).toBe(file.sha256);
  expect((await sources(carol, 'chain.bin')).length).toBeGreaterThanOrEqual(1);
});

test('a holder that closes its page mid-transfer: the download completes from the other', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const file = await writeRandomFile(dir, 'one-leaves.bin', 96 * MiB);
  const [first] = await holders(peers, file.path, 'one-leaves.bin', 2);
  const bob = await peers.open();
  const saved = bob.waitForEvent('download', { timeout: 120_000 });
  await (await searchFor(bob, 'one leaves', 'one-leaves.bin')).getByRole('button', { name: /^Download/ }).click();
  // Both holders have given verified pieces when the first one leaves.
  await expect(async () => {
    expect(await sources(bob, 'one-leaves.bin')).toHaveLength(2);
  }).toPass({ timeout: 60_000, intervals: [50] });
  const progress = transferRow(bob, 'one-leaves.bin').getByRole('progressbar');
  expect(Number(await progress.getAttribute('aria-valuenow'))).toBeLessThan(100);
  await first!.context().close();
  expect(await sha256OfDownload(await saved)).toBe(file.sha256);
  await expect(transferRow(bob, 'one-leaves.bin')).toContainText('(gone)');
});

test('a holder that corrupts pieces is dropped and the file still arrives intact', async ({ peers, tempDir }) => {
  const dir = await tempDir();
  const file = await writeRandomFile(dir, 'corrupted.bin', 24 * MiB);
  const mallory = await peers.open('/?testCorruptUploads');
  await shareWithPicker(mallory, [file.path]);
  await expectShared(mallory, 'corrupted.bin');
  await holders(peers, file.path, 'corrupted.bin', 1);
  const bob = await peers.open();
  const saved = bob.waitForEvent('download', { timeout: 120_000 });
  await (await searchFor(bob, 'corrupted', 'corrupted.bin')).getByRole('button', { name: /^Download/ }).click();
  expect(await sha256OfDownload(await saved)).toBe(file.sha256);
  // Only the honest holder gave verified data.
  expect(await sources(bob, 'corrupted.bin')).toHaveLength(1);
});
