import { performance } from 'node:perf_hooks';
import type { RedisClient } from './connection.ts';
import { z } from 'zod';
import { MAX_FILES_PER_PEER, MAX_PARTIAL_FILES_PER_PEER, displayNameSchema, peerIdSchema } from '@shoal/common';
import { completeRecordSchema, partialRecordSchema, toBase64, trackerIdSchema } from './commands.ts';
import type { Keys } from './keys.ts';
import type { PeerRecord } from './replica.ts';

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
 * The snapshot as stored: JSON, bitfields as base64. Encoding a million files takes seconds, so it lets timers and
 * sockets run every 20 ms; the caller keeps the records from changing meanwhile.
 */
export async function encodeSnapshot(records: Iterable<PeerRecord>): Promise<string> {
  const parts: string[] = [];
  let sliceStart = performance.now();
  for (const { peer, tracker, holdings } of records) {
    const partial = holdings.partial.map((record) => ({ ...record, have: toBase64(record.have) }));
    parts.push(
      JSON.stringify({ peer, tracker, holdings: { complete: holdings.complete, partial, name: holdings.name } }),
    );
    if (performance.now() - sliceStart > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return `{"version":1,"peers":[${parts.join(',')}]}`;
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
