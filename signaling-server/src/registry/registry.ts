import type {
  AnnouncePiecesResponse,
  DisplayName,
  ErrorCode,
  FileId,
  FileRegistration,
  FileSource,
  PartialHolding,
  PeerId,
  RegisterFilesResponse,
  SearchQuery,
  SearchResponse,
  SearchSort,
  SearchResult,
  UnregisterFilesResponse,
} from '@shoal/common';

/**
 * A write not confirmed because this tracker is closing. A shared registry's write may still reach the other trackers:
 * what is lost is only this tracker's word that it was applied.
 */
export class RegistryClosingError extends Error {
  override name = 'RegistryClosingError';

  constructor() {
    super('the registry is closing');
  }
}

/** A refused change; nothing was changed. */
export interface RegistryError<C extends ErrorCode = 'TOO_MANY_FILES'> {
  code: C;
  message: string;
}

/**
 * What {@link Registry.register} answers. Shaped like the protocol's `Result`, so a handler can acknowledge it as is.
 */
export type RegisterOutcome = { ok: true; data: RegisterFilesResponse } | { ok: false; error: RegistryError };

/** What {@link Registry.announce} answers; shaped like the protocol's `Result` too. */
export type AnnounceOutcome =
  | { ok: true; data: AnnouncePiecesResponse }
  | { ok: false; error: RegistryError<'UNKNOWN_FILE' | 'INVALID_PAYLOAD' | 'TOO_MANY_FILES'> };

/** A validated search request (defaults applied), its query parsed with `parseSearchQuery`. */
export interface SearchParams {
  query: SearchQuery;
  sort: SearchSort;
  offset: number;
  limit: number;
}

/** A file that just became findable under a name, with the size and type the holding that named it gave. */
export interface NamedFile {
  id: FileId;
  name: string;
  size: number;
  mimeType: string;
  /** The peer whose holding named it. */
  registrant: PeerId;
}

/** A search result with when its file was first registered, on the registry's clock. */
export interface DatedResult {
  file: SearchResult;
  firstSeen: number;
}

/**
 * Told when content becomes findable under a name: a file id nobody held a moment ago, or a name the file was not
 * listed under. Called synchronously inside the change, so it must be quick and must not throw.
 */
export type NamedFileListener = (file: NamedFile) => void;

/** Counts for health checks and metrics. */
export interface RegistryStats {
  /** Peers holding at least one file, completely or in part. */
  peers: number;
  /** Distinct files (by id) with at least one holder, complete or partial. */
  files: number;
}

/**
 * Which peers hold which files, completely (registered) or in part (announced pieces), searchable by name. Knows
 * nothing of sockets: callers pass already validated data and a peer id they vouch for. Every method is async so a
 * shared (Redis) implementation can stand in for the in-memory one.
 *
 * A file stays in the registry, and findable, while anyone holds any of it. Partial holders do not name a file: a
 * partial holding takes the file's most common name, size and type at the peer's first announcement for it and keeps
 * them (it counts toward the most common name and size like any holding), so a file whose complete holders have left
 * is still listed under the name it had.
 */
export interface Registry {
  /**
   * Records that `peerId` holds `files` completely. Registering a file the peer already holds replaces its name, size
   * and type; a partial holding of it becomes a complete one. All or nothing: if the peer would end up holding more
   * than `MAX_FILES_PER_PEER` files (complete and partial together), nothing changes and the outcome is a
   * `TOO_MANY_FILES` error.
   */
  register(peerId: PeerId, files: readonly FileRegistration[]): Promise<RegisterOutcome>;
  /**
   * Records which pieces `peerId` holds of files it is downloading: each entry replaces the peer's previous bitfield
   * for that file, and a bitfield with no bit set withdraws it. The same id twice counts once, the last one wins.
   * Entries for files the peer holds completely are accepted and ignored (the complete holding stands).
   *
   * All or nothing: nothing changes unless every entry is acceptable. Refused with `UNKNOWN_FILE` when nobody holds
   * the file (except for a withdrawal, which is then a no-op: there is nothing to withdraw); `INVALID_PAYLOAD` when
   * a bitfield does not fit the file's piece count exactly (the count follows from the size the registry shows for
   * it, or the one its current partial holders were checked against); `TOO_MANY_FILES` past `MAX_FILES_PER_PEER`.
   * The bitfields are copied: callers may reuse or release their buffers.
   */
  announce(peerId: PeerId, holdings: readonly PartialHolding[]): Promise<AnnounceOutcome>;
  /**
   * Forgets `peerId`'s holdings, complete or partial, of `fileIds`; ids it does not hold are ignored (never another
   * peer's holdings). `removed` counts the ids it held either way.
   */
  unregister(peerId: PeerId, fileIds: readonly FileId[]): Promise<UnregisterFilesResponse>;
  /** Forgets everything `peerId` holds, complete or partial (it disconnected). */
  removePeer(peerId: PeerId): Promise<void>;
  /**
   * Files matching `query`, one row per content: their names together hold every word (the last bare one as a
   * prefix), some name holds each phrase, none holds an excluded word or phrase, some holding makes the file of a
   * wanted kind or extension, and its size is in range. Ordered by `sort` (see `SEARCH_SORTS`), paginated, each with
   * its names, holder counts and availability. A query with nothing in it matches nothing.
   */
  search(params: SearchParams): Promise<SearchResponse>;
  /**
   * Up to `MAX_HOLDERS_RETURNED` peers holding `fileId`, never `exceptPeer`: complete holders first (a random sample
   * when there are more), then partial holders, those with more pieces first.
   */
  holders(fileId: FileId, exceptPeer?: PeerId): Promise<PeerId[]>;
  /** Peer and file counts. */
  stats(): Promise<RegistryStats>;
  /**
   * Sets the display name `peerId` goes by (already normalised), replacing the one it had. It is kept whether or not
   * the peer holds anything, and forgotten with the peer ({@link removePeer}).
   */
  setName(peerId: PeerId, name: DisplayName): Promise<void>;
  /**
   * The holders {@link holders} would give (up to `MAX_SOURCES_RETURNED`, never `exceptPeer`, complete ones first),
   * each with its display name (null without one) and whether it holds the whole file.
   */
  sources(fileId: FileId, exceptPeer?: PeerId): Promise<FileSource[]>;
  /**
   * The registry's clock now, in milliseconds: what a file first registered now is dated. In memory, the tracker's
   * wall clock; shared, the time of the latest log entry applied (the Redis server's clock, from the entry ids), which
   * every tracker dates files by alike.
   */
  clock(): number;
  /**
   * Catch-up of a watched search: the files matching `query` first registered at `since` (registry clock) or later,
   * the newest `limit` of them, newest first; one search sorted `newest` of `limit` results, so it costs no more than
   * one. Inclusive: a file registered in the same millisecond as the newest one a page saw is not lost.
   */
  firstRegisteredSince(query: SearchQuery, since: number, limit: number): Promise<DatedResult[]>;
  /** One file as a search shows it (its most common name), or `undefined` when nobody holds any of it. */
  lookup(fileId: FileId): Promise<SearchResult | undefined>;
  /** {@link lookup}, with when the file was first registered (what a watch's match is dated by). */
  lookupDated(fileId: FileId): Promise<DatedResult | undefined>;
  /**
   * Calls `listener` whenever a file becomes findable under a name (see {@link NamedFileListener}), whichever tracker
   * the change came through when the registry is shared. Returns a function that stops the calls.
   */
  onFileNamed(listener: NamedFileListener): () => void;
}
