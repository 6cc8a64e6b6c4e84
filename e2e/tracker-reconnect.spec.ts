import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { expect } from '@playwright/test';
import { E2E_PORT, REPO_ROOT } from './support/environment.ts';
import { dropFiles, expectShared, searchFor, trackerStatus, test } from './support/peers.ts';

// A tracker of this test's own, so it can be stopped and started again without disturbing the other tests.
const PORT = E2E_PORT + 1;
const BASE = `http://127.0.0.1:${PORT}`;

async function startTracker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'signaling-server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  await expect(async () => {
    const response = await fetch(`${BASE}/healthz`);
    expect(response.ok).toBe(true);
  }).toPass({ timeout: 30_000 });
  return child;
}

async function stopTracker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

test('a page that loses the tracker shows it, reconnects by itself and shares again', async ({ peers }) => {
  let tracker = await startTracker();
  try {
    const alice = await peers.open(BASE);
    await dropFiles(alice, [{ name: 'survivor.txt', bytes: new TextEncoder().encode('still here') }]);
    await expectShared(alice, 'survivor.txt');

    await stopTracker(tracker);
    await expect(trackerStatus(alice)).toContainText('Offline');

    tracker = await startTracker();
    await expect(trackerStatus(alice)).toContainText('Online', { timeout: 30_000 });
    await expectShared(alice, 'survivor.txt');

    // The restarted tracker knows the file again, so a newcomer finds it.
    const bob = await peers.open(BASE);
    const row = await searchFor(bob, 'survivor', 'survivor.txt');
    await expect(row).toContainText('1 source, 100 % available');
  } finally {
    await stopTracker(tracker);
  }
});
