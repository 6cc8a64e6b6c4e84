import type {
  FileId,
  FileRegistration,
  PeerId,
  RegisterFilesResponse,
  SearchResponse,
  UnregisterFilesResponse,
} from '@shoal/common';

/** A refused registration; nothing was changed. */
export interface RegistryError {
  code: 'TOO_MANY_FILES';
  message: string;
}

/**
 * What {@link Registry.register} answers. Shaped like the protocol's `Result`, so a handler can acknowledge it as is.
 */
export type RegisterOutcome = { ok: true; data: RegisterFilesResponse } | { ok: false; error: RegistryError };

/** A validated search request (defaults applied). */
export interface SearchParams {
  query: string;
  offset: number;
  limit: number;
}

/** Counts for health checks and metrics. */
export interface RegistryStats {
  /** Peers with at least one registered file. */
  peers: number;
  /** Distinct files (by id) with at least one holder. */
  files: number;
}

/**
 * Which peers hold which files, searchable by name. Knows nothing of sockets: callers pass already validated data
 * and a peer id they vouch for. Every method is async so a shared (Redis) implementation can stand in for the
 * in-memory one.
 */
export interface Registry {
  /**
   * Records that `peerId` holds `files`. Registering a file the peer already holds replaces its name, size and type.
   * All or nothing: if the peer would end up with more than `MAX_FILES_PER_PEER` files, nothing changes and the
   * outcome is a `TOO_MANY_FILES` error.
   */
  register(peerId: PeerId, files: readonly FileRegistration[]): Promise<RegisterOutcome>;
  /** Forgets `peerId`'s holdings of `fileIds`; ids it does not hold are ignored (never another peer's holdings). */
  unregister(peerId: PeerId, fileIds: readonly FileId[]): Promise<UnregisterFilesResponse>;
  /** Forgets everything `peerId` holds (it disconnected). */
  removePeer(peerId: PeerId): Promise<void>;
  /** Files whose names match `query` (all words, the last one as a prefix), ranked and paginated. */
  search(params: SearchParams): Promise<SearchResponse>;
  /** Up to `MAX_HOLDERS_RETURNED` peers holding `fileId`, never `exceptPeer`. */
  holders(fileId: FileId, exceptPeer?: PeerId): Promise<PeerId[]>;
  /** Peer and file counts. */
  stats(): Promise<RegistryStats>;
}
