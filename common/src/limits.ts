/**
 * Every size, count and rate that crosses a trust boundary has a limit, and all of them live here so that tracker,
 * web client and tests agree on them.
 */

/** Bytes in one KiB / MiB / GiB, for readable limits. */
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** Longest file name the tracker accepts, in Unicode code points (zod counts string lengths in code points). */
export const MAX_FILE_NAME_LENGTH = 255;
/** Longest MIME type string the tracker accepts. */
export const MAX_MIME_TYPE_LENGTH = 127;
/** Files in one `files:register` call; a client with more sends several batches. */
export const MAX_FILES_PER_REGISTER = 500;
/** Files one peer may have registered at once. */
export const MAX_FILES_PER_PEER = 10_000;
/**
 * Files one peer may hold in part (downloading) at once; each costs the tracker a bitfield of up to 1 KiB and a
 * per-piece count, so the bound is lower than {@link MAX_FILES_PER_PEER}.
 */
export const MAX_PARTIAL_FILES_PER_PEER = 200;
/** Files in one `files:announce` call. */
export const MAX_FILES_PER_ANNOUNCE = 100;
/** How often a downloading peer tells the tracker which pieces it holds, at most. */
export const ANNOUNCE_INTERVAL_MS = 2_000;
/** File ids in one `files:unregister` call. */
export const MAX_FILES_PER_UNREGISTER = 500;

/** Smallest and largest piece sizes; piece sizes are powers of two. */
export const MIN_PIECE_SIZE = 1 * MiB;
export const MAX_PIECE_SIZE = 16 * MiB;
/** Most pieces in one manifest: bounds the manifest at 256 KiB of hashes. */
export const MAX_PIECE_COUNT = 8192;
/** Largest shareable file: the largest piece size times the most pieces (128 GiB). */
export const MAX_FILE_SIZE = MAX_PIECE_SIZE * MAX_PIECE_COUNT;

/** Longest search query, in Unicode code points. */
export const MAX_QUERY_LENGTH = 200;
/** Most results in one search page, and the default page size. */
export const MAX_SEARCH_LIMIT = 100;
export const DEFAULT_SEARCH_LIMIT = 50;
/** Deepest offset a search may page to. */
export const MAX_SEARCH_OFFSET = 10_000;
/** Names listed per search result (a file shared under more names says how many there are in all). */
export const MAX_RESULT_NAMES = 5;
/** Most holders returned by `files:holders`. */
export const MAX_HOLDERS_RETURNED = 50;

/** Watches (watched searches and waits for a file by id) one connection may keep at once. */
export const MAX_WATCHES_PER_PEER = 20;
/**
 * Matches of files registered while a page was away that one `watch:add` with `since` catches up, at most: the
 * newest, as one search of this many results (a page keeps no more per watch).
 */
export const MAX_CATCH_UP_MATCHES = 20;

/**
 * Matches in one `watch:matches` push, at most: the tracker sends a connection the matches it has for it in one
 * packet (as many as a burst of the push rate, or one watch's catch-up), and a longer list in several.
 */
export const MAX_MATCHES_PER_PUSH = 20;

/** Longest SDP string in a relayed signal. */
export const MAX_SDP_LENGTH = 64 * KiB;
/** Longest ICE candidate string in a relayed signal. */
export const MAX_CANDIDATE_LENGTH = 2 * KiB;
/** Longest peer id (the tracker's Socket.IO connection ids are 20 characters). */
export const MAX_PEER_ID_LENGTH = 64;
/** Longest connection id chosen by the initiator of a peer connection. */
export const MAX_CONNECTION_ID_LENGTH = 64;

/** Longest error message a `signal:failed` push carries (the tracker cuts longer ones). */
export const MAX_SIGNAL_FAILURE_MESSAGE_LENGTH = 500;

/** Largest Socket.IO message the tracker reads (bytes); anything bigger closes that connection only. */
export const MAX_TRACKER_MESSAGE_BYTES = 1 * MiB;

/** Token-bucket rate limits per connection: sustained events per second and burst size. */
export const RATE_LIMITS = {
  /** Registry and search events. */
  requests: { perSecond: 20, burst: 60 },
  /** Relayed signals (a connection set-up takes a dozen or so). */
  signals: { perSecond: 200, burst: 400 },
  /**
   * Matches the tracker pushes to one connection (`watch:matches`): watches that match a flood of registrations get
   * the first of them, not an unbounded stream (a search shows the rest).
   */
  watchMatches: { perSecond: 2, burst: 20 },
  /**
   * Files one watched query (all its watchers at once) is matched with: a query that matches more than this is too
   * broad to be news, and passing it over whole keeps the cost of matching low however many people watch it.
   */
  watchQueryMatches: { perSecond: 1, burst: 10 },
  /**
   * The share of one watched query's allowance (`watchQueryMatches`) the files of one registrant may take: one peer
   * registering a flood of files that match a popular query leaves the rest of its allowance to everyone else.
   */
  watchQueryMatchesPerRegistrant: { perSecond: 0.25, burst: 3 },
} as const;

/**
 * Payload bytes in one piece frame on the peer wire, at most: larger messages cost much less per byte in the WebRTC
 * stack (a raw channel moved 256 KiB messages about a third faster than 128 KiB ones here). With the 9-byte frame
 * header this fills the 256 KiB message every browser accepts; a link whose peer accepts less sends smaller frames.
 */
export const WIRE_CHUNK_SIZE = 256 * KiB - 16;
/** Bytes a frame may add to its payload (the piece frame's header), rounded up. */
export const WIRE_FRAME_OVERHEAD = 16;
/** Largest payload a receiver accepts in one piece or manifest frame. */
export const MAX_WIRE_CHUNK = 256 * KiB;
/** Largest manifest in bytes (header plus one SHA-256 per piece). */
export const MAX_MANIFEST_BYTES = 64 + 32 * MAX_PIECE_COUNT;

/** Longest path of a file inside a shared folder, in code points, and most names in it. */
export const MAX_PATH_LENGTH = 1024;
export const MAX_PATH_DEPTH = 64;
/** Most files (and, separately, empty folders) in one shared folder: a folder is one listing, fetched whole. */
export const MAX_FOLDER_FILES = 10_000;
/** Largest folder listing in bytes. */
export const MAX_FOLDER_LISTING_BYTES = 4 * MiB;

/** Longest display name, in code points (after normalising: see `normalizeDisplayName`). */
export const MAX_DISPLAY_NAME_LENGTH = 32;
/** Longest display name a page may send before it is normalised, in UTF-16 units. */
export const MAX_DISPLAY_NAME_INPUT_LENGTH = 256;
/** Most sources (holders with their names) returned by `files:sources`. */
export const MAX_SOURCES_RETURNED = 50;

/** Entries in one page of a browsed folder, at most, and by default. */
export const MAX_BROWSE_LIMIT = 200;
export const DEFAULT_BROWSE_LIMIT = 100;
/** Most entries one folder level may list (bounds offsets and totals in browse pages). */
export const MAX_BROWSE_ENTRIES = 1_000_000;
/** How long the tracker waits for a browsed page to answer before telling the asker it did not. */
export const BROWSE_TIMEOUT_MS = 5_000;
/** Browse requests of one connection waiting for their answer at once; more are refused until one is answered. */
export const MAX_PENDING_BROWSES = 4;
/**
 * Browse requests per connection (each makes the tracker ask another page, which builds an answer): sustained per
 * second and burst, a tighter token bucket than {@link RATE_LIMITS}' requests.
 */
export const BROWSE_RATE_LIMIT = { perSecond: 5, burst: 20 } as const;
