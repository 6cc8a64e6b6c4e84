import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { eventually, fileId, request, startTracker, type Harness } from './test-support/tracker-harness.ts';
import { createTracker } from './tracker.ts';

let dir: string;
let harness: Harness | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'shoal-static-'));
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function buildClient(root: string): Promise<void> {
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Shoal</title>');
  await writeFile(path.join(root, 'assets', 'app-1234.js'), 'console.log("shoal")');
}

describe('tracker: HTTP', () => {
  it('reports health with registry counts', async () => {
    harness = await startTracker({ config: { staticDir: dir } });
    const alice = await harness.connect();
    await request(alice, 'files:register', {
      files: [
        { id: fileId(1), name: 'a', size: 1, mimeType: '' },
        { id: fileId(2), name: 'b', size: 1, mimeType: '' },
      ],
    });
    const response = await fetch(`${harness.url}/healthz?probe=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      status: 'ok',
      peers: 1,
      files: 2,
      connections: 1,
      watches: {
        watches: 0,
        distinct: 0,
        pending: 0,
        pushed: 0,
        packets: 0,
        throttled: 0,
        setAside: 0,
        overShare: 0,
        overflowed: 0,
        caughtUp: 0,
      },
      uptimeSeconds: expect.any(Number) as unknown as number,
    });
  });

  it('serves the web client, falling back to index.html for app routes', async () => {
    await buildClient(dir);
    harness = await startTracker({ config: { staticDir: dir } });
    const index = await fetch(`${harness.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Shoal</title>');
    const route = await fetch(`${harness.url}/search/holiday`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Shoal</title>');
    const asset = await fetch(`${harness.url}/assets/app-1234.js`);
    expect(await asset.text()).toBe('console.log("shoal")');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(index.headers.get('cache-control')).toBe('no-cache');
  });

  it('says so when the web client is not built, and serves it once it is', async () => {
    const missing = path.join(dir, 'dist');
    harness = await startTracker({ config: { staticDir: missing } });
    const response = await fetch(`${harness.url}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/web client is not built/);
    expect((await fetch(`${harness.url}/healthz`)).status).toBe(200);
    expect(harness.logs.some((line) => line.level === 40 && /not built/.test(line.msg ?? ''))).toBe(true);
    await buildClient(missing);
    expect((await fetch(`${harness.url}/`)).status).toBe(200);
  });

  it('refuses methods other than GET and HEAD', async () => {
    harness = await startTracker({ config: { staticDir: dir } });
    const response = await fetch(`${harness.url}/healthz`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect((await fetch(`${harness.url}/healthz`, { method: 'HEAD' })).status).toBe(200);
  });
});

describe('tracker: close', () => {
  it('disconnects clients, forgets their files and stops listening', async () => {
    harness = await startTracker({ config: { staticDir: dir } });
    const alice = await harness.connect();
    await request(alice, 'files:register', { files: [{ id: fileId(1), name: 'a', size: 1, mimeType: '' }] });
    const gone = new Promise<string>((resolve) => alice.socket.once('disconnect', resolve));
    const { url, tracker } = harness;
    const started = Date.now();
    await tracker.close();
    expect(Date.now() - started).toBeLessThan(2000);
    // A transport close (not a server-side disconnect) so clients reconnect, to this tracker or a backup.
    expect(await gone).toBe('transport close');
    await eventually(async () => expect(await tracker.registry.stats()).toEqual({ peers: 0, files: 0 }));
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await tracker.close(); // twice is fine
  });

  it('closes even with an idle keep-alive HTTP connection open', async () => {
    harness = await startTracker({ config: { staticDir: dir } });
    await fetch(`${harness.url}/healthz`, { headers: { connection: 'keep-alive' } });
    const started = Date.now();
    await harness.tracker.close();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('closes a tracker that never listened', async () => {
    const unused = await createTracker({ config: loadConfig({}), logger: pino({ level: 'silent' }) });
    expect(() => unused.port()).toThrow(/not listening/);
    await unused.close();
  });
});
