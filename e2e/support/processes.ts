import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TRACKER_NODE_FLAGS } from '../../signaling-server/src/node-flags.ts';
import { expect } from '@playwright/test';
import { REPO_ROOT } from './environment.ts';

/** A process a test started, and how to end it. */
export interface Running {
  child: ChildProcess;
  /** SIGKILL: no goodbye. */
  kill(): Promise<void>;
}

function running(child: ChildProcess): Running {
  return {
    child,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A redis-server of the test's own on `port`, in a temporary folder, without persistence. */
export async function startRedis(port: number): Promise<Running & { url: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoal-e2e-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
  const child = spawn(process.env.REDIS_SERVER_PATH ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
  child.stdout?.resume();
  const redis = running(child);
  return {
    ...redis,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      await redis.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A tracker (src/main.ts, serving the built web client) on `port` with extra environment, once `/healthz` answers. */
export async function startTrackerOn(port: number, env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [...TRACKER_NODE_FLAGS, '--import', 'tsx', 'signaling-server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: 'inherit',
  });
  await expect(async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.ok).toBe(true);
  }).toPass({ timeout: 30_000 });
  return running(child);
}
