import type { PeerId } from '@shoal/common';
import { MemoryRegistry, type MemoryRegistryOptions, type PeerHoldings } from '../memory.ts';
import type { Command, TrackerId } from './commands.ts';

/** One peer as a snapshot or a re-write carries it: who holds its socket, and what it holds. */
export interface PeerRecord {
  peer: PeerId;
  tracker: TrackerId;
  holdings: PeerHoldings;
}

/**
 * The whole shared registry in this process: a {@link MemoryRegistry} plus which tracker holds each peer's socket.
 * It changes only by {@link apply}, in the order of the command log, so every tracker's replica goes through the
 * same states and computes the same outcome for each request. Pure: it knows nothing of Redis.
 */
export class Replica {
  readonly registry: MemoryRegistry;
  /** Peer -> the tracker holding its socket, for every peer connected anywhere (or holding anything). */
  private readonly owners = new Map<PeerId, TrackerId>();
  /** Tracker -> its peers. */
  private readonly byTracker = new Map<TrackerId, Set<PeerId>>();
  /** The registry's clock: the time of the entry being applied, so every replica dates a new file alike. */
  private time = 0;
  /** The records a snapshot is reading, kept as they were when it began (see {@link freeze}). */
  private frozen: FrozenRecords | undefined;

  constructor(private readonly options: MemoryRegistryOptions = {}) {
    this.registry = new MemoryRegistry({ ...options, now: () => this.time });
  }

  /** A fresh, empty replica with the same options. */
  empty(): Replica {
    return new Replica(this.options);
  }

  /**
   * Applies one command written by `tracker` at `time` (the Redis clock's, from the log entry's id); resolves with
   * the outcome a request gets.
   */
  async apply(tracker: TrackerId, command: Command, time: number): Promise<unknown> {
    this.time = time;
    if (this.frozen) {
      this.frozen.preserve(command.op === 'remove-tracker' ? this.peersOf(command.tracker) : [command.peer]);
    }
    switch (command.op) {
      case 'connect':
        this.own(command.peer, tracker);
        return null;
      case 'register':
        this.own(command.peer, tracker);
        return this.registry.register(command.peer, command.files);
      case 'announce':
        this.own(command.peer, tracker);
        return this.registry.announce(command.peer, command.holdings);
      case 'name':
        this.own(command.peer, tracker);
        await this.registry.setName(command.peer, command.name);
        return null;
      case 'unregister':
        return this.registry.unregister(command.peer, command.fileIds);
      case 'remove-peer':
        await this.registry.removePeer(command.peer);
        this.disown(command.peer);
        return null;
      case 'restore':
        this.own(command.peer, tracker);
        this.registry.restore(command.peer, command.holdings);
        return null;
      case 'remove-tracker': {
        const peers = [...(this.byTracker.get(command.tracker) ?? [])];
        for (const peer of peers) {
          await this.registry.removePeer(peer);
          this.disown(peer);
        }
        return peers.length;
      }
    }
  }

  /** Whether `peer` is connected to some tracker (as far as the log has told). */
  isConnected(peer: PeerId): boolean {
    return this.owners.has(peer);
  }

  /** The tracker holding `peer`'s socket. */
  ownerOf(peer: PeerId): TrackerId | undefined {
    return this.owners.get(peer);
  }

  /** Every peer connected somewhere and the tracker holding it. */
  peerOwners(): [PeerId, TrackerId][] {
    return [...this.owners];
  }

  /** Trackers that hold at least one peer. */
  trackers(): TrackerId[] {
    return [...this.byTracker.keys()];
  }

  /** Peers held by `tracker`. */
  peersOf(tracker: TrackerId): PeerId[] {
    return [...(this.byTracker.get(tracker) ?? [])];
  }

  /** What `peer` holds (empty when nothing). */
  holdingsOf(peer: PeerId): PeerHoldings {
    return this.registry.holdingsOf(peer) ?? { complete: [], partial: [] };
  }

  /**
   * Every peer as it is now, read lazily while commands go on being applied: a peer a command is about to change is
   * copied first, unless already read (copy on write). A snapshot encodes for seconds at a million files; holding the
   * log still meanwhile made files registered elsewhere wait that long to be findable here. One at a time; `release`
   * when done.
   */
  freeze(): { records: Iterable<PeerRecord>; release(): void } {
    if (this.frozen) throw new Error('a snapshot is already reading this replica');
    const frozen = new FrozenRecords(this);
    this.frozen = frozen;
    return {
      records: frozen.records(),
      release: () => {
        if (this.frozen === frozen) this.frozen = undefined;
      },
    };
  }

  /** Loads one peer of a snapshot taken at `time` (the date of files whose records carry none). */
  load(record: PeerRecord, time: number): void {
    this.time = time;
    this.own(record.peer, record.tracker);
    this.registry.restore(record.peer, record.holdings);
  }

  private own(peer: PeerId, tracker: TrackerId): void {
    const current = this.owners.get(peer);
    if (current === tracker) return;
    if (current !== undefined) this.byTracker.get(current)?.delete(peer);
    this.owners.set(peer, tracker);
    let peers = this.byTracker.get(tracker);
    if (!peers) this.byTracker.set(tracker, (peers = new Set()));
    peers.add(peer);
  }

  private disown(peer: PeerId): void {
    const tracker = this.owners.get(peer);
    if (tracker === undefined) return;
    this.owners.delete(peer);
    const peers = this.byTracker.get(tracker);
    peers?.delete(peer);
    if (peers?.size === 0) this.byTracker.delete(tracker);
  }
}

/** The peers of a {@link Replica} at one moment, read lazily; see {@link Replica.freeze}. */
class FrozenRecords {
  /** Each peer and its tracker at that moment, in the order they are read. */
  private readonly order: [PeerId, TrackerId][];
  /** The peers not read yet. */
  private readonly unread: Set<PeerId>;
  /** Holdings copied before a change, of peers not read yet. */
  private readonly copies = new Map<PeerId, PeerHoldings>();

  constructor(private readonly replica: Replica) {
    this.order = replica.peerOwners();
    this.unread = new Set(this.order.map(([peer]) => peer));
  }

  /** Called before `peers` change: keeps what they hold now, for those not read yet. */
  preserve(peers: Iterable<PeerId>): void {
    for (const peer of peers) {
      if (this.unread.has(peer) && !this.copies.has(peer)) this.copies.set(peer, this.replica.holdingsOf(peer));
    }
  }

  *records(): Generator<PeerRecord> {
    for (const [peer, tracker] of this.order) {
      const holdings = this.copies.get(peer) ?? this.replica.holdingsOf(peer);
      this.copies.delete(peer);
      this.unread.delete(peer);
      yield { peer, tracker, holdings };
    }
  }
}
