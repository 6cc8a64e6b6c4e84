import { z } from 'zod';
import {
  DEFAULT_SEARCH_LIMIT,
  MAX_CANDIDATE_LENGTH,
  MAX_CONNECTION_ID_LENGTH,
  MAX_FILE_NAME_LENGTH,
  MAX_FILE_SIZE,
  MAX_FILES_PER_ANNOUNCE,
  MAX_FILES_PER_REGISTER,
  MAX_FILES_PER_UNREGISTER,
  MAX_MIME_TYPE_LENGTH,
  MAX_PEER_ID_LENGTH,
  MAX_PIECE_COUNT,
  MAX_QUERY_LENGTH,
  MAX_SDP_LENGTH,
  MAX_SEARCH_LIMIT,
  MAX_SEARCH_OFFSET,
  MAX_SIGNAL_FAILURE_MESSAGE_LENGTH,
} from './limits.ts';
import { ERROR_CODES } from './result.ts';

/** A file id: the lower-case hex SHA-256 of the file's canonical manifest. */
export const fileIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
export type FileId = z.infer<typeof fileIdSchema>;

/** A peer id as the tracker hands it out (a Socket.IO connection id). */
export const peerIdSchema = z.string().min(1).max(MAX_PEER_ID_LENGTH);
export type PeerId = z.infer<typeof peerIdSchema>;

/** A file name: non-blank, bounded, without control characters (it is shown to other people). */
export const fileNameSchema = z
  .string()
  .min(1)
  .max(MAX_FILE_NAME_LENGTH)
  .regex(/^\P{Cc}*$/u, 'must not contain control characters')
  .refine((name) => name.trim().length > 0, 'must not be blank');

/** One file a peer offers: its id, the name it shares it under, its size and type. */
export const fileRegistrationSchema = z.strictObject({
  id: fileIdSchema,
  name: fileNameSchema,
  size: z.number().int().min(0).max(MAX_FILE_SIZE),
  mimeType: z.string().max(MAX_MIME_TYPE_LENGTH).default(''),
});
export type FileRegistration = z.infer<typeof fileRegistrationSchema>;

/** Payload of `files:register`. Registering a file again replaces its name and type. */
export const registerFilesSchema = z.strictObject({
  files: z.array(fileRegistrationSchema).min(1).max(MAX_FILES_PER_REGISTER),
});
export type RegisterFilesRequest = z.input<typeof registerFilesSchema>;
/** Acknowledgement data of `files:register`. */
export interface RegisterFilesResponse {
  /** Files this peer now has registered in total. */
  total: number;
}

/**
 * Which pieces of a file a peer holds: bit i (most significant bit of byte i / 8 first) for piece i. On the wire it
 * must be exactly `ceil(pieceCount / 8)` bytes with no bit set past the last piece; the tracker checks that against
 * the file's size (the piece size follows from the size, see `choosePieceSize`).
 */
export const bitfieldSchema = z
  .instanceof(Uint8Array)
  .refine((bits) => bits.length >= 1 && bits.length <= MAX_PIECE_COUNT / 8, 'must be 1 to 1024 bytes');

/** Pieces a downloading peer holds of one file. */
export const partialHoldingSchema = z.strictObject({ id: fileIdSchema, have: bitfieldSchema });
export type PartialHolding = z.infer<typeof partialHoldingSchema>;

/**
 * Payload of `files:announce`: the pieces this peer holds of files it is still downloading. Each entry replaces the
 * peer's previous announcement for that file; an entry with no bit set withdraws it. Only files the registry knows
 * can be announced; a peer that completes a file registers it with `files:register` instead.
 */
export const announcePiecesSchema = z.strictObject({
  files: z.array(partialHoldingSchema).min(1).max(MAX_FILES_PER_ANNOUNCE),
});
export type AnnouncePiecesRequest = z.infer<typeof announcePiecesSchema>;
/** Acknowledgement data of `files:announce`. */
export interface AnnouncePiecesResponse {
  /** Files this peer now holds part of. */
  partial: number;
}

/** Payload of `files:unregister`: ids of files this peer stops sharing. */
export const unregisterFilesSchema = z.strictObject({
  fileIds: z.array(fileIdSchema).min(1).max(MAX_FILES_PER_UNREGISTER),
});
export type UnregisterFilesRequest = z.infer<typeof unregisterFilesSchema>;
/** Acknowledgement data of `files:unregister`. */
export interface UnregisterFilesResponse {
  /** How many of the given ids this peer had registered (and no longer has). */
  removed: number;
}

/**
 * How search results are ordered: `relevance` (whole-word matches, then more complete holders, then more partial
 * holders, then name), or by `size` (largest first), `sources` (most holders, complete and partial, first) or
 * `newest` (the content first registered most recently first), each then by relevance.
 */
export const SEARCH_SORTS = ['relevance', 'size', 'sources', 'newest'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Payload of `files:search`. The query is parsed with `parseSearchQuery` (a wrong filter gets `INVALID_QUERY`). */
export const searchSchema = z.strictObject({
  query: z.string().max(MAX_QUERY_LENGTH),
  sort: z.enum(SEARCH_SORTS).default('relevance'),
  offset: z.number().int().min(0).max(MAX_SEARCH_OFFSET).default(0),
  limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).default(DEFAULT_SEARCH_LIMIT),
});
export type SearchRequest = z.input<typeof searchSchema>;

/** One search hit: a file (by content) with its most common name and how many peers hold it. */
export interface SearchResult {
  id: FileId;
  /** The name to show: the most common of its names that match the query (or of all its names). */
  name: string;
  /** Names the file is shared under, most common first, at most `MAX_RESULT_NAMES`. */
  names: string[];
  /** How many distinct names the file is shared under in all. */
  nameCount: number;
  size: number;
  mimeType: string;
  /** Connected peers holding the whole file. */
  holders: number;
  /** Connected peers holding part of it (downloading it). */
  partialHolders: number;
  /** Share of its pieces that some connected holder has, 0 to 1 (1 whenever a complete holder is connected). */
  availability: number;
}
/** Acknowledgement data of `files:search`. */
export interface SearchResponse {
  results: SearchResult[];
  /** Matches in all (results hold `limit` of them from `offset`). */
  total: number;
}

/** Payload of `files:holders`: who holds this file right now? */
export const holdersSchema = z.strictObject({ fileId: fileIdSchema });
export type HoldersRequest = z.infer<typeof holdersSchema>;
/**
 * Acknowledgement data of `files:holders`: connected holders other than the asker, at most MAX_HOLDERS_RETURNED,
 * complete holders first, then partial holders with the most pieces first.
 */
export interface HoldersResponse {
  fileId: FileId;
  holders: PeerId[];
}

/** WebRTC signaling data as simple-peer emits it: a session description, an ICE candidate, or a renegotiation ask. */
export const signalDataSchema = z.union([
  z.strictObject({
    type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
    sdp: z.string().max(MAX_SDP_LENGTH),
  }),
  z.strictObject({
    type: z.literal('candidate'),
    candidate: z.strictObject({
      candidate: z.string().max(MAX_CANDIDATE_LENGTH),
      sdpMLineIndex: z.number().int().min(0).max(1024).nullish(),
      sdpMid: z.string().max(64).nullish(),
      usernameFragment: z.string().max(256).nullish(),
    }),
  }),
  z.strictObject({ renegotiate: z.literal(true) }),
]);
export type SignalData = z.infer<typeof signalDataSchema>;

/** Names one peer connection; chosen at random by the initiator, echoed by the answerer. */
export const connectionIdSchema = z
  .string()
  .min(1)
  .max(MAX_CONNECTION_ID_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/);

/** Payload of `signal:relay`: signaling data for peer `to`, about a connection for file `fileId`. */
export const relaySignalSchema = z.strictObject({
  to: peerIdSchema,
  fileId: fileIdSchema,
  connectionId: connectionIdSchema,
  signal: signalDataSchema,
});
export type RelaySignalRequest = z.infer<typeof relaySignalSchema>;

const FILE_ID = /^[0-9a-f]{64}$/;
const CONNECTION_ID = /^[A-Za-z0-9_-]+$/;
const SDP_TYPES: ReadonlySet<unknown> = new Set(['offer', 'answer', 'pranswer', 'rollback']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBoundedString(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

/** Whether every own key of `value` is one of `allowed` (what a strict object asks). */
function onlyKeys(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  for (const key in value) if (Object.hasOwn(value, key) && !allowed.includes(key)) return false;
  return true;
}

function isNullishString(value: unknown, max: number): boolean {
  return value === undefined || value === null || isBoundedString(value, 0, max);
}

const CANDIDATE_KEYS = ['candidate', 'sdpMLineIndex', 'sdpMid', 'usernameFragment'];

function isSignalData(signal: unknown): boolean {
  if (!isPlainObject(signal)) return false;
  const { type } = signal;
  if (type === 'candidate') {
    const { candidate } = signal;
    if (!onlyKeys(signal, ['type', 'candidate']) || !isPlainObject(candidate)) return false;
    const line = candidate.sdpMLineIndex;
    return (
      onlyKeys(candidate, CANDIDATE_KEYS) &&
      isBoundedString(candidate.candidate, 0, MAX_CANDIDATE_LENGTH) &&
      (line === undefined ||
        line === null ||
        (typeof line === 'number' && Number.isInteger(line) && line >= 0 && line <= 1024)) &&
      isNullishString(candidate.sdpMid, 64) &&
      isNullishString(candidate.usernameFragment, 256)
    );
  }
  if (SDP_TYPES.has(type)) return onlyKeys(signal, ['type', 'sdp']) && isBoundedString(signal.sdp, 0, MAX_SDP_LENGTH);
  return signal.renegotiate === true && onlyKeys(signal, ['renegotiate']);
}

const RELAY_KEYS = ['to', 'fileId', 'connectionId', 'signal'];

/**
 * A quick, allocation-free check for the hot `signal:relay` path: `true` only for payloads {@link relaySignalSchema}
 * accepts as they are (its parse would return an equal object). On `false`, parse with the schema: it decides, and
 * says what is wrong. A test holds the two together on random payloads.
 */
export function isWellFormedRelaySignal(value: unknown): value is RelaySignalRequest {
  return (
    isPlainObject(value) &&
    onlyKeys(value, RELAY_KEYS) &&
    isBoundedString(value.to, 1, MAX_PEER_ID_LENGTH) &&
    typeof value.fileId === 'string' &&
    FILE_ID.test(value.fileId) &&
    isBoundedString(value.connectionId, 1, MAX_CONNECTION_ID_LENGTH) &&
    CONNECTION_ID.test(value.connectionId) &&
    isSignalData(value.signal)
  );
}

/**
 * Pushed with `signal:failed` to a peer whose `signal:relay` was not delivered: the signal's target and connection as
 * far as the payload named them (empty when it did not, as valid strings), and why.
 */
export const signalFailureSchema = z.strictObject({
  to: z.string().max(MAX_PEER_ID_LENGTH),
  connectionId: z.string().max(MAX_CONNECTION_ID_LENGTH),
  error: z.strictObject({ code: z.enum(ERROR_CODES), message: z.string().max(MAX_SIGNAL_FAILURE_MESSAGE_LENGTH) }),
});
export type SignalFailure = z.infer<typeof signalFailureSchema>;

/** What the tracker delivers to the target of a relayed signal; `from` is set by the tracker, never the sender. */
export interface IncomingSignal {
  from: PeerId;
  fileId: FileId;
  connectionId: string;
  signal: SignalData;
}

/** An ICE server as RTCPeerConnection takes it. */
export const iceServerSchema = z.strictObject({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

/** Sent by the tracker once per connection, before anything else. */
export interface Welcome {
  protocolVersion: number;
  /** This connection's peer id. */
  peerId: PeerId;
  /** ICE servers to use for peer connections (from the tracker's configuration). */
  iceServers: IceServer[];
  /**
   * Base URLs of every tracker sharing this registry (`TRACKER_URLS`), to fail over to when this one goes away. Empty
   * when the tracker runs alone: the page's own origin is the tracker.
   */
  trackerUrls: string[];
}
