import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../test-support/tracker-harness.ts';
import { freePort, startRedisServer, type RedisServer } from '../test-support/redis-server.ts';
import { file, fileId, searchParams } from './contract-fixtures.ts';
import { encodeEntry } from './redis/commands.ts';
import { keysFor } from './redis/keys.ts';
import { RedisRegistry, type RedisRegistryOptions } from './redis.ts';

/** Several registries on one prefix: several trackers sharing one Redis. */
describe('RedisRegistry shared by several trackers', () => {
  let server: RedisServer;
  let admin: Redis;
  let prefix: string;
  let prefixes = 0;
  const open: RedisRegistry[] = [];

  const start = async (options: Partial<RedisRegistryOptions> = {}): Promise<RedisRegistry> => {
    const registry = await RedisRegistry.open({
      url: server.url,
      logger: pino({ level: 'silent' }),
      leaseMs: 300,
      prefix,
      ...options,
    });
    open.push(registry);
    return registry;
  };
  const names = async (registry: RedisRegistry, query: string): Promise<string[]> =>
    (await registry.search(searchParams(query, 0, 100))).results.map((result) => result.name);

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });
  beforeEach(() => {
    prefix = `{shared-${++prefixes}}:`;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((registry) => registry.close()));
  });
  afterAll(async () => {
    admin.disconnect();
    await server.stop();
  });

  it('shows a change made through one tracker on the other, with the same outcome', async () => {
    const one = await start();
    const two = await start();
    expect(await one.register('p1', [file(1, 'holiday photos.zip')])).toEqual({ ok: true, data: { total: 1 } });
    await eventually(async () => expect(await names(two, 'holiday')).toEqual(['holiday photos.zip']));
    expect(await two.holders(fileId(1))).toEqual(['p1']);
    expect(two.isConnected('p1')).toBe(true);
    // The limit is judged on the shared state, whichever tracker the request goes through.
    const many = Array.from({ length: 10_000 }, (_, n) => file(n + 2, `f ${n}`));
    expect((await two.register('p1', many)).ok).toBe(false);
    expect(await two.unregister('p1', [fileId(1)])).toEqual({ removed: 1 });
    await eventually(async () => expect(await one.stats()).toEqual({ peers: 0, files: 0 }));
  });

  it('takes the registry as it is when a tracker joins late', async () => {
    const one = await start({ snapshotIntervalMs: 100 });
    for (let n = 0; n < 20; n++) await one.register(`p${n}`, [file(n, `song ${n}.mp3`)]);
    // A snapshot gets written, then (at the next one) the log behind it trimmed.
    await eventually(async () => expect(await admin.hget(keysFor(prefix).snapshot, 'id')).not.toBeNull(), 5000);
    await one.register('late', [file(100, 'song late.mp3')]);
    await eventually(async () => expect(await admin.xlen(keysFor(prefix).log)).toBeLessThan(20), 5000);
    const two = await start();
    expect(await two.stats()).toEqual({ peers: 21, files: 21 });
    expect(await names(two, 'song late')).toEqual(['song late.mp3']);
  });

  it('dates files alike on every tracker, and after a snapshot', async () => {
    // Leases of 3 s: a snapshot waits for the log's blocking read (up to a second), and so does that tracker's lease
    // renewal meanwhile, which the suite's 300 ms lease would not survive.
    const one = await start({ snapshotIntervalMs: 100, leaseMs: 3000 });
    const two = await start({ leaseMs: 3000 });
    const newest = async (registry: RedisRegistry) =>
      (await registry.search(searchParams('dated', 0, 10, 'newest'))).results.map((result) => result.name);
    for (const [n, registry] of [one, two, one, two].entries()) {
      await registry.register(`p${n}`, [file(n, `dated ${n}.txt`)]);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const expected = ['dated 3.txt', 'dated 2.txt', 'dated 1.txt', 'dated 0.txt'];
    await eventually(async () => expect(await newest(two)).toEqual(expected));
    expect(await newest(one)).toEqual(expected);
    // A tracker that starts from the snapshot has the same dates, not the time it loaded them.
    await eventually(async () => expect(await admin.hget(keysFor(prefix).snapshot, 'id')).not.toBeNull(), 5000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const three = await start({ leaseMs: 3000 });
    // (Dated at loading, all four would tie and come by name.)
    expect(await newest(three)).toEqual(expected);
  });

  it('shows display names on every tracker, after a snapshot too, and writes them back when Redis loses its data', async () => {
    const one = await start({ snapshotIntervalMs: 100 });
    one.attachLocalPeers(() => ['named', 'idle']);
    await one.setName('named', 'Quiet Otter 42');
    await one.setName('idle', 'Holds Nothing');
    await one.register('named', [file(1, 'named.txt')]);
    // A snapshot taken after the names, so the late tracker reads them from it.
    const before = await admin.hget(keysFor(prefix).snapshot, 'id');
    await eventually(async () => {
      const id = await admin.hget(keysFor(prefix).snapshot, 'id');
      expect(id !== null && id !== before).toBe(true);
    }, 5000);
    const two = await start();
    const named = [{ peerId: 'named', name: 'Quiet Otter 42', complete: true }];
    expect(await two.sources(fileId(1))).toEqual(named);
    await admin.flushall();
    await eventually(async () => expect(await two.sources(fileId(1))).toEqual(named), 5000);
    // A peer holding nothing keeps its name too: it shows once it shares something.
    await one.register('idle', [file(2, 'later.txt')]);
    await eventually(async () =>
      expect(await two.sources(fileId(2))).toEqual([{ peerId: 'idle', name: 'Holds Nothing', complete: true }]),
    );
    await one.removePeer('named');
    await one.register('named', [file(1, 'named.txt')]);
    await eventually(async () =>
      expect(await two.sources(fileId(1))).toEqual([{ peerId: 'named', name: null, complete: true }]),
    );
  });

  it('removes the peers of a tracker whose lease lapsed, once, however many survivors sweep', async () => {
    const one = await start();
    const two = await start();
    const keys = keysFor(prefix);
    // A tracker that registered a peer, then died: its lease ran out a second ago.
    await admin.zadd(keys.trackers, Date.now() - 1000, 'ghost');
    const entry = encodeEntry({
      tracker: 'ghost',
      seq: 1,
      command: { op: 'register', peer: 'g1', files: [file(7, 'ghost.txt')] },
    });
    await admin.xadd(keys.log, '*', 'e', entry);
    await eventually(async () => expect(await names(one, 'ghost')).toEqual(['ghost.txt']));
    await eventually(async () => {
      expect(await names(one, 'ghost')).toEqual([]);
      expect(await names(two, 'ghost')).toEqual([]);
    }, 3000);
    expect(one.isConnected('g1')).toBe(false);
    const removals = (await admin.xrange(keys.log, '-', '+')).filter(([, fields]) =>
      String(fields[1]).includes('"remove-tracker"'),
    );
    expect(removals).toHaveLength(1);
    // The survivors keep their own leases.
    expect(await admin.zscore(keys.trackers, one.trackerId)).not.toBeNull();
    expect(await admin.zscore(keys.trackers, two.trackerId)).not.toBeNull();
  });

  it('removes the peers of a tracker that left on purpose at once', async () => {
    const one = await start({ leaseMs: 60_000 });
    const two = await start({ leaseMs: 60_000 });
    await one.register('p1', [file(1, 'leaving.txt')]);
    await eventually(async () => expect(await names(two, 'leaving')).toEqual(['leaving.txt']));
    await one.close();
    await eventually(async () => expect(await names(two, 'leaving')).toEqual([]));
  });

  it('writes back what its own peers hold when Redis loses its data', async () => {
    const one = await start();
    const two = await start();
    one.attachLocalPeers(() => ['a1']);
    two.attachLocalPeers(() => ['b1']);
    await one.register('a1', [file(1, 'from one.txt')]);
    await two.register('b1', [file(2, 'from two.txt')]);
    await two.announce('b1', [{ id: fileId(1), have: Uint8Array.of(0x80) }]);
    await admin.flushall();
    // Both trackers notice, reload and write their peers back.
    await eventually(async () => {
      const entries = await admin.xrange(keysFor(prefix).log, '-', '+');
      expect(entries.filter(([, fields]) => String(fields[1]).includes('"restore"'))).toHaveLength(2);
    }, 5000);
    await eventually(async () => {
      for (const registry of [one, two]) {
        const { results } = await registry.search(searchParams('from', 0, 10));
        expect(results.map(({ name, holders, partialHolders }) => ({ name, holders, partialHolders }))).toEqual([
          { name: 'from one.txt', holders: 1, partialHolders: 1 },
          { name: 'from two.txt', holders: 1, partialHolders: 0 },
        ]);
      }
    }, 5000);
    expect(await admin.get(keysFor(prefix).epoch)).not.toBeNull();
  });

  it('starts a new epoch and writes its peers back when Redis comes back with an older log', async () => {
    const one = await start();
    one.attachLocalPeers(() => ['a1']);
    await one.register('a1', [file(1, 'kept.txt')]);
    const keys = keysFor(prefix);
    const epoch = await admin.get(keys.epoch);
    // The log lost what this tracker had read (as after a failover to a replica that lagged); the epoch survived.
    await admin.del(keys.log);
    await eventually(async () => expect(await admin.get(keys.epoch)).not.toBe(epoch), 3000);
    await eventually(async () => {
      const entries = await admin.xrange(keys.log, '-', '+');
      expect(entries.some(([, fields]) => String(fields[1]).includes('"restore"'))).toBe(true);
    }, 3000);
    const two = await start();
    expect(await names(two, 'kept')).toEqual(['kept.txt']);
  });

  it('reloads when entries it had not read were trimmed from the log', async () => {
    const one = await start();
    one.attachLocalPeers(() => ['a1']);
    await one.register('a1', [file(1, 'after gap.txt')]);
    const keys = keysFor(prefix);
    // Entries past what this tracker read were deleted (as a trim past a tracker that lags would do).
    const later = `${Date.now() + 60_000}-0`;
    await admin.call('XSETID', keys.log, later, 'MAXDELETEDID', later);
    await eventually(async () => {
      const entries = await admin.xrange(keys.log, '-', '+');
      expect(entries.some(([, fields]) => String(fields[1]).includes('"restore"'))).toBe(true);
    }, 3000);
    expect(await names(one, 'gap')).toEqual(['after gap.txt']);
  });

  it('forgets its own peers that went away while Redis was unreachable', async () => {
    const one = await start();
    const local = new Set(['a1', 'a2']);
    one.attachLocalPeers(() => local);
    await one.register('a1', [file(1, 'stays.txt')]);
    await one.register('a2', [file(2, 'goes.txt')]);
    // a2's removal could not be written; the next round puts it right.
    local.delete('a2');
    await eventually(async () => expect(await names(one, 'goes')).toEqual([]));
    expect(await names(one, 'stays')).toEqual(['stays.txt']);
  });

  it('skips log entries that do not parse and applies the rest', async () => {
    const one = await start();
    const keys = keysFor(prefix);
    await admin.xadd(keys.log, '*', 'e', '{"tracker":"x","seq":1,"command":{"op":"register","peer":"p","files":"no"}}');
    await admin.xadd(keys.log, '*', 'junk', 'not json');
    expect(await one.register('p2', [file(2, 'fine.txt')])).toEqual({ ok: true, data: { total: 1 } });
    expect(await names(one, 'fine')).toEqual(['fine.txt']);
    expect(await one.stats()).toEqual({ peers: 1, files: 1 });
  });

  it('tells every tracker of a file named through any of them, and goes on telling after a reload', async () => {
    const one = await start();
    const two = await start();
    two.attachLocalPeers(() => ['b1']);
    await two.register('b1', [file(3, 'held by b.txt')]);
    const heard: string[] = [];
    two.onFileNamed((named) => heard.push(named.name));
    await one.register('p1', [file(1, 'Sunset beach.jpg')]);
    await eventually(() => expect(heard).toEqual(['Sunset beach.jpg']));
    expect(await two.lookup(fileId(1))).toMatchObject({ name: 'Sunset beach.jpg', holders: 1 });
    // Redis loses its data: tracker two reloads a fresh replica (and writes b1 back), then still hears.
    await admin.flushall();
    await eventually(async () => {
      const entries = await admin.xrange(keysFor(prefix).log, '-', '+');
      expect(entries.some(([, fields]) => String(fields[1]).includes('"restore"'))).toBe(true);
    }, 5000);
    await one.register('p2', [file(2, 'Sunset again.jpg')]);
    await eventually(() => expect(heard).toContain('Sunset again.jpg'));
  });

  it('refuses to start, readably, when Redis cannot be reached', async () => {
    const port = await freePort();
    await expect(start({ url: `redis://user:secret@127.0.0.1:${port}` })).rejects.toThrow(
      new RegExp(`cannot reach Redis at redis://user:\\*\\*\\*@127\\.0\\.0\\.1:${port}`),
    );
  });
});
