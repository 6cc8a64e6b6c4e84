import type { Logger } from 'pino';
import type { TrackerId } from './commands.ts';
import type { RedisClient } from './connection.ts';
import type { Keys } from './keys.ts';
import type { Scripts } from './scripts.ts';
import { compareStreamIds } from './stream-ids.ts';
import { RegistryClosingError } from '../registry.ts';

/** What the lease keeper watches and whom it tells. */
export interface LeaseKeeperOptions {
  writer: RedisClient;
  keys: Keys;
  scripts: Scripts;
  trackerId: TrackerId;
  leaseMs: number;
  snapshotIntervalMs: number;
  logger: Logger;
  /** Trackers that hold peers in the replica. */
  knownTrackers: () => TrackerId[];
  /** The log position the replica reflects. */
  position: () => string;
  /** The data set's epoch as this tracker knows it. */
  epoch: () => string;
  onEpochChanged: (epoch: string) => Promise<void>;
  onLogGap: () => Promise<void>;
  takeSnapshot: () => Promise<void>;
  reconcile: () => Promise<void>;
}

/**
 * The periodic work of one tracker in the shared registry, every third of the lease: renew its lease; notice that
 * Redis lost its data (epoch gone or changed, log shorter than what was read) or trimmed entries not yet read; once
 * it has renewed without a failure for a whole lease (so every live tracker had time to renew after the same outage),
 * remove the trackers whose lease lapsed; put its own peers right; and now and then write a snapshot.
 *
 * An outage is a failed renewal, not only a closed connection: a cluster client stays connected to the other nodes
 * while the master of Shoal's slot fails over, and the trackers must not sweep each other when it comes back.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  /** Since when every renewal succeeded; undefined after one failed or the connection closed. */
  private renewingSince: number | undefined;
  private lastSnapshotTry = Date.now();
  private wasReachable = true;

  constructor(private readonly options: LeaseKeeperOptions) {
    const { writer } = options;
    // The registry renews once when it opens, before it starts the keeper (and does not open if that fails).
    if (writer.status === 'ready') this.renewingSince = Date.now();
    writer.on('close', () => (this.renewingSince = undefined));
  }

  /** Whether the last renewal of the lease reached Redis (and the connection has not closed since). */
  get renewing(): boolean {
    return this.renewingSince !== undefined;
  }

  start(): void {
    const every = Math.max(50, Math.floor(this.options.leaseMs / 3));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * One round; rounds never overlap, and a failing one only logs. While a round is still busy (a snapshot waits for
   * the log and encodes the registry, which can outlast a short lease), the lease is renewed on its own, so a busy
   * tracker is never taken for dead.
   */
  async tick(): Promise<void> {
    if (this.ticking) {
      await this.renewAlone();
      return;
    }
    this.ticking = true;
    try {
      await this.round();
      if (!this.wasReachable) this.options.logger.info('Redis answers again');
      this.wasReachable = true;
    } catch (err) {
      // A round cut short by the tracker closing says nothing about Redis.
      if (err instanceof RegistryClosingError) return;
      if (this.wasReachable) this.options.logger.warn({ err }, 'lease round failed (is Redis reachable?)');
      this.wasReachable = false;
    } finally {
      this.ticking = false;
    }
  }

  private renewingAlone = false;

  private async renewAlone(): Promise<void> {
    if (this.renewingAlone) return;
    this.renewingAlone = true;
    try {
      await this.renew();
    } catch {
      // The round in progress (or the next) logs whether Redis is reachable.
    } finally {
      this.renewingAlone = false;
    }
  }

  private async renew(): Promise<void> {
    const { keys, scripts, trackerId, leaseMs } = this.options;
    try {
      await scripts.renew(keys.trackers, trackerId, leaseMs);
      this.renewingSince ??= Date.now();
    } catch (err) {
      this.renewingSince = undefined;
      throw err;
    }
  }

  private async round(): Promise<void> {
    const { writer, keys, scripts, trackerId, leaseMs } = this.options;
    await this.renew();

    const epoch = await writer.get(keys.epoch);
    if (epoch === null) {
      await writer.set(keys.epoch, newEpoch(), 'NX');
      await this.options.onEpochChanged((await writer.get(keys.epoch)) ?? '');
      return;
    }
    if (epoch !== this.options.epoch()) {
      await this.options.onEpochChanged(epoch);
      return;
    }
    if (await this.checkLog(epoch)) return;

    const renewingFor = this.renewingSince === undefined ? 0 : Date.now() - this.renewingSince;
    if (renewingFor >= leaseMs) {
      const removed = await scripts.sweep(keys, trackerId, this.options.knownTrackers());
      if (removed.length > 0) this.options.logger.warn({ trackers: removed }, 'removed trackers whose lease lapsed');
    }
    await this.options.reconcile();

    if (Date.now() - this.lastSnapshotTry >= this.options.snapshotIntervalMs) {
      this.lastSnapshotTry = Date.now();
      const won = await writer.set(keys.snapshotLock, trackerId, 'PX', this.options.snapshotIntervalMs, 'NX');
      if (won === 'OK') await this.options.takeSnapshot();
    }
  }

  /** Compares the log with what this tracker read; true when it had to reload. */
  private async checkLog(epoch: string): Promise<boolean> {
    const { keys } = this.options;
    const position = this.options.position();
    if (position === '0') return false;
    const info = await this.options.scripts.streamInfo(keys.log);
    if (info.lastGenerated === undefined || compareStreamIds(info.lastGenerated, position) < 0) {
      // Redis came back with an older copy of the log: what was read since is lost for everyone. Start a new epoch
      // (once, whoever is first), so every tracker reloads and writes its peers back.
      const next = (await this.options.scripts.replaceEpoch(keys.epoch, epoch, newEpoch())) ?? '';
      await this.options.onEpochChanged(next);
      return true;
    }
    if (info.maxDeleted !== undefined && compareStreamIds(info.maxDeleted, position) > 0) {
      await this.options.onLogGap();
      return true;
    }
    return false;
  }
}

function newEpoch(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
