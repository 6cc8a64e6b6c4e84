import {
  MAX_CATCH_UP_MATCHES,
  MAX_MATCHES_PER_PUSH,
  MAX_WATCHES_PER_PEER,
  RATE_LIMITS,
  fail,
  ok,
  parseWatchQuery,
  type PeerId,
  type Result,
  type SearchQuery,
  type SearchResult,
  type WatchAddRequest,
  type WatchAddResponse,
  type WatchId,
  type WatchMatch,
  type WatchMatches,
  type WatchRemoveResponse,
} from '@shoal/common';
import type { Logger } from 'pino';
import type { NamedFile, Registry } from '../registry/registry.ts';
import { FileQueue } from './file-queue.ts';
import { MatchBudget } from './match-budget.ts';
import { SliceSizer } from './slice-sizer.ts';
import { WatchIndex, type WatchEntry, type WatchTarget } from './watch-index.ts';

/** Options of {@link WatchHub}; the defaults are the protocol limits. */
export interface WatchHubOptions {
  registry: Registry;
  logger: Logger;
  /**
   * Hands matches to a peer connected to this tracker, in one push: 1 to `MAX_MATCHES_PER_PUSH` of them, in the order
   * they were made.
   */
  deliver(peerId: PeerId, matches: WatchMatches): void;
  maxWatchesPerPeer?: number;
  /** Matches in one push, at most. */
  maxMatchesPerPush?: number;
  /** Named files waiting to be matched, at most; past it new ones are dropped (and counted). */
  maxPending?: number;
  /**
   * Stretch of watch work in one turn of the event loop, in milliseconds: at least `sliceMs` (default 1); while other
   * work (registrations) keeps the loop busy, a tenth as long as that work took since the last slice, more as the
   * queue fills (see `SliceSizer`), and never more than `maxSliceMs` (default 100).
   */
  sliceMs?: number;
  maxSliceMs?: number;
  /** Clock for the slices and the push rate (milliseconds). */
  now?: () => number;
}

/** One watch of one connection. */
interface Watch {
  readonly peerId: PeerId;
  readonly watchId: WatchId;
  readonly target: WatchTarget;
}

/** A connection's watches, the next id to hand out, and its push allowance. */
interface PeerWatches {
  readonly watches: Map<WatchId, Watch>;
  readonly pushes: MatchBudget;
  next: number;
}

/** A match ready to send: the file as the registry showed it, and the watches to send it to. */
interface Outgoing {
  readonly file: SearchResult;
  readonly firstSeen: number;
  readonly watches: readonly Watch[];
}

/** Counters for logs and the benchmark. */
export interface WatchHubStats {
  watches: number;
  distinct: number;
  /** Named files waiting to be matched, and matches waiting to be sent. */
  pending: number;
  /** Matches delivered since the start. */
  pushed: number;
  /** Pushes (`watch:matches` packets) that carried them. */
  packets: number;
  /** Matches not delivered because their connection was over its push rate. */
  throttled: number;
  /** Times a watched query was set aside (not checked against any file) until its next match is due, having matched its rate of files. */
  setAside: number;
  /** Times a file matched a query but was not pushed because its registrant had matched its share of that rate already. */
  overShare: number;
  /** Matches of files registered while a page was away, delivered since the start (counted in `pushed` too). */
  caughtUp: number;
  /** Named files never matched because the queue was full. */
  overflowed: number;
}

/**
 * A queued file costs about 80 bytes (its name and id are the registry's own strings): 16 MB at most, for several
 * seconds of a flood of registrations at the tracker's full rate, matched once the flood ebbs.
 */
const DEFAULT_MAX_PENDING = 200_000;
const DEFAULT_SLICE_MS = 1;
/**
 * One turn of a saturated event loop may take hundreds of milliseconds of requests (every socket with data is read
 * before the loop moves on), and a slice per turn must be a share of that to keep up: this caps the delay a slice
 * adds to the requests waiting behind it.
 */
const DEFAULT_MAX_SLICE_MS = 100;
const OVERFLOW_LOG_INTERVAL_MS = 10_000;

/**
 * The watches of one tracker's connections. The registry tells it of every file that becomes findable under a name
 * (through this tracker or, with Redis, any other); it queues the file and matches it later, in slices of a few
 * milliseconds between other work, so a registration is acknowledged without waiting for any matching and a burst
 * of them cannot hold the event loop. Matches are sent to their connection within its push rate, in the same slices
 * (a connection's matches of one slice together, in one push: each push is a write). Watches belong to their
 * connection and go with it.
 */
export class WatchHub {
  private readonly index = new WatchIndex<Watch>(
    RATE_LIMITS.watchQueryMatches,
    RATE_LIMITS.watchQueryMatchesPerRegistrant,
  );
  private readonly peers = new Map<PeerId, PeerWatches>();
  /**
   * Named files waiting to be matched, each with when it was named: matched as of then, however late (see
   * {@link drain}).
   */
  private readonly pending = new FileQueue();
  /** Matches looked up and waiting to be sent: sent in the same time slices as matching, first. */
  private outbox: Outgoing[] = [];
  private outboxHead = 0;
  /**
   * Matches made for each connection and not sent yet: sent together, one push per connection (see {@link flush}),
   * before the code that staged them returns, so nothing stays staged for a connection that goes.
   */
  private staged = new Map<PeerId, WatchMatch[]>();
  private scheduled = false;
  private readonly unsubscribe: () => void;
  private readonly maxWatchesPerPeer: number;
  private readonly maxMatchesPerPush: number;
  private readonly maxPending: number;
  private readonly slices: SliceSizer;
  private readonly now: () => number;
  private readonly counters = { pushed: 0, packets: 0, throttled: 0, overflowed: 0, caughtUp: 0 };
  private lastOverflowLog = -Infinity;
  private closed = false;

  constructor(private readonly options: WatchHubOptions) {
    this.maxWatchesPerPeer = options.maxWatchesPerPeer ?? MAX_WATCHES_PER_PEER;
    this.maxMatchesPerPush = options.maxMatchesPerPush ?? MAX_MATCHES_PER_PUSH;
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    const minMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    const maxMs = Math.max(minMs, options.maxSliceMs ?? DEFAULT_MAX_SLICE_MS);
    this.now = options.now ?? (() => performance.now());
    this.slices = new SliceSizer({ minMs, maxMs, maxBacklog: this.maxPending }, this.now());
    this.unsubscribe = options.registry.onFileNamed((file) => this.enqueue(file));
  }

  /**
   * Adds a watch for `peerId`: a query (refused with `INVALID_QUERY` and a hint when it is wrong or names no word)
   * or a file id. A file id watch whose file is findable already gets its match at once; a query watch with `since`
   * gets the matches first registered since then (see {@link catchUp}). Answers with the time from which it is live.
   */
  add(peerId: PeerId, request: WatchAddRequest): Result<WatchAddResponse> {
    let target: WatchTarget;
    if ('query' in request) {
      const parsed = parseWatchQuery(request.query);
      if (!parsed.ok) return fail('INVALID_QUERY', parsed.hint);
      target = { query: parsed.query };
    } else {
      target = { fileId: request.fileId };
    }
    let peer = this.peers.get(peerId);
    if ((peer?.watches.size ?? 0) >= this.maxWatchesPerPeer) {
      return fail(
        'TOO_MANY_WATCHES',
        `a connection may keep at most ${this.maxWatchesPerPeer} watches at once; remove one first`,
      );
    }
    if (!peer) {
      peer = { watches: new Map(), pushes: new MatchBudget(RATE_LIMITS.watchMatches), next: 1 };
      this.peers.set(peerId, peer);
    }
    const watch: Watch = { peerId, watchId: `w${peer.next++}`, target };
    this.index.add(target, watch);
    peer.watches.set(watch.watchId, watch);
    if ('fileId' in target) void this.matchNow(watch, target.fileId);
    else if ('since' in request && request.since !== undefined) void this.catchUp(watch, target.query, request.since);
    return ok({ watchId: watch.watchId, liveFrom: this.options.registry.clock() + 1 });
  }

  /** Removes one of `peerId`'s watches; `removed` is false when it had none by that id. */
  remove(peerId: PeerId, watchId: WatchId): WatchRemoveResponse {
    const peer = this.peers.get(peerId);
    const watch = peer?.watches.get(watchId);
    if (!peer || !watch) return { removed: false };
    peer.watches.delete(watchId);
    // The connection's record stays (until it disconnects), so its watch ids are never handed out twice.
    this.index.remove(watch.target, watch);
    return { removed: true };
  }

  /** Forgets every watch of a connection that went away. */
  dropPeer(peerId: PeerId): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    for (const watch of peer.watches.values()) this.index.remove(watch.target, watch);
    this.peers.delete(peerId);
  }

  stats(): WatchHubStats {
    return {
      watches: this.index.size,
      distinct: this.index.distinct,
      pending: this.pending.length + this.outbox.length - this.outboxHead,
      ...this.counters,
      setAside: this.index.setAside,
      overShare: this.index.overShare,
    };
  }

  /** Stops listening to the registry; queued files and matches are dropped. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    this.pending.clear();
    this.outbox = [];
    this.outboxHead = 0;
  }

  /** Called inside a registry change: queue only, and only when someone watches. */
  private enqueue(file: NamedFile): void {
    if (this.index.size === 0 || this.closed) return;
    if (this.pending.length >= this.maxPending) {
      this.counters.overflowed++;
      const time = this.now();
      if (time - this.lastOverflowLog >= OVERFLOW_LOG_INTERVAL_MS) {
        this.lastOverflowLog = time;
        this.options.logger.warn({ overflowed: this.counters.overflowed }, 'watch matching fell behind; files dropped');
      }
      return;
    }
    this.pending.push(file, this.now());
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  /**
   * Sends ready matches, then matches queued files, for one slice of time; yields if more are waiting. A file is
   * matched, and its matches admitted to their query's and connection's allowances, as of the time it was named: a
   * backlog matched late (after a flood) gets the matches it would have got at once, neither fewer nor more. The
   * matches of every file in the outbox go out together, one push per connection, before any more matching, so
   * coalescing them delays none.
   */
  private drain(): void {
    this.scheduled = false;
    if (this.closed) return;
    let now = this.now();
    const deadline = now + this.slices.length(now, this.pending.length);
    try {
      while (now < deadline) {
        if (this.outboxHead < this.outbox.length) {
          const { file, firstSeen, watches } = this.outbox[this.outboxHead++] as Outgoing;
          for (const watch of watches) this.deliver(watch, file, firstSeen);
        } else if (this.staged.size > 0) {
          this.flush();
        } else if (this.pending.length > 0) {
          const namedAt = this.pending.nextAt();
          const file = this.pending.shift();
          const admitted = this.admit(this.index.match(file, namedAt), namedAt);
          if (admitted.length > 0) void this.lookUp(file, admitted);
        } else {
          break;
        }
        now = this.now();
      }
    } catch (err) {
      this.options.logger.error({ err }, 'watch matching failed');
    }
    this.flush();
    this.slices.ended(now);
    this.pending.compact();
    if (this.outboxHead === this.outbox.length) {
      this.outbox = [];
      this.outboxHead = 0;
    }
    if (this.pending.length > 0 || this.outboxHead < this.outbox.length) this.schedule();
  }

  /** The watches of the matched targets whose connection may have one more match now. */
  private admit(entries: readonly WatchEntry<Watch>[], now: number): Watch[] {
    const admitted: Watch[] = [];
    for (const entry of entries) {
      for (const watch of entry.subscribers) {
        if (this.peers.get(watch.peerId)?.pushes.take(now)) admitted.push(watch);
        else this.counters.throttled++;
      }
    }
    return admitted;
  }

  /**
   * Looks a matched file up (as the registry shows it now, under the name that matched) and queues it for the
   * watches it matched; sent by the next slice.
   */
  private async lookUp(file: NamedFile, watches: readonly Watch[]): Promise<void> {
    try {
      const found = await this.options.registry.lookupDated(file.id);
      if (!found || this.closed) return;
      this.outbox.push({ file: { ...found.file, name: file.name }, firstSeen: found.firstSeen, watches });
      this.schedule();
    } catch (err) {
      this.options.logger.error({ err }, 'could not look a matched file up');
    }
  }

  /** A file id watch added while its file is findable: that is its match. */
  private async matchNow(watch: Watch, fileId: string): Promise<void> {
    try {
      const found = await this.options.registry.lookupDated(fileId);
      if (found && this.peers.get(watch.peerId)?.pushes.take(this.now())) {
        this.deliver(watch, found.file, found.firstSeen);
        this.flush();
      }
    } catch (err) {
      this.options.logger.error({ err }, 'could not look a watched file up');
    }
  }

  /**
   * A query watch added with `since`: the files matching it first registered since then (while the page was away),
   * the newest {@link MAX_CATCH_UP_MATCHES}, sent oldest first so that a page cut off halfway asks again from the last
   * one it got. One search of a bounded size per `watch:add`, which is rate-limited like a search request; the
   * matches are not charged to the push rate, which stands against floods of registrations, not answers to a request.
   */
  private async catchUp(watch: Watch, query: SearchQuery, since: number): Promise<void> {
    try {
      const found = await this.options.registry.firstRegisteredSince(query, since, MAX_CATCH_UP_MATCHES);
      for (const { file, firstSeen } of found.reverse()) {
        if (this.deliver(watch, file, firstSeen, true)) this.counters.caughtUp++;
      }
      this.flush();
    } catch (err) {
      this.options.logger.error({ err }, 'could not catch a watch up');
    }
  }

  /** Stages one match for the next {@link flush}, unless its watch went meanwhile; true when staged. */
  private deliver(watch: Watch, file: SearchResult, firstSeen: number, catchUp = false): boolean {
    const peer = this.peers.get(watch.peerId);
    // Removed (or its connection gone) while the file was looked up.
    if (peer?.watches.get(watch.watchId) !== watch) return false;
    this.counters.pushed++;
    const { watchId, peerId } = watch;
    const match: WatchMatch = catchUp ? { watchId, file, firstSeen, catchUp } : { watchId, file, firstSeen };
    const staged = this.staged.get(peerId);
    if (staged) staged.push(match);
    else this.staged.set(peerId, [match]);
    return true;
  }

  /**
   * Sends every connection the matches staged for it: one push each (`maxMatchesPerPush` at most, more in several),
   * which costs a connection one write however many matches it carries.
   */
  private flush(): void {
    if (this.staged.size === 0) return;
    const staged = this.staged;
    this.staged = new Map();
    for (const [peerId, matches] of staged) {
      const most = this.maxMatchesPerPush;
      for (let at = 0; at < matches.length; at += most) {
        const push = matches.length <= most ? matches : matches.slice(at, at + most);
        this.counters.packets++;
        try {
          this.options.deliver(peerId, push);
        } catch (err) {
          // One connection's failed push must not keep the others' from going out.
          this.options.logger.error({ err, peer: peerId }, 'could not push watch matches');
        }
      }
    }
  }
}
