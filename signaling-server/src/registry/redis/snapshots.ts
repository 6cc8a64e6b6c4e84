import { performance } from 'node:perf_hooks';
import type { RedisClient } from './connection.ts';
import { z } from 'zod';
import { MAX_FILES_PER_PEER, MAX_PARTIAL_FILES_PER_PEER, displayNameSchema, peerIdSchema } from '@shoal/common';
import { completeRecordSchema, partialRecordSchema, toBase64, trackerIdSchema } from './commands.ts';
import type { Keys } from './keys.ts';
import type { PeerRecord } from './replica.ts';
import { yieldToEventLoop } from '../yield.ts';

/** A copy of the whole registry and the log position it reflects. */
export interface Snapshot {
  id: string;
  records: PeerRecord[];
}

const streamIdSchema = z.string().regex(/^\d{1,20}-\d{1,20}$/);

const snapshotSchema = z.strictObject({
  version: z.literal(1),
  peers: z.array(
    z.strictObject({
      peer: peerIdSchema,
      tracker: trackerIdSchema,
      holdings: z.strictObject({
        complete: z.array(completeRecordSchema).max(MAX_FILES_PER_PEER),
        partial: z.array(partialRecordSchema).max(MAX_PARTIAL_FILES_PER_PEER),
        name: displayNameSchema.optional(),
      }),
    }),
  ),
});

/**
 * Records of one peer encoded per piece: a peer may hold {@link MAX_FILES_PER_PEER} files, whose JSON at once took
 * tens of milliseconds at a million files, a pause every search arriving meanwhile waited out.
 */
export const RECORDS_PER_PIECE = 250;

/**
 * How long encoding runs before it lets timers and sockets run. Searches arriving meanwhile wait for the slice to
 * end, so it is kept well under the search latency target (10 ms at p99).
 */
const SLICE_MS = 4;

/**
 * The snapshot as stored (JSON, bitfields as base64), in pieces to be joined: a peer's fields, then its records at
 * most {@link RECORDS_PER_PIECE} at a time. Pure and synchronous; {@link encodeSnapshot} runs it in slices.
 */
export function* snapshotPieces(records: Iterable<PeerRecord>): Generator<string> {
  yield '{"version":1,"peers":[';
  let first = true;
  for (const { peer, tracker, holdings } of records) {
    yield `${first ? '' : ','}{"peer":${JSON.stringify(peer)},"tracker":${JSON.stringify(tracker)},"holdings":{"complete":[`;
    first = false;
    yield* recordPieces(holdings.complete);
    yield '],"partial":[';
    yield* recordPieces(holdings.partial, (record) => ({ ...record, have: toBase64(record.have) }));
    yield holdings.name === undefined ? ']}}' : `],"name":${JSON.stringify(holdings.name)}}}`;
  }
  yield ']}';
}

/** The JSON of `records`' elements (comma-separated, no brackets), {@link RECORDS_PER_PIECE} at a time. */
function* recordPieces<T>(
  records: readonly T[],
  encode: (record: T) => unknown = (record) => record,
): Generator<string> {
  for (let at = 0; at < records.length; at += RECORDS_PER_PIECE) {
    const json = JSON.stringify(records.slice(at, at + RECORDS_PER_PIECE).map(encode));
    yield (at > 0 ? ',' : '') + json.slice(1, -1);
  }
}

/**
 * Encodes a snapshot (seconds at a million files), letting timers and sockets run every {@link SLICE_MS}; the caller
 * keeps the records from changing meanwhile.
 */
export async function encodeSnapshot(records: Iterable<PeerRecord>): Promise<string> {
  const parts: string[] = [];
  let sliceStart = performance.now();
  for (const piece of snapshotPieces(records)) {
    parts.push(piece);
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  return parts.join('');
}

/** Reads the latest snapshot; undefined when there is none. Throws if one is there but does not parse. */
export async function loadSnapshot(redis: RedisClient, keys: Keys): Promise<Snapshot | undefined> {
  const [id, data] = await redis.hmget(keys.snapshot, 'id', 'data');
  if (id == null || data == null) return undefined;
  const parsedId = streamIdSchema.safeParse(id);
  const parsed = snapshotSchema.safeParse(JSON.parse(data));
  if (!parsedId.success || !parsed.success) throw new Error('the registry snapshot in Redis does not parse');
  return { id: parsedId.data, records: parsed.data.peers };
}

/**
 * Stores a snapshot taken at log position `id`, and trims the log to the previous snapshot's position: a tracker
 * that lags by less than one snapshot interval still finds every entry it has not read.
 */
export async function writeSnapshot(redis: RedisClient, keys: Keys, id: string, data: string): Promise<void> {
  const previous = await redis.hget(keys.snapshot, 'id');
  const multi = redis.multi().hset(keys.snapshot, 'id', id, 'data', data);
  if (previous !== null && streamIdSchema.safeParse(previous).success) multi.xtrim(keys.log, 'MINID', previous);
  await multi.exec();
}
