import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { REDIS_SERVER, freePort, waitReady } from './redis-server.ts';

export const REDIS_CLI = process.env.REDIS_CLI_PATH ?? 'redis-cli';

/** A Redis Cluster of a test's own: nodes on free local ports, a temporary folder, no persistence. */
export interface RedisCluster {
  /** One `redis://` URL per node. */
  urls: string[];
  /** The nodes' ports, as in {@link urls}. */
  ports: number[];
  /** The ports of the live masters. */
  masters(): Promise<number[]>;
  /** The port of the master serving hash slot `slot`. */
  ownerOf(slot: number): Promise<number>;
  /** The hash slot of `key` (of its `{tag}`, if it has one). */
  slotOf(key: string): Promise<number>;
  /**
   * Moves hash slot `slot` and its keys to the master on port `toPort`, as `redis-cli --cluster reshard` does:
   * importing and migrating states, `MIGRATE` of its keys one at a time (`pauseMs` after each, so clients meet the
   * slot half moved), then every master told the new owner.
   */
  migrateSlot(slot: number, toPort: number, pauseMs?: number): Promise<void>;
  /** Kills the node on `port` (SIGKILL: its replica, if it has one, takes over after the node timeout). */
  kill(port: number): Promise<void>;
  /** Stops every node; the folder goes. */
  stop(): Promise<void>;
}

/** `count` distinct free ports. */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`the Redis Cluster did not ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * How long a node may not answer before the others take it for failed and its replica is promoted: longer than the
 * 1.6 s a client retries a request on a dead node, so a failover is seen as one (requests and renewals fail).
 */
export const NODE_TIMEOUT_MS = 3000;

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** At least 3, as `redis-cli --cluster create` requires (default 3). */
  masters?: number;
  /** Replicas of each master (default 0). */
  replicas?: number;
}

/** Starts a cluster for one test file; resolves once every node sees it `ok` and every replica is in sync. */
export async function startRedisCluster({
  masters = 3,
  replicas = 0,
}: RedisClusterOptions = {}): Promise<RedisCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'shoal-redis-cluster-'));
  const count = masters * (1 + replicas);
  // The cluster bus needs a port of its own; the default (port + 10000) may be taken or past 65535.
  const allPorts = await freePorts(2 * count);
  const ports = allPorts.slice(0, count);
  const children = new Map<number, ChildProcess>();
  const admins = new Map(ports.map((port) => [port, new Redis({ port, host: '127.0.0.1', lazyConnect: true })]));

  const kill = async (port: number): Promise<void> => {
    const child = children.get(port);
    admins.get(port)?.disconnect();
    admins.delete(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  const stop = async (): Promise<void> => {
    await Promise.all(ports.map(kill));
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await Promise.all(
      ports.map(async (port, n) => {
        const args = [
          ...['--port', String(port), '--cluster-port', String(allPorts[count + n]), '--bind', '127.0.0.1'],
          ...['--dir', dir, '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`],
          ...['--cluster-node-timeout', String(NODE_TIMEOUT_MS), '--save', '', '--appendonly', 'no'],
        ];
        const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'inherit'] });
        children.set(port, child);
        await waitReady(child);
        child.stdout?.resume();
      }),
    );
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    await promisify(execFile)(REDIS_CLI, [
      ...['--cluster', 'create', ...nodes, '--cluster-replicas', String(replicas), '--cluster-yes'],
    ]);
    await waitUntil(async () => {
      const states = await Promise.all([...admins.values()].map((admin) => admin.info()));
      return states.every((info) => /^cluster_enabled:1\b/m.test(info) && !/^master_link_status:down\b/m.test(info));
    }, 'sync its replicas');
    await waitUntil(async () => {
      const states = await Promise.all([...admins.values()].map((admin) => admin.cluster('INFO')));
      return states.every((info) => /^cluster_state:ok\b/m.test(info));
    }, 'reach cluster_state:ok');
  } catch (err) {
    await stop();
    throw err;
  }

  const adminOn = (port: number): Redis => {
    const admin = admins.get(port);
    if (!admin) throw new Error(`no live node of this cluster listens on ${port}`);
    return admin;
  };
  /** Any node still running. */
  const anyAdmin = (): Redis => adminOn([...admins.keys()][0] ?? -1);
  const mastersNow = async (): Promise<number[]> => {
    const masters: number[] = [];
    for (const [port, admin] of admins) if ((await admin.role())[0] === 'master') masters.push(port);
    return masters;
  };
  const ownerOf = async (slot: number): Promise<number> => {
    const ranges = await anyAdmin().cluster('SLOTS');
    const master = ranges.find(([first, last]) => first <= slot && slot <= last)?.[2];
    if (!master) throw new Error(`no master serves slot ${slot}`);
    return master[1];
  };

  return {
    urls: ports.map((port) => `redis://127.0.0.1:${port}`),
    ports,
    ownerOf,
    masters: mastersNow,
    slotOf: async (key) => Number(await anyAdmin().cluster('KEYSLOT', key)),
    async migrateSlot(slot, toPort, pauseMs = 0) {
      const fromPort = await ownerOf(slot);
      const source = adminOn(fromPort);
      const target = adminOn(toPort);
      const [sourceId, targetId] = await Promise.all([source.cluster('MYID'), target.cluster('MYID')]);
      await target.cluster('SETSLOT', slot, 'IMPORTING', sourceId);
      await source.cluster('SETSLOT', slot, 'MIGRATING', targetId);
      for (;;) {
        const [key] = (await source.cluster('GETKEYSINSLOT', slot, 1)) as string[];
        if (key === undefined) break;
        await source.migrate('127.0.0.1', toPort, '', 0, 5000, 'KEYS', key);
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
      // The new owner first, so the old one never redirects to a node that does not yet know it owns the slot.
      const others = (await mastersNow()).map(adminOn).filter((admin) => admin !== source && admin !== target);
      for (const admin of [target, source, ...others]) {
        await admin.cluster('SETSLOT', slot, 'NODE', targetId);
      }
    },
    kill,
    stop,
  };
}
