import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type {
  DisplayName,
  FileId,
  FileRegistration,
  FileSource,
  PartialHolding,
  PeerId,
  SearchQuery,
  SearchResponse,
  SearchResult,
  UnregisterFilesResponse,
} from '@shoal/common';
import type { MemoryRegistryOptions, PeerHoldings } from './memory.ts';
import { CommandLog } from './redis/command-log.ts';
import type { LogEntry, TrackerId } from './redis/commands.ts';
import { connectRedis, type RedisClient } from './redis/connection.ts';
import { keysFor, type Keys } from './redis/keys.ts';
import { LeaseKeeper } from './redis/lease-keeper.ts';
import { Replica } from './redis/replica.ts';
import type { RedisTarget } from './redis/target.ts';
import { scriptsOn, type Scripts } from './redis/scripts.ts';
import { encodeSnapshot, loadSnapshot, writeSnapshot } from './redis/snapshots.ts';
import { streamIdTime } from './redis/stream-ids.ts';
import type {
  AnnounceOutcome,
  DatedResult,
  NamedFileListener,
  RegisterOutcome,
  Registry,
  RegistryStats,
  SearchParams,
} from './registry.ts';

/** Options of {@link RedisRegistry.open}: where Redis is, and the rest. */
export type RedisRegistryOptions = RedisTarget & RedisRegistrySettings;

/** Options of {@link RedisRegistry.open} beyond where Redis is. */
export interface RedisRegistrySettings {
  logger: Logger;
  /** How long a tracker's lease lasts without renewal (`TRACKER_LEASE_MS`). */
  leaseMs: number;
  /** Key prefix (default `{shoal}:`); tests give each registry its own. */
  prefix?: string;
  /** How often one of the trackers writes a snapshot and trims the log (default 60 s). */
  snapshotIntervalMs?: number;
  /** Limits and randomness of the in-process replica. */
  memory?: MemoryRegistryOptions;
  /** How long a write waits for confirmation (default 30 s). */
  submitTimeoutMs?: number;
}

/** Whether Redis answers, as `/healthz` reports it. */
export type RedisState = 'connected' | 'unreachable';

/**
 * The registry shared by every tracker through Redis.
 *
 * Redis holds a command log (a stream) of every change: connections, registrations, announcements, removals. Each
 * tracker applies the whole log, in order, to an in-process replica (a {@link MemoryRegistry} plus which tracker
 * holds each peer), so searches and holder lookups are answered from memory as fast as with one process, and a
 * change made through any tracker is visible on every other as soon as its entry is read (milliseconds). A write
 * appends its command and answers with the outcome the replica computed when the entry came back: every tracker
 * applies the same commands in the same order, so they all agree on the outcome and the state. Appending one entry
 * is atomic; nothing else is written per request.
 *
 * One tracker at a time writes a snapshot (the whole registry, at a log position) and trims the log behind the
 * previous snapshot; a starting tracker loads the snapshot and reads the log from there. Each tracker renews a lease;
 * survivors remove the peers of a tracker whose lease lapsed (one atomic script, so it happens once). When Redis
 * loses its data (a restart without persistence), every tracker notices the missing epoch, reloads, and writes back
 * the holdings of the peers connected to it.
 */
export class RedisRegistry implements Registry {
  private replica: Replica;
  private readonly log: CommandLog;
  private readonly scripts: Scripts;
  private readonly leases: LeaseKeeper;
  private localPeers: (() => Iterable<PeerId>) | undefined;
  private epoch = '';
  private closed = false;
  /** Holdings of this tracker's peers captured for a reload that has not succeeded yet. */
  private toWriteBack: Map<PeerId, PeerHoldings> | undefined;
  private readonly namedListeners = new Set<NamedFileListener>();
  /** Stops forwarding the current replica's named files (it is replaced on a reload). */
  private unfollow: (() => void) | undefined;

  private constructor(
    readonly trackerId: TrackerId,
    private readonly writer: RedisClient,
    private readonly reader: RedisClient,
    private readonly keys: Keys,
    private readonly options: RedisRegistryOptions,
    private readonly logger: Logger,
  ) {
    this.replica = new Replica(options.memory);
    this.follow(this.replica);
    this.scripts = scriptsOn(writer);
    this.log = new CommandLog({
      writer,
      reader,
      key: keys.log,
      tracker: trackerId,
      logger,
      apply: (entry, id) => this.apply(entry, id),
      submitTimeoutMs: options.submitTimeoutMs,
    });
    this.leases = new LeaseKeeper({
      writer,
      keys,
      scripts: this.scripts,
      trackerId,
      leaseMs: options.leaseMs,
      snapshotIntervalMs: options.snapshotIntervalMs ?? 60_000,
      logger,
      knownTrackers: () => this.replica.trackers(),
      position: () => this.log.position,
      epoch: () => this.epoch,
      onEpochChanged: (epoch) => this.resyncAfter(`Redis lost its data (epoch ${epoch})`, epoch),
      onLogGap: () => this.resyncAfter('entries this tracker had not read were trimmed from the log'),
      takeSnapshot: () => this.takeSnapshot(),
      reconcile: () => this.reconcile(),
    });
  }

  /**
   * Connects to Redis (throws a readable error if it cannot), takes a lease, loads the latest snapshot and the log
   * after it, and starts following the log.
   */
  static async open(options: RedisRegistryOptions): Promise<RedisRegistry> {
    const trackerId = randomBytes(9).toString('base64url');
    const logger = options.logger.child({ module: 'redis-registry', tracker: trackerId });
    const writer = await connectRedis(options, { name: `shoal-registry-${trackerId}`, offlineQueue: false });
    let reader: RedisClient;
    try {
      // A connection of its own (a cluster client of its own: one connection per node): its reads block.
      reader = await connectRedis(options, { name: `shoal-log-${trackerId}`, offlineQueue: false });
    } catch (err) {
      writer.disconnect();
      throw err;
    }
    const registry = new RedisRegistry(trackerId, writer, reader, keysFor(options.prefix), options, logger);
    try {
      await registry.start();
    } catch (err) {
      await registry.close();
      throw err;
    }
    return registry;
  }

  private async start(): Promise<void> {
    await this.writer.set(this.keys.epoch, randomBytes(9).toString('base64url'), 'NX');
    this.epoch = (await this.writer.get(this.keys.epoch)) ?? '';
    await this.scripts.renew(this.keys.trackers, this.trackerId, this.options.leaseMs);
    await this.log.exclusive(() => this.reload());
    this.log.start();
    this.leases.start();
    this.logger.info({ peers: (await this.stats()).peers }, 'joined the shared registry');
  }

  /** Tells the registry which peers hold a socket on this tracker (to write them back after Redis lost data). */
  attachLocalPeers(localPeers: () => Iterable<PeerId>): void {
    this.localPeers = localPeers;
  }

  /** Records that `peerId` connected here, so signals from any tracker reach it. */
  async peerConnected(peerId: PeerId): Promise<void> {
    await this.log.submit({ op: 'connect', peer: peerId });
  }

  /** Whether `peerId` is connected to any tracker. */
  isConnected(peerId: PeerId): boolean {
    return this.replica.isConnected(peerId);
  }

  /**
   * Whether Redis answers this tracker: connected, and the lease renewed at the last try (a cluster client stays
   * connected while the master of Shoal's slot is down).
   */
  redisState(): RedisState {
    return this.writer.status === 'ready' && this.leases.renewing ? 'connected' : 'unreachable';
  }

  async register(peerId: PeerId, files: readonly FileRegistration[]): Promise<RegisterOutcome> {
    return (await this.log.submit({ op: 'register', peer: peerId, files: [...files] })) as RegisterOutcome;
  }

  async announce(peerId: PeerId, holdings: readonly PartialHolding[]): Promise<AnnounceOutcome> {
    return (await this.log.submit({ op: 'announce', peer: peerId, holdings: [...holdings] })) as AnnounceOutcome;
  }

  async unregister(peerId: PeerId, fileIds: readonly FileId[]): Promise<UnregisterFilesResponse> {
    return (await this.log.submit({
      op: 'unregister',
      peer: peerId,
      fileIds: [...fileIds],
    })) as UnregisterFilesResponse;
  }

  async removePeer(peerId: PeerId): Promise<void> {
    await this.log.submit({ op: 'remove-peer', peer: peerId });
  }

  search(params: SearchParams): Promise<SearchResponse> {
    return this.replica.registry.search(params);
  }

  holders(fileId: FileId, exceptPeer?: PeerId): Promise<PeerId[]> {
    return this.replica.registry.holders(fileId, exceptPeer);
  }

  stats(): Promise<RegistryStats> {
    return this.replica.registry.stats();
  }

  async setName(peerId: PeerId, name: DisplayName): Promise<void> {
    await this.log.submit({ op: 'name', peer: peerId, name });
  }

  sources(fileId: FileId, exceptPeer?: PeerId): Promise<FileSource[]> {
    return this.replica.registry.sources(fileId, exceptPeer);
  }

  lookup(fileId: FileId): Promise<SearchResult | undefined> {
    return this.replica.registry.lookup(fileId);
  }

  lookupDated(fileId: FileId): Promise<DatedResult | undefined> {
    return this.replica.registry.lookupDated(fileId);
  }

  /** The time of the latest log entry this tracker applied: stream ids date files alike on every tracker. */
  clock(): number {
    return this.replica.registry.clock();
  }

  firstRegisteredSince(query: SearchQuery, since: number, limit: number): Promise<DatedResult[]> {
    return this.replica.registry.firstRegisteredSince(query, since, limit);
  }

  /** Every tracker applies every log entry to its replica, so a file named through any tracker is heard here. */
  onFileNamed(listener: NamedFileListener): () => void {
    this.namedListeners.add(listener);
    return () => this.namedListeners.delete(listener);
  }

  /** Passes the files `replica` names on to this registry's listeners. */
  private follow(replica: Replica): void {
    this.unfollow?.();
    this.unfollow = replica.registry.onFileNamed((file) => {
      for (const listener of this.namedListeners) {
        try {
          listener(file);
        } catch {
          // As in the in-memory registry: a listener's failure is its own.
        }
      }
    });
  }

  /**
   * Leaves: removes this tracker's peers from the shared registry at once (other trackers need not wait for the
   * lease), stops following the log and closes the connections. Safe to call more than once.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.leases.stop();
    if (this.writer.status === 'ready') {
      try {
        await this.writer
          .multi()
          .zrem(this.keys.trackers, this.trackerId)
          .xadd(this.keys.log, '*', 'e', retireEntry(this.trackerId))
          .exec();
      } catch (err) {
        this.logger.warn({ err }, 'could not retire from the shared registry; the lease will lapse');
      }
    }
    this.reader.disconnect();
    await this.log.stop();
    this.writer.disconnect();
  }

  private async apply(entry: LogEntry, id: string): Promise<unknown> {
    const { command } = entry;
    // Dated by Redis, not by this process's clock: every tracker dates a new file alike.
    const time = streamIdTime(id);
    if (command.op !== 'remove-tracker' || command.tracker !== this.trackerId || this.closed) {
      return this.replica.apply(entry.tracker, command, time);
    }
    // Survivors took this tracker for dead (it lost Redis for longer than the lease): its peers are still here, so
    // it writes them back.
    this.logger.warn('the other trackers removed this one after its lease lapsed; writing its peers back');
    const captured = this.captureLocal();
    const outcome = await this.replica.apply(entry.tracker, command, time);
    this.writeBack(captured);
    return outcome;
  }

  /** What each peer connected here holds, from the replica. */
  private captureLocal(): Map<PeerId, PeerHoldings> {
    const captured = new Map<PeerId, PeerHoldings>();
    if (this.localPeers) for (const peer of this.localPeers()) captured.set(peer, this.replica.holdingsOf(peer));
    return captured;
  }

  /** Writes the holdings of this tracker's peers back (after Redis lost them); each `restore` also reconnects one. */
  private writeBack(captured: Map<PeerId, PeerHoldings>): void {
    for (const [peer, holdings] of captured) {
      this.log.submit({ op: 'restore', peer, holdings }).catch((err: unknown) => {
        this.logger.warn({ err, peer }, 'could not write a peer back to the shared registry');
      });
    }
  }

  /** Replaces the replica with the latest snapshot and the log after it (inside an exclusive task). */
  private async reload(): Promise<void> {
    const snapshot = await loadSnapshot(this.writer, this.keys);
    const replica = this.replica.empty();
    const time = snapshot ? streamIdTime(snapshot.id) : 0;
    for (const record of snapshot?.records ?? []) replica.load(record, time);
    this.replica = replica;
    // Followed after the snapshot (not news) but before the log after it: a file named there may be heard twice
    // after a reload (pages ignore a file a watch already showed), and none is missed.
    this.follow(replica);
    this.log.seek(snapshot?.id ?? '0');
    await this.log.catchUp();
  }

  private async resyncAfter(reason: string, epoch?: string): Promise<void> {
    this.logger.warn({ reason }, 'reloading the shared registry');
    await this.log.exclusive(async () => {
      // Taken once, before the first attempt: a failed reload leaves the replica half loaded, and the retry must
      // still write back what the peers held.
      this.toWriteBack ??= this.captureLocal();
      await this.reload();
      // Only once reloaded: if the reload failed, the next lease round sees the new epoch again and retries.
      if (epoch !== undefined) this.epoch = epoch;
      const captured = this.toWriteBack;
      this.toWriteBack = undefined;
      this.writeBack(captured);
    });
  }

  /**
   * Takes a snapshot of the replica at a log position (between log reads) and stores it. Entries go on being applied
   * while it is encoded: the replica keeps each peer as it was at that position until the snapshot has read it.
   */
  private async takeSnapshot(): Promise<void> {
    let id = '0';
    let frozen: ReturnType<Replica['freeze']> | undefined;
    await this.log.exclusive(() => {
      id = this.log.position;
      // Nothing read from the log yet: nothing to snapshot.
      if (id !== '0') frozen = this.replica.freeze();
      return Promise.resolve();
    });
    if (!frozen) return;
    let data: string;
    try {
      data = await encodeSnapshot(frozen.records);
    } finally {
      frozen.release();
    }
    await writeSnapshot(this.writer, this.keys, id, data);
    this.logger.debug({ id, bytes: data.length }, 'wrote a registry snapshot');
  }

  /**
   * Makes the shared registry agree with this tracker's sockets: peers it holds in the registry that are no longer
   * connected here go (their removal failed while Redis was away), connected ones it lacks are added.
   */
  private async reconcile(): Promise<void> {
    if (!this.localPeers) return;
    const local = new Set(this.localPeers());
    const writes: Promise<unknown>[] = [];
    for (const peer of this.replica.peersOf(this.trackerId)) {
      if (!local.has(peer)) writes.push(this.log.submit({ op: 'remove-peer', peer }));
    }
    for (const peer of local) {
      if (!this.replica.isConnected(peer)) writes.push(this.log.submit({ op: 'connect', peer }));
    }
    await Promise.all(writes);
  }
}

/** The log entry of a tracker leaving on purpose. */
function retireEntry(trackerId: TrackerId): string {
  return JSON.stringify({ tracker: trackerId, seq: 0, command: { op: 'remove-tracker', tracker: trackerId } });
}
