import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION } from '@shoal/common';
import { io as connectSocket } from 'socket.io-client';
import { freePort } from './redis-server.ts';
import type { Connected, TestClient } from './tracker-harness.ts';
import { TRACKER_NODE_FLAGS } from '../node-flags.ts';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A tracker started as `npm start` would (src/main.ts), in a process of its own. */
export interface TrackerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** What it wrote to stderr and stdout. */
  output(): string;
  /** Kills it with SIGKILL: no goodbye to Redis or to its clients. */
  kill(): Promise<void>;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
}

/** Starts a tracker process with `env` added to this one's, and waits until `/healthz` answers. */
export async function startTrackerProcess(env: Record<string, string>, port?: number): Promise<TrackerProcess> {
  const listenPort = port ?? (await freePort());
  const child = spawn(process.execPath, [...TRACKER_NODE_FLAGS, '--import', 'tsx', 'src/main.ts'], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(listenPort), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${listenPort}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the tracker exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the tracker did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };
  return {
    url,
    port: listenPort,
    child,
    output: () => output,
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}

/** Runs the tracker's start-up to its end (it is expected to fail); resolves with the exit code and output. */
export async function runTrackerToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...TRACKER_NODE_FLAGS, '--import', 'tsx', 'src/main.ts'], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

/**
 * Connects a client to the tracker at `url` over WebSocket, without reconnection, and waits for `session:welcome`;
 * the socket is added to `clients` (for the test to disconnect).
 */
export function connectClient(url: string, clients: TestClient[]): Promise<Connected> {
  const socket: TestClient = connectSocket(url, {
    auth: { protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  clients.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('session:welcome', (welcome) => resolve({ socket, peerId: welcome.peerId, welcome }));
    socket.once('connect_error', reject);
  });
}
