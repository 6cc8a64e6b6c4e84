import { z } from 'zod';
import {
  MAX_FILE_NAME_LENGTH,
  MAX_FILES_PER_PEER,
  MAX_FILE_SIZE,
  MAX_MIME_TYPE_LENGTH,
  MAX_PARTIAL_FILES_PER_PEER,
  MAX_PIECE_COUNT,
  displayNameSchema,
  fileIdSchema,
  fileRegistrationSchema,
  peerIdSchema,
  type DisplayName,
  type FileId,
  type FileRegistration,
  type PartialHolding,
  type PeerId,
} from '@shoal/common';
import type { PartialRecord, PeerHoldings } from '../memory.ts';

/** A tracker process's id: random per process, so a restarted tracker is a new one. */
export type TrackerId = string;

/**
 * One change to the shared registry, as every tracker applies it in the order of the command log. Requests carry
 * what the peer asked for; their outcome (accepted or refused) follows from the registry's state at that point of
 * the log, which is the same on every tracker.
 */
export type Command =
  /** A peer connected to the writing tracker: it can receive signals. */
  | { op: 'connect'; peer: PeerId }
  | { op: 'register'; peer: PeerId; files: FileRegistration[] }
  | { op: 'announce'; peer: PeerId; holdings: PartialHolding[] }
  | { op: 'unregister'; peer: PeerId; fileIds: FileId[] }
  /** The peer's display name (implies `connect`). */
  | { op: 'name'; peer: PeerId; name: DisplayName }
  /** The peer disconnected: its holdings and presence go. */
  | { op: 'remove-peer'; peer: PeerId }
  /** A tracker re-writes what a peer connected to it holds (after Redis lost data); implies `connect`. */
  | { op: 'restore'; peer: PeerId; holdings: PeerHoldings }
  /** A tracker's lease lapsed: every peer it held goes. Idempotent. */
  | { op: 'remove-tracker'; tracker: TrackerId };

/** A command as written to the log: who wrote it, and the writer's sequence number to match the outcome. */
export interface LogEntry {
  tracker: TrackerId;
  seq: number;
  command: Command;
}

/**
 * Bounds of one command's lists. Requests from the network were already held to the protocol's (smaller) limits; a
 * direct caller of the registry may pass more, which the registry then refuses like any over-the-limit request, so
 * the log takes up to twice the per-peer limits.
 */
const MAX_LOGGED_FILES = 2 * MAX_FILES_PER_PEER;
const MAX_LOGGED_PARTIAL = 2 * MAX_PARTIAL_FILES_PER_PEER;

export const trackerIdSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);

/** Bitfields travel as base64 inside the JSON of an entry. */
const bitfieldTextSchema = z
  .string()
  .max(Math.ceil(MAX_PIECE_COUNT / 8 / 3) * 4)
  .transform((text, ctx) => {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length < 1 || bytes.length > MAX_PIECE_COUNT / 8) {
      ctx.addIssue({ code: 'custom', message: 'bitfield must be 1 to 1024 bytes' });
      return z.NEVER;
    }
    return new Uint8Array(bytes);
  });

/** When a file was first registered, on the Redis clock (milliseconds); optional: older records lack it. */
const firstSeenSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();

const partialRecordSchema = z.strictObject({
  id: fileIdSchema,
  name: z.string().max(MAX_FILE_NAME_LENGTH),
  size: z.number().int().min(0).max(MAX_FILE_SIZE),
  mimeType: z.string().max(MAX_MIME_TYPE_LENGTH),
  have: bitfieldTextSchema,
  firstSeen: firstSeenSchema,
});

/** A complete holding copied with its file's first registration (snapshots, write-backs). */
const completeRecordSchema = fileRegistrationSchema.extend({ firstSeen: firstSeenSchema });

const commandSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('connect'), peer: peerIdSchema }),
  z.strictObject({
    op: z.literal('register'),
    peer: peerIdSchema,
    files: z.array(fileRegistrationSchema).max(MAX_LOGGED_FILES),
  }),
  z.strictObject({
    op: z.literal('announce'),
    peer: peerIdSchema,
    holdings: z.array(z.strictObject({ id: fileIdSchema, have: bitfieldTextSchema })).max(MAX_LOGGED_PARTIAL),
  }),
  z.strictObject({
    op: z.literal('unregister'),
    peer: peerIdSchema,
    fileIds: z.array(fileIdSchema).max(MAX_LOGGED_FILES),
  }),
  z.strictObject({ op: z.literal('name'), peer: peerIdSchema, name: displayNameSchema }),
  z.strictObject({ op: z.literal('remove-peer'), peer: peerIdSchema }),
  z.strictObject({
    op: z.literal('restore'),
    peer: peerIdSchema,
    holdings: z.strictObject({
      complete: z.array(completeRecordSchema).max(MAX_FILES_PER_PEER),
      partial: z.array(partialRecordSchema).max(MAX_PARTIAL_FILES_PER_PEER),
      name: displayNameSchema.optional(),
    }),
  }),
  z.strictObject({ op: z.literal('remove-tracker'), tracker: trackerIdSchema }),
]);

const entrySchema = z.strictObject({
  tracker: trackerIdSchema,
  seq: z.number().int().min(0),
  command: commandSchema,
});

const toBase64 = (bits: Uint8Array): string =>
  Buffer.from(bits.buffer, bits.byteOffset, bits.byteLength).toString('base64');

function encodePartial(record: PartialRecord): unknown {
  return { ...record, have: toBase64(record.have) };
}

/** Whether a command fits the bounds the log accepts (one that does not is refused before it is written). */
export function fitsLog(command: Command): boolean {
  switch (command.op) {
    case 'register':
      return command.files.length <= MAX_LOGGED_FILES;
    case 'announce':
      return command.holdings.length <= MAX_LOGGED_PARTIAL;
    case 'unregister':
      return command.fileIds.length <= MAX_LOGGED_FILES;
    default:
      return true;
  }
}

/** Who wrote an entry, read from one that does not parse as a whole (so its writer can be answered at once). */
export function writerOf(text: string): { tracker: string; seq: number } | undefined {
  try {
    const json: unknown = JSON.parse(text);
    const parsed = z.object({ tracker: z.string(), seq: z.number() }).safeParse(json);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON text of a log entry (bitfields as base64). */
export function encodeEntry(entry: LogEntry): string {
  const { command } = entry;
  let wire: unknown = command;
  if (command.op === 'announce') {
    wire = { ...command, holdings: command.holdings.map(({ id, have }) => ({ id, have: toBase64(have) })) };
  } else if (command.op === 'restore') {
    wire = {
      ...command,
      holdings: {
        complete: command.holdings.complete,
        partial: command.holdings.partial.map(encodePartial),
        name: command.holdings.name,
      },
    };
  }
  return JSON.stringify({ tracker: entry.tracker, seq: entry.seq, command: wire });
}

/**
 * Parses a log entry read from Redis. Whatever is in the stream is checked like a client request (the store is
 * shared, so it is input too): an entry that does not parse is `undefined`, never half-applied.
 */
export function decodeEntry(text: string): LogEntry | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = entrySchema.safeParse(json);
  return parsed.success ? (parsed.data as LogEntry) : undefined;
}

export { completeRecordSchema, partialRecordSchema, bitfieldTextSchema, toBase64 };
