import {
  MAX_FILES_PER_PEER,
  MAX_HOLDERS_RETURNED,
  type FileId,
  type FileRegistration,
  type PeerId,
  type SearchResponse,
  type SearchResult,
  type UnregisterFilesResponse,
} from '@shoal/common';
import { nameMatches, parseQuery, type ParsedQuery } from './query.ts';
import type { RegisterOutcome, Registry, RegistryStats, SearchParams } from './registry.ts';
import { SearchIndex } from './search-index.ts';

/** What one peer says about a file it holds; peers may disagree, the downloader verifies the manifest. */
interface Holding {
  readonly name: string;
  readonly size: number;
  readonly mimeType: string;
}

interface Entry {
  readonly holders: Map<PeerId, Holding>;
  /** How many holders use each name; each distinct name is indexed once. */
  readonly names: Map<string, number>;
}

/** Options of {@link MemoryRegistry}; the defaults are the protocol limits. */
export interface MemoryRegistryOptions {
  maxFilesPerPeer?: number;
  maxHoldersReturned?: number;
  /** Source of randomness for sampling holders (tests pin it). */
  random?: () => number;
}

/** The value with the highest count; ties go to the smallest value, so the answer is stable. */
function mostCommon<T extends string | number>(counts: Map<T, number>): T | undefined {
  let best: T | undefined;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== undefined && value < best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

function tally<T>(counts: Map<T, number>, value: T): void {
  counts.set(value, (counts.get(value) ?? 0) + 1);
}

/** The registry in one process's memory: the default when no shared store is configured. */
export class MemoryRegistry implements Registry {
  private readonly files = new Map<FileId, Entry>();
  private readonly peers = new Map<PeerId, Set<FileId>>();
  private readonly index = new SearchIndex();
  private readonly maxFilesPerPeer: number;
  private readonly maxHoldersReturned: number;
  private readonly random: () => number;

  constructor(options: MemoryRegistryOptions = {}) {
    this.maxFilesPerPeer = options.maxFilesPerPeer ?? MAX_FILES_PER_PEER;
    this.maxHoldersReturned = options.maxHoldersReturned ?? MAX_HOLDERS_RETURNED;
    this.random = options.random ?? Math.random;
  }

  async register(peerId: PeerId, files: readonly FileRegistration[]): Promise<RegisterOutcome> {
    // The same id twice in one batch counts once; the last one wins.
    const batch = new Map(files.map((file) => [file.id, file] as const));
    const held = this.peers.get(peerId);
    let added = 0;
    for (const id of batch.keys()) if (!held?.has(id)) added++;
    const total = (held?.size ?? 0) + added;
    if (total > this.maxFilesPerPeer) {
      return {
        ok: false,
        error: {
          code: 'TOO_MANY_FILES',
          message: `a peer may register at most ${this.maxFilesPerPeer} files; this would make ${total}`,
        },
      };
    }
    if (batch.size === 0) return { ok: true, data: { total } };
    const mine = held ?? new Set<FileId>();
    this.peers.set(peerId, mine);
    for (const file of batch.values()) {
      this.hold(peerId, file);
      mine.add(file.id);
    }
    return { ok: true, data: { total: mine.size } };
  }

  async unregister(peerId: PeerId, fileIds: readonly FileId[]): Promise<UnregisterFilesResponse> {
    const mine = this.peers.get(peerId);
    if (!mine) return { removed: 0 };
    let removed = 0;
    for (const id of fileIds) {
      // Only ids in the peer's own set are touched: a peer cannot drop another's holdings.
      if (!mine.delete(id)) continue;
      this.release(peerId, id);
      removed++;
    }
    if (mine.size === 0) this.peers.delete(peerId);
    return { removed };
  }

  async removePeer(peerId: PeerId): Promise<void> {
    const mine = this.peers.get(peerId);
    if (!mine) return;
    for (const id of mine) this.release(peerId, id);
    this.peers.delete(peerId);
  }

  async search({ query, offset, limit }: SearchParams): Promise<SearchResponse> {
    const parsed = parseQuery(query);
    if (!parsed) return { results: [], total: 0 };
    const page = this.index.search(parsed, { offset, limit });
    const results: SearchResult[] = [];
    for (const hit of page.hits) {
      const entry = this.files.get(hit.fileId);
      if (entry) results.push(this.describe(hit.fileId, entry, parsed));
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
    return sample;
  }

  async stats(): Promise<RegistryStats> {
    return { peers: this.peers.size, files: this.files.size };
  }

  /** Records one peer's holding of one file, replacing what it said before. */
  private hold(peerId: PeerId, file: FileRegistration): void {
    let entry = this.files.get(file.id);
    if (!entry) {
      entry = { holders: new Map(), names: new Map() };
      this.files.set(file.id, entry);
    }
    const previous = entry.holders.get(peerId);
    entry.holders.set(peerId, { name: file.name, size: file.size, mimeType: file.mimeType });
    if (previous?.name !== file.name) {
      if (previous) this.dropName(file.id, entry, previous.name);
      const count = entry.names.get(file.name) ?? 0;
      entry.names.set(file.name, count + 1);
      if (count === 0) this.index.add(file.id, file.name);
    }
    this.updateRank(file.id, entry);
  }

  /** Forgets one peer's holding of one file; the entry goes with its last holder. */
  private release(peerId: PeerId, fileId: FileId): void {
    const entry = this.files.get(fileId);
    const holding = entry?.holders.get(peerId);
    if (!entry || !holding) return;
    entry.holders.delete(peerId);
    this.dropName(fileId, entry, holding.name);
    if (entry.holders.size === 0) this.files.delete(fileId);
    else this.updateRank(fileId, entry);
  }

  /** Ranking among equal matches uses the holder count and the most common name (whatever the query). */
  private updateRank(fileId: FileId, entry: Entry): void {
    this.index.setRank(fileId, entry.holders.size, (mostCommon(entry.names) ?? '').toLowerCase());
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
   * The name to show: the most common among holders' names that match the query (a file can match through the
   * words of several names together, then the most common of all).
   */
  private displayName(entry: Entry, query: ParsedQuery): string {
    if (entry.names.size === 1) return entry.names.keys().next().value ?? '';
    const matching = new Map<string, number>();
    for (const [name, count] of entry.names) if (nameMatches(query, name)) matching.set(name, count);
    return mostCommon(matching.size > 0 ? matching : entry.names) ?? '';
  }

  /** A search result: the shown name, the most common size, and the most common type among holders of that name. */
  private describe(id: FileId, entry: Entry, query: ParsedQuery): SearchResult {
    const name = this.displayName(entry, query);
    const sizes = new Map<number, number>();
    const types = new Map<string, number>();
    for (const holding of entry.holders.values()) {
      tally(sizes, holding.size);
      if (holding.name === name && holding.mimeType !== '') tally(types, holding.mimeType);
    }
    return {
      id,
      name,
      size: mostCommon(sizes) ?? 0,
      mimeType: mostCommon(types) ?? '',
      holders: entry.holders.size,
    };
  }
}
