import { expect } from '@playwright/test';
import { MiB, writeRandomFile } from './support/files.ts';
import { expectShared, searchFor, sha256OfDownload, shareWithPicker, transferRow, test } from './support/peers.ts';

test('when the holder leaves mid-transfer the download waits, then finishes from a returning holder', async ({
  peers,
  tempDir,
}) => {
  const dir = await tempDir();
  const file = await writeRandomFile(dir, 'leaving-holder.iso', 96 * MiB);
  const holder = await peers.open();
  const bob = await peers.open();
  await shareWithPicker(holder, [file.path]);
  await expectShared(holder, 'leaving-holder.iso');

  let downloads = 0;
  bob.on('download', () => downloads++);
  const row = await searchFor(bob, 'leaving', 'leaving-holder.iso');
  await row.getByRole('button', { name: /^Download/ }).click();
  const progress = transferRow(bob, 'leaving-holder.iso').getByRole('progressbar');
  await expect(async () => {
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  }).toPass({ timeout: 60_000, intervals: [50] });

  await holder.context().close();

  // The download says it is waiting; it does not complete and saves nothing.
  await expect(transferRow(bob, 'leaving-holder.iso')).toContainText('Waiting for a holder', { timeout: 30_000 });
  const stuckAt = Number(await progress.getAttribute('aria-valuenow'));
  expect(stuckAt).toBeLessThan(100);
  await bob.waitForTimeout(2_000);
  expect(downloads).toBe(0);
  await expect(transferRow(bob, 'leaving-holder.iso')).toContainText('Waiting for a holder');

  // Another holder of the same bytes appears: the download continues and completes byte-identical.
  const saved = bob.waitForEvent('download', { timeout: 120_000 });
  const carol = await peers.open();
  await shareWithPicker(carol, [file.path]);
  await expectShared(carol, 'leaving-holder.iso');
  expect(await sha256OfDownload(await saved)).toBe(file.sha256);
  await expect(transferRow(bob, 'leaving-holder.iso')).toContainText('Complete');
});
