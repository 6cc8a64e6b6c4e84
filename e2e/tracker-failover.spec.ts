import { expect } from '@playwright/test';
import { E2E_PORT } from './support/environment.ts';
import { MiB, writeRandomFile } from './support/files.ts';
import {
  download,
  expectShared,
  searchFor,
  sha256OfDownload,
  shareWithPicker,
  trackerStatus,
  transferRow,
  test,
} from './support/peers.ts';
import { startRedis, startTrackerOn, type Running } from './support/processes.ts';

// Two trackers and a Redis of this test's own.
const ONE = E2E_PORT + 2;
const TWO = E2E_PORT + 3;
const REDIS_PORT = E2E_PORT + 4;
const URL_ONE = `http://127.0.0.1:${ONE}`;
const URL_TWO = `http://127.0.0.1:${TWO}`;

test('pages on two trackers share through Redis, and a page whose tracker dies carries on through the other', async ({
  peers,
  tempDir,
}) => {
  const started: Running[] = [];
  try {
    const redis = await startRedis(REDIS_PORT);
    started.push(redis);
    const env = { REDIS_URL: redis.url, TRACKER_URLS: `${URL_ONE},${URL_TWO}`, TRACKER_LEASE_MS: '3000' };
    const one = await startTrackerOn(ONE, env);
    started.push(one);
    started.push(await startTrackerOn(TWO, env));

    const dir = await tempDir();
    const file = await writeRandomFile(dir, 'across-trackers.bin', 24 * MiB);
    // Alice uploads slowly, so her tracker can die while Bob is still downloading.
    const alice = await peers.open(`${URL_ONE}/?uploadKiBps=2048`);
    await expect(trackerStatus(alice)).toContainText(`127.0.0.1:${ONE}`);
    await shareWithPicker(alice, [file.path]);
    await expectShared(alice, 'across-trackers.bin');

    const bob = await peers.open(URL_TWO);
    await expect(trackerStatus(bob)).toContainText(`127.0.0.1:${TWO}`);
    const bobSaved = bob.waitForEvent('download', { timeout: 120_000 });
    const row = await searchFor(bob, 'across', 'across-trackers.bin');
    await expect(row).toContainText('1 source, 100 % available');
    await row.getByRole('button', { name: /^Download/ }).click();
    const progress = transferRow(bob, 'across-trackers.bin').getByRole('progressbar');
    await expect(async () => {
      expect(Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    }).toPass({ timeout: 60_000, intervals: [50] });

    // Alice's tracker dies mid-transfer, without a goodbye. Her page's status line is recorded from now on.
    await alice.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { statusSeen: string[] }).statusSeen = seen;
      const status = document.querySelector('[aria-label="Tracker connection"]');
      if (!status) throw new Error('no tracker status on the page');
      new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    await one.kill();
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBeLessThan(100);

    // The data channel does not need the tracker: Bob's download completes, byte-identical.
    expect(await sha256OfDownload(await bobSaved)).toBe(file.sha256);

    // Alice shows the loss, moves to the other tracker and shares there again.
    await expect(trackerStatus(alice)).toContainText(`Online · 127.0.0.1:${TWO}`, { timeout: 30_000 });
    const seen = await alice.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen);
    expect(seen.some((text) => /Offline|Connecting/.test(text))).toBe(true);
    await expectShared(alice, 'across-trackers.bin');

    // Bob leaves; a newcomer on tracker two finds Alice (and only her: her old entry went with tracker one's lease)
    // and downloads from her.
    await bob.context().close();
    const carol = await peers.open(URL_TWO);
    await expect(async () => {
      const found = await searchFor(carol, 'across', 'across-trackers.bin');
      await expect(found).toContainText('1 source, 100 % available', { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    const carolRow = await searchFor(carol, 'across', 'across-trackers.bin');
    const carolSaved = await download(carol, carolRow);
    expect(await sha256OfDownload(carolSaved)).toBe(file.sha256);
  } finally {
    for (const running of started.reverse()) await running.kill();
  }
});
