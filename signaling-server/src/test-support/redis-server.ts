import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';

/** A redis-server of a test's own: a free local port, a temporary folder, no persistence. */
export interface RedisServer {
  url: string;
  port: number;
  /** Stops it (SIGKILL: nothing saved) and starts an empty one on the same port. */
  restart(): Promise<void>;
  /** Stops it; the folder goes. */
  stop(): Promise<void>;
  /** Stops it without starting again (for outages). */
  kill(): Promise<void>;
  /** Starts it again after {@link kill}. */
  start(): Promise<void>;
}

export const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? 'redis-server';

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until a redis-server just spawned (stdout piped) accepts connections; rejects if it exits first. */
export async function waitReady(child: ChildProcess): Promise<void> {
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
}

/** Starts a redis-server for one test file. */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'shoal-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
    child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    await waitReady(child);
    child.stdout?.resume();
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    kill,
    async restart() {
      await kill();
      await start();
    },
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A redis-server and one client of it, shared by the tests of a file: started before them, stopped after. */
export function redisForFile(): { server: RedisServer; client: Redis } {
  const shared = {} as { server: RedisServer; client: Redis };
  beforeAll(async () => {
    shared.server = await startRedisServer();
    shared.client = new Redis(shared.server.url);
  });
  afterAll(async () => {
    shared.client.disconnect();
    await shared.server.stop();
  });
  return shared;
}
