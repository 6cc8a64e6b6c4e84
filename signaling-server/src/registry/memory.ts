import { addSize, removeSize, shownSize, type SizeTally } from './size-tally.ts';
import {
  MAX_FILES_PER_PEER,
  MAX_FILES_PER_REGISTER,
  MAX_PARTIAL_FILES_PER_PEER,
  MAX_HOLDERS_RETURNED,
  MAX_RESULT_NAMES,
  MAX_SOURCES_RETURNED,
  choosePieceSize,
  countBits,
  fileFiltersMatch,
  fileKindOf,
  fitsPieceCount,
  pieceCountOf,
  type DisplayName,
  type FileId,
  type FileRegistration,
  type FileSource,
  type PartialHolding,
  type PeerId,
  type SearchQuery,
  type SearchResponse,
  type SearchResult,
  type UnregisterFilesResponse,
} from '@shoal/common';
import { PieceAvailability } from './piece-availability.ts';
import type {
  AnnounceOutcome,
  DatedResult,
  NamedFile,
  NamedFileListener,
  RegisterOutcome,
  Registry,
  RegistryStats,
  SearchParams,
} from './registry.ts';
import { SearchIndex } from './search-index.ts';
import { yieldToEventLoop } from './yield.ts';
import { NameTermsMatcher } from './name-terms.ts';
import { mostCommon, mostCommonNames, ValueTally } from './result-tallies.ts';
import { smallestK } from './top-k.ts';

/** What one peer says about a file it holds; peers may disagree, the downloader verifies the manifest. */
interface Holding {
  readonly name: string;
  readonly size: number;
  readonly mimeType: string;
}

/** A partial holding: name, size and type as the file showed them when the peer first announced it. */
interface PartialHold extends Holding {
  /** The peer's own copy of its latest bitfield. */
  have: Uint8Array;
  /** Pieces set in `have`. */
  pieces: number;
}

/** The peers downloading one file and which pieces they have between them. */
interface PartialSwarm {
  readonly holders: Map<PeerId, PartialHold>;
  /** Sized by the file's piece count when the first partial holder arrived; every bitfield is checked against it. */
  readonly availability: PieceAvailability;
}

interface Entry extends SizeTally {
  /** Complete holders. */
  readonly holders: Map<PeerId, Holding>;
  /** How many holdings (complete and partial) use each name; each distinct name is indexed once. */
  readonly names: Map<string, number>;
  /** Partial holders, while there are any. */
  partial: PartialSwarm | undefined;
  /** When the entry appeared: the content's first registration while someone has held it since (registry clock). */
  firstSeen: number;
}

/** The files one peer holds, completely or in part; a file is in one set at most. */
interface PeerFiles {
  readonly complete: Set<FileId>;
  readonly partial: Set<FileId>;
}

/** One checked entry of an announcement, ready to apply. */
interface CheckedHolding {
  readonly have: Uint8Array;
  readonly pieces: number;
  readonly pieceCount: number;
}

/** A partial holding as the registry keeps it: the name, size and type it took, and the peer's bitfield. */
export interface PartialRecord {
  id: FileId;
  name: string;
  size: number;
  mimeType: string;
  have: Uint8Array;
  /** When the file was first registered, as the registry the record comes from had it. */
  firstSeen?: number;
}

/** A complete holding as {@link MemoryRegistry.holdingsOf} copies it: the registration, and the file's first one. */
export interface CompleteRecord extends FileRegistration {
  firstSeen?: number;
}

/** Everything one peer holds, complete and partial: enough to copy it into another registry with {@link MemoryRegistry.restore}. */
export interface PeerHoldings {
  complete: CompleteRecord[];
  partial: PartialRecord[];
  /** The display name it goes by, if it told one. */
  name?: DisplayName;
}

/** Options of {@link MemoryRegistry}; the defaults are the protocol limits. */
export interface MemoryRegistryOptions {
  maxFilesPerPeer?: number;
  maxHoldersReturned?: number;
  /** Source of randomness for sampling holders (tests pin it). */
  random?: () => number;
  /**
   * The registry's clock (milliseconds since the epoch), read when a file is first registered, for the `newest`
   * order. Defaults to `Date.now`; a shared registry passes the time of the log entry being applied, so every tracker
   * agrees.
   */
  now?: () => number;
}

/**
 * How many of a leaving peer's holdings are released at a time, the event loop served in between: as many as one
 * registration brings. At a million files, releasing a peer's 10,000 in one go held the tracker for 134-1,327 ms
 * (median 258, timing `removePeer` alone: docs/benchmarks.md, "Two trackers on one Redis"), and a hundred peers
 * leaving together for 31 s, with searches and signals waiting all along.
 */
const RELEASE_SLICE = MAX_FILES_PER_REGISTER;

/** Holdings a result's media type is counted over (see `summarize`). */
const TYPE_SAMPLE = 256;

/** The registry in one process's memory: the default when no shared store is configured. */
export class MemoryRegistry implements Registry {
  private readonly files = new Map<FileId, Entry>();
  private readonly peers = new Map<PeerId, PeerFiles>();
  /** Display names, of peers holding something or not; one per connected peer at most. */
  private readonly names = new Map<PeerId, DisplayName>();
  private readonly index = new SearchIndex();
  /** Scratch tally of a result's media types (see `shownType`). */
  private readonly typeTally = new ValueTally();
  /** The name terms of the last query described (see `nameTermsOf`). */
  private nameTerms: NameTermsMatcher | undefined;
  private readonly maxFilesPerPeer: number;
  private readonly maxHoldersReturned: number;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly namedListeners = new Set<NamedFileListener>();

  constructor(options: MemoryRegistryOptions = {}) {
    this.maxFilesPerPeer = options.maxFilesPerPeer ?? MAX_FILES_PER_PEER;
    this.maxHoldersReturned = options.maxHoldersReturned ?? MAX_HOLDERS_RETURNED;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  async register(peerId: PeerId, files: readonly FileRegistration[]): Promise<RegisterOutcome> {
    // The same id twice in one batch counts once; the last one wins.
    const batch = new Map(files.map((file) => [file.id, file] as const));
    const mine = this.peers.get(peerId);
    let added = 0;
    // A partial holding that becomes complete is not one more file.
    for (const id of batch.keys()) if (!mine?.complete.has(id) && !mine?.partial.has(id)) added++;
    const total = this.heldBy(mine) + added;
    if (total > this.maxFilesPerPeer) {
      return { ok: false, error: { code: 'TOO_MANY_FILES', message: this.tooManyFiles(total) } };
    }
    if (batch.size === 0) return { ok: true, data: { total: mine?.complete.size ?? 0 } };
    const held = mine ?? this.addPeer(peerId);
    for (const file of batch.values()) {
      this.hold(peerId, file);
      held.complete.add(file.id);
      // Complete now: the partial holding goes (after the complete one is in, so the entry never empties).
      if (held.partial.delete(file.id)) this.releasePartial(peerId, file.id);
    }
    return { ok: true, data: { total: held.complete.size } };
  }

  async announce(peerId: PeerId, holdings: readonly PartialHolding[]): Promise<AnnounceOutcome> {
    // Check every entry before changing anything. The same id twice counts once; the last one wins.
    const batch = new Map<FileId, CheckedHolding>();
    for (const [i, { id, have }] of holdings.entries()) {
      const pieces = countBits(have);
      const entry = this.files.get(id);
      if (!entry) {
        // Nobody holds it, so neither does this peer: withdrawing is a no-op, announcing pieces is refused.
        if (pieces === 0) continue;
        return {
          ok: false,
          error: { code: 'UNKNOWN_FILE', message: `files.${i}.id: file ${id} is not in the registry` },
        };
      }
      const pieceCount = this.pieceCountOf(entry);
      if (!fitsPieceCount(have, pieceCount)) {
        return {
          ok: false,
          error: {
            code: 'INVALID_PAYLOAD',
            message: `files.${i}.have: bitfield does not match the file's ${pieceCount} pieces`,
          },
        };
      }
      batch.set(id, { have, pieces, pieceCount });
    }

    const mine = this.peers.get(peerId);
    let change = 0;
    for (const [id, { pieces }] of batch) {
      if (mine?.complete.has(id)) continue;
      const had = mine?.partial.has(id) ?? false;
      if (!had && pieces > 0) change++;
      else if (had && pieces === 0) change--;
    }
    const total = this.heldBy(mine) + change;
    if (total > this.maxFilesPerPeer) {
      return { ok: false, error: { code: 'TOO_MANY_FILES', message: this.tooManyFiles(total) } };
    }
    const partialTotal = (mine?.partial.size ?? 0) + change;
    if (partialTotal > MAX_PARTIAL_FILES_PER_PEER) {
      const message = `a peer may hold at most ${MAX_PARTIAL_FILES_PER_PEER} files in part at once (this would make ${partialTotal})`;
      return { ok: false, error: { code: 'TOO_MANY_FILES', message } };
    }

    const held = mine ?? this.addPeer(peerId);
    for (const [id, checked] of batch) {
      // A complete holding stands; announcing pieces of it changes nothing.
      if (held.complete.has(id)) continue;
      if (checked.pieces > 0) {
        this.holdPartial(peerId, id, checked);
        held.partial.add(id);
      } else if (held.partial.delete(id)) {
        this.releasePartial(peerId, id);
      }
    }
    const partial = held.partial.size;
    this.forgetPeerIfEmpty(peerId, held);
    return { ok: true, data: { partial } };
  }

  async unregister(peerId: PeerId, fileIds: readonly FileId[]): Promise<UnregisterFilesResponse> {
    const mine = this.peers.get(peerId);
    if (!mine) return { removed: 0 };
    let removed = 0;
    for (const id of fileIds) {
      // Only ids in the peer's own sets are touched: a peer cannot drop another's holdings.
      if (mine.complete.delete(id)) this.release(peerId, id);
      else if (mine.partial.delete(id)) this.releasePartial(peerId, id);
      else continue;
      removed++;
    }
    this.forgetPeerIfEmpty(peerId, mine);
    return { removed };
  }

  /**
   * Forgets a peer and all it holds, {@link RELEASE_SLICE} holdings at a time. The peer is gone from the start: a
   * registration of it meanwhile (one in flight when its socket closed, which its handler follows with another
   * removal) starts afresh and keeps what it registers. Until the last slice, searches may still count the peer as a
   * holder of some files, as they could in the moment between its socket closing and this call.
   */
  async removePeer(peerId: PeerId): Promise<void> {
    this.names.delete(peerId);
    const mine = this.peers.get(peerId);
    if (!mine) return;
    this.peers.delete(peerId);
    let released = 0;
    for (const id of mine.complete) {
      if (!this.holdsAgain(peerId, id)) this.release(peerId, id);
      if (++released % RELEASE_SLICE === 0) await yieldToEventLoop();
    }
    for (const id of mine.partial) if (!this.holdsAgain(peerId, id)) this.releasePartial(peerId, id);
  }

  /** Whether a peer being removed has registered or announced `fileId` again since. */
  private holdsAgain(peerId: PeerId, fileId: FileId): boolean {
    const again = this.peers.get(peerId);
    return again !== undefined && (again.complete.has(fileId) || again.partial.has(fileId));
  }

  async search({ query, sort, offset, limit }: SearchParams): Promise<SearchResponse> {
    const page = this.index.search(query, { offset, limit, sort });
    const results: SearchResult[] = [];
    for (const hit of page.hits) {
      const entry = this.files.get(hit.fileId);
      if (entry) results.push(this.describe(hit.fileId, entry, query));
    }
    return { results, total: page.total };
  }

  async holders(fileId: FileId, exceptPeer?: PeerId): Promise<PeerId[]> {
    const entry = this.files.get(fileId);
    if (!entry) return [];
    // Reservoir sampling: with many holders, askers are spread over the swarm instead of all hitting the oldest.
    const sample: PeerId[] = [];
    let seen = 0;
    for (const peerId of entry.holders.keys()) {
      if (peerId === exceptPeer) continue;
      seen++;
      if (sample.length < this.maxHoldersReturned) {
        sample.push(peerId);
        continue;
      }
      const slot = Math.floor(this.random() * seen);
      if (slot < this.maxHoldersReturned) sample[slot] = peerId;
    }
    const room = this.maxHoldersReturned - sample.length;
    if (room <= 0 || !entry.partial) return sample;
    // Then partial holders, those with the most pieces first (they can serve the most requests).
    const partial: [PeerId, number][] = [];
    for (const [peerId, hold] of entry.partial.holders) if (peerId !== exceptPeer) partial.push([peerId, hold.pieces]);
    for (const [peerId] of smallestK(partial, room, (a, b) => b[1] - a[1])) sample.push(peerId);
    return sample;
  }

  async stats(): Promise<RegistryStats> {
    return { peers: this.peers.size, files: this.files.size };
  }

  async setName(peerId: PeerId, name: DisplayName): Promise<void> {
    this.names.set(peerId, name);
  }

  async sources(fileId: FileId, exceptPeer?: PeerId): Promise<FileSource[]> {
    const entry = this.files.get(fileId);
    if (!entry) return [];
    const holders = (await this.holders(fileId, exceptPeer)).slice(0, MAX_SOURCES_RETURNED);
    return holders.map((peerId) => ({
      peerId,
      name: this.names.get(peerId) ?? null,
      complete: entry.holders.has(peerId),
    }));
  }

  clock(): number {
    return this.now();
  }

  async firstRegisteredSince(query: SearchQuery, since: number, limit: number): Promise<DatedResult[]> {
    // Newest first, so the files since `since` are the start of the page: the rest are older.
    const page = this.index.search(query, { offset: 0, limit, sort: 'newest' });
    const found: DatedResult[] = [];
    for (const hit of page.hits) {
      const entry = this.files.get(hit.fileId);
      if (entry && entry.firstSeen >= since) {
        found.push({ file: this.describe(hit.fileId, entry, query), firstSeen: entry.firstSeen });
      }
    }
    return found;
  }

  async lookup(fileId: FileId): Promise<SearchResult | undefined> {
    return (await this.lookupDated(fileId))?.file;
  }

  async lookupDated(fileId: FileId): Promise<DatedResult | undefined> {
    const entry = this.files.get(fileId);
    if (!entry) return undefined;
    return { file: this.resultOf(fileId, entry, mostCommon(entry.names) ?? ''), firstSeen: entry.firstSeen };
  }

  onFileNamed(listener: NamedFileListener): () => void {
    this.namedListeners.add(listener);
    return () => this.namedListeners.delete(listener);
  }

  /**
   * Tells the listeners a file is findable under a new name, named by `registrant`'s holding; one that throws cannot
   * leave a change half made.
   */
  private named(file: Omit<NamedFile, 'registrant'>, registrant: PeerId): void {
    if (this.namedListeners.size === 0) return;
    const { id, name, size, mimeType } = file;
    const named: NamedFile = { id, name, size, mimeType, registrant };
    for (const listener of this.namedListeners) {
      try {
        listener(named);
      } catch {
        // A listener's own failure is its own (the watch hub logs its errors); the registry's state is what matters.
      }
    }
  }

  /** Peers holding anything, complete or partial. */
  peerIds(): IterableIterator<PeerId> {
    return this.peers.keys();
  }

  /**
   * What `peerId` holds and the name it goes by, as records {@link restore} takes back (bitfields are copies);
   * undefined if neither.
   */
  holdingsOf(peerId: PeerId): PeerHoldings | undefined {
    const mine = this.peers.get(peerId);
    const name = this.names.get(peerId);
    if (!mine) return name === undefined ? undefined : { complete: [], partial: [], name };
    const complete: CompleteRecord[] = [];
    const partial: PartialRecord[] = [];
    for (const id of mine.complete) {
      const entry = this.files.get(id);
      const holding = entry?.holders.get(peerId);
      if (entry && holding) complete.push({ id, ...holding, firstSeen: entry.firstSeen });
    }
    for (const id of mine.partial) {
      const entry = this.files.get(id);
      const hold = entry?.partial?.holders.get(peerId);
      if (!entry || !hold) continue;
      const { name, size, mimeType } = hold;
      partial.push({ id, name, size, mimeType, have: hold.have.slice(), firstSeen: entry.firstSeen });
    }
    return name === undefined ? { complete, partial } : { complete, partial, name };
  }

  /**
   * Adds holdings taken from another registry with {@link holdingsOf}, as they were: partial holdings keep their name,
   * size and type, even when nobody else holds the file, and files keep when they were first registered (the earliest
   * time any record of a file gives). For copying a registry, not for requests: the per-peer limits are not checked
   * (the registry the records came from checked them), a partial record of a file the peer holds completely is
   * ignored, and one whose bitfield does not fit the file's piece count is dropped.
   */
  restore(peerId: PeerId, holdings: PeerHoldings): void {
    if (holdings.name !== undefined) this.names.set(peerId, holdings.name);
    const held = this.peers.get(peerId) ?? this.addPeer(peerId);
    for (const { firstSeen, ...file } of holdings.complete) {
      this.hold(peerId, file, firstSeen);
      held.complete.add(file.id);
      if (held.partial.delete(file.id)) this.releasePartial(peerId, file.id);
    }
    for (const record of holdings.partial) {
      if (held.complete.has(record.id) || !this.restorePartial(peerId, record)) continue;
      held.partial.add(record.id);
    }
    this.forgetPeerIfEmpty(peerId, held);
  }

  /** One partial record of {@link restore}; false when its bitfield does not fit. */
  private restorePartial(peerId: PeerId, record: PartialRecord): boolean {
    const existing = this.files.get(record.id);
    const previous = existing?.partial?.holders.get(peerId);
    const pieceCount =
      existing?.partial?.availability.pieceCount ?? pieceCountOf(record.size, choosePieceSize(record.size));
    if (!fitsPieceCount(record.have, pieceCount)) return false;
    const pieces = countBits(record.have);
    if (pieces === 0) return false;
    if (previous) {
      this.holdPartial(peerId, record.id, { have: record.have, pieces, pieceCount });
      return true;
    }
    const entry = this.entryFor(record.id, record.size, record.firstSeen);
    const have = new Uint8Array(record.have);
    const swarm = (entry.partial ??= { holders: new Map(), availability: new PieceAvailability(pieceCount) });
    const hold = { name: record.name, size: record.size, mimeType: record.mimeType, have, pieces };
    swarm.holders.set(peerId, hold);
    swarm.availability.add(have);
    addSize(entry, hold.size);
    if (this.addHolding(record.id, entry, hold)) this.named(record, peerId);
    this.updateRank(record.id, entry);
    return true;
  }

  private addPeer(peerId: PeerId): PeerFiles {
    const files: PeerFiles = { complete: new Set(), partial: new Set() };
    this.peers.set(peerId, files);
    return files;
  }

  private forgetPeerIfEmpty(peerId: PeerId, files: PeerFiles): void {
    if (files.complete.size === 0 && files.partial.size === 0) this.peers.delete(peerId);
  }

  /** Files a peer holds, complete and partial: what the per-peer limit counts. */
  private heldBy(files: PeerFiles | undefined): number {
    return (files?.complete.size ?? 0) + (files?.partial.size ?? 0);
  }

  private tooManyFiles(total: number): string {
    return `a peer may hold at most ${this.maxFilesPerPeer} files, complete or partial; this would make ${total}`;
  }

  /**
   * The piece count bitfields of this file must fit: the one its partial holders were checked against while it has
   * any (so the counters keep one length), else the one that follows from the size the registry shows.
   */
  private pieceCountOf(entry: Entry): number {
    if (entry.partial) return entry.partial.availability.pieceCount;
    const { size } = this.summarize(entry, mostCommon(entry.names) ?? '');
    return pieceCountOf(size, choosePieceSize(size));
  }

  /**
   * The entry of a file, made if it has none (first registered now, or at `firstSeen` when copied from another
   * registry; a copied time earlier than the entry's own wins, so the order records arrive in does not matter).
   */
  private entryFor(fileId: FileId, size: number, firstSeen?: number): Entry {
    let entry = this.files.get(fileId);
    if (!entry) {
      entry = {
        holders: new Map(),
        names: new Map(),
        partial: undefined,
        firstSeen: firstSeen ?? this.now(),
        firstSize: size,
        otherSizes: undefined,
      };
      this.files.set(fileId, entry);
    } else if (firstSeen !== undefined && firstSeen < entry.firstSeen) {
      entry.firstSeen = firstSeen;
    }
    return entry;
  }

  /** Records one peer's holding of one file, replacing what it said before. */
  private hold(peerId: PeerId, file: FileRegistration, firstSeen?: number): void {
    const entry = this.entryFor(file.id, file.size, firstSeen);
    const previous = entry.holders.get(peerId);
    const holding = { name: file.name, size: file.size, mimeType: file.mimeType };
    entry.holders.set(peerId, holding);
    if (previous) removeSize(entry, previous.size);
    addSize(entry, holding.size);
    // Added before the previous holding goes, so a name kept does not leave the index and come back.
    if (previous?.name !== holding.name || previous.mimeType !== holding.mimeType) {
      if (this.addHolding(file.id, entry, holding)) this.named(file, peerId);
      if (previous) this.dropHolding(file.id, entry, previous);
    }
    this.updateRank(file.id, entry);
  }

  /**
   * Records which pieces a peer holds of a file it does not hold completely (the entry exists: it was checked). A
   * first announcement takes the file's name, size and type as shown now; later ones only replace the bitfield.
   */
  private holdPartial(peerId: PeerId, fileId: FileId, { have, pieces, pieceCount }: CheckedHolding): void {
    const entry = this.files.get(fileId) as Entry;
    // A copy of our own: never a view into a buffer the caller (a socket) may reuse.
    const copy = new Uint8Array(have);
    const swarm = (entry.partial ??= { holders: new Map(), availability: new PieceAvailability(pieceCount) });
    const previous = swarm.holders.get(peerId);
    if (previous) {
      swarm.availability.replace(previous.have, copy);
      previous.have = copy;
      previous.pieces = pieces;
      return;
    }
    const name = mostCommon(entry.names) ?? '';
    const hold = { name, ...this.summarize(entry, name), have: copy, pieces };
    swarm.holders.set(peerId, hold);
    swarm.availability.add(copy);
    addSize(entry, hold.size);
    this.addHolding(fileId, entry, hold);
    this.updateRank(fileId, entry);
  }

  /** Forgets one peer's complete holding of one file. */
  private release(peerId: PeerId, fileId: FileId): void {
    const entry = this.files.get(fileId);
    const holding = entry?.holders.get(peerId);
    if (!entry || !holding) return;
    entry.holders.delete(peerId);
    removeSize(entry, holding.size);
    this.dropHolding(fileId, entry, holding);
    this.settle(fileId, entry);
  }

  /** Forgets one peer's partial holding of one file, and its pieces. */
  private releasePartial(peerId: PeerId, fileId: FileId): void {
    const entry = this.files.get(fileId);
    const swarm = entry?.partial;
    const hold = swarm?.holders.get(peerId);
    if (!entry || !swarm || !hold) return;
    swarm.holders.delete(peerId);
    swarm.availability.remove(hold.have);
    removeSize(entry, hold.size);
    if (swarm.holders.size === 0) entry.partial = undefined;
    this.dropHolding(fileId, entry, hold);
    this.settle(fileId, entry);
  }

  /** After a holding left: the entry goes with its last holder, complete or partial; otherwise its rank changed. */
  private settle(fileId: FileId, entry: Entry): void {
    if (entry.holders.size === 0 && !entry.partial) this.files.delete(fileId);
    else this.updateRank(fileId, entry);
  }

  /**
   * Ranking among equal matches uses the holder counts and the most common name (whatever the query); filters and
   * orders the size shown and the first registration.
   */
  private updateRank(fileId: FileId, entry: Entry): void {
    const partialHolders = entry.partial?.holders.size ?? 0;
    this.index.setRank(fileId, entry.holders.size, partialHolders, (mostCommon(entry.names) ?? '').toLowerCase());
    this.index.setFacts(fileId, this.shownSize(entry), entry.firstSeen);
  }

  /** A holding's name and kind enter the index (its name once per distinct name, its kind once per holding). */
  /** Indexes a holding's name and kind; true when the file was not findable under that name before. */
  private addHolding(fileId: FileId, entry: Entry, holding: Holding): boolean {
    const named = this.addName(fileId, entry, holding.name);
    const kind = fileKindOf(holding.name, holding.mimeType);
    if (kind !== null) this.index.addKind(fileId, kind);
    return named;
  }

  /** Undoes {@link addHolding}. */
  private dropHolding(fileId: FileId, entry: Entry, holding: Holding): void {
    const kind = fileKindOf(holding.name, holding.mimeType);
    if (kind !== null) this.index.removeKind(fileId, kind);
    this.dropName(fileId, entry, holding.name);
  }

  /** Counts one more holding under `name`; true when the file was not listed under it before. */
  private addName(fileId: FileId, entry: Entry, name: string): boolean {
    const count = entry.names.get(name) ?? 0;
    entry.names.set(name, count + 1);
    if (count === 0) this.index.add(fileId, name);
    return count === 0;
  }

  private dropName(fileId: FileId, entry: Entry, name: string): void {
    const count = entry.names.get(name) ?? 0;
    if (count > 1) {
      entry.names.set(name, count - 1);
      return;
    }
    entry.names.delete(name);
    this.index.remove(fileId, name);
  }

  /**
   * The name to show: the most common among holders' names that match the query on their own (a file can match
   * through the words of several names together, then the most common of all). Ties go to the smallest name.
   */
  private displayName(entry: Entry, query: SearchQuery, size: number): string {
    if (entry.names.size === 1) return entry.names.keys().next().value ?? '';
    // What a name cannot change is not asked of each name: its words when the query has none, its extension and
    // kind when it filters by neither. A name's words cost a split into new strings, and most results shown are
    // popular files, with several names.
    const byWords =
      query.words.length > 0 || query.prefix !== null || query.phrases.length > 0 || query.excluded.length > 0;
    const byName = query.extensions.length > 0 || query.kinds.length > 0;
    // The size is the file's: when it fails the filter, no name matches on its own.
    const sizeMatches = size >= query.minSize && size <= query.maxSize;
    if (!sizeMatches || (!byWords && !byName)) return mostCommon(entry.names) ?? '';
    const terms = byWords ? this.nameTermsOf(query) : undefined;
    let matching: string | undefined;
    let matchingCount = 0;
    // Keys and a lookup each: iterating the entries makes a [name, count] array per name.
    for (const name of entry.names.keys()) {
      const count = entry.names.get(name) as number;
      if (count < matchingCount || (count === matchingCount && matching !== undefined && name > matching)) continue;
      // The media type is left out: a name is judged by its own words and extension.
      if ((!byName || fileFiltersMatch(query, { name, size, mimeType: '' })) && (!terms || terms.matches(name))) {
        matching = name;
        matchingCount = count;
      }
    }
    return matching ?? mostCommon(entry.names) ?? '';
  }

  /** The matcher of the query's name terms, made once per query (a search describes up to 50 results with it). */
  private nameTermsOf(query: SearchQuery): NameTermsMatcher {
    if (this.nameTerms?.query !== query) this.nameTerms = new NameTermsMatcher(query);
    return this.nameTerms;
  }

  /** The most common names, most common first (ties by name), at most {@link MAX_RESULT_NAMES}. */
  private topNames(entry: Entry): string[] {
    return mostCommonNames(entry.names, MAX_RESULT_NAMES);
  }

  /** The most common size among all holdings (sizes differ only when a holder lies: the size is in the manifest). */
  private shownSize(entry: Entry): number {
    return shownSize(entry, entry.holders.size + (entry.partial?.holders.size ?? 0));
  }

  /**
   * The size shown, and the most common type among holdings of `name` (see {@link shownType}).
   */
  private summarize(entry: Entry, name: string): { size: number; mimeType: string } {
    return { size: this.shownSize(entry), mimeType: this.shownType(entry, name) };
  }

  /**
   * The most common type among holdings of `name`, counted over the first {@link TYPE_SAMPLE} of them: a type, like a
   * size, differs only when a holder lies, and a file held ten thousand times is not counted over in full for each
   * result that shows it. Counted in {@link typeTally}, reused: no allocation per result.
   */
  private shownType(entry: Entry, name: string): string {
    const types = this.typeTally;
    types.reset();
    const seen = this.tallyTypes(entry.holders.values(), name, 0);
    if (entry.partial && seen < TYPE_SAMPLE) this.tallyTypes(entry.partial.holders.values(), name, seen);
    return types.mostCommon() ?? '';
  }

  /** Adds the types of `holdings` of `name` to {@link typeTally}, up to {@link TYPE_SAMPLE} seen; answers the count seen. */
  private tallyTypes(holdings: Iterable<Holding>, name: string, seen: number): number {
    for (const holding of holdings) {
      if (holding.name === name && holding.mimeType !== '') this.typeTally.add(holding.mimeType);
      if (++seen >= TYPE_SAMPLE) break;
    }
    return seen;
  }

  /**
   * A search result: the shown name, the most common size and type, the holder counts, and the availability (whole
   * with a complete holder, else the share of pieces some partial holder has, kept current by the counters).
   */
  private describe(id: FileId, entry: Entry, query: SearchQuery): SearchResult {
    return this.resultOf(id, entry, this.displayName(entry, query, this.shownSize(entry)));
  }

  /** A file as results show it, under the name `name`. */
  private resultOf(id: FileId, entry: Entry, name: string): SearchResult {
    return {
      id,
      name,
      names: this.topNames(entry),
      nameCount: entry.names.size,
      // Written out, not spread from `summarize`: one object of a fixed shape per result, nothing in between.
      size: this.shownSize(entry),
      mimeType: this.shownType(entry, name),
      holders: entry.holders.size,
      partialHolders: entry.partial?.holders.size ?? 0,
      availability: entry.holders.size > 0 ? 1 : (entry.partial?.availability.fraction ?? 0),
    };
  }
}
