import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRACKER_NODE_FLAGS } from '@shoal/signaling-server';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A real tracker (serving the built web client) in its own process. */
export interface TrackerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `src/main.ts` as `npm start` does (its Node flags too) on `port`, with `env` added (say `REDIS_URL`), and waits until `/healthz` answers. */
export async function startTrackerProcess(port: number, env: Record<string, string> = {}): Promise<TrackerProcess> {
  // TRACKER_CPU_PROF=<folder>: the tracker leaves a CPU profile there when stopped (it exits normally on SIGTERM).
  const profile = process.env.TRACKER_CPU_PROF;
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(
    process.execPath,
    [...TRACKER_NODE_FLAGS, ...flags, '--import', 'tsx', 'signaling-server/src/main.ts'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('the tracker did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
