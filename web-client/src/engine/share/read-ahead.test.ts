import { describe, expect, it } from 'vitest';
import { MiB } from '@shoal/common';
import { MAX_READ_AHEAD, MIN_READ_AHEAD, ReadAhead, readAheadLimit } from './read-ahead.ts';

/** A Blob of `size` bytes (byte i is i % 251) that counts the reads made of it and their lengths. */
function countingBlob(size: number): { blob: Blob; reads: number[] } {
  const bytes = Uint8Array.from({ length: size }, (_, i) => i % 251);
  const reads: number[] = [];
  const blob = new Blob([bytes]);
  const slice = blob.slice.bind(blob);
  blob.slice = (start?: number, end?: number) => {
    reads.push((end ?? size) - (start ?? 0));
    return slice(start, end);
  };
  return { blob, reads };
}

function expected(start: number, end: number): Uint8Array {
  return Uint8Array.from({ length: end - start }, (_, i) => (start + i) % 251);
}

describe('ReadAhead', () => {
  it('returns the bytes of every range asked for, in order or not', async () => {
    const { blob } = countingBlob(10_000);
    const reader = new ReadAhead(blob, 4096);
    for (const [start, end] of [
      [0, 1000],
      [1000, 2000],
      [2000, 3000],
      [7000, 8000],
      [500, 1500],
      [9500, 10_000],
    ] as const) {
      expect(await reader.read(start, end)).toEqual(expected(start, end));
    }
  });

  it('reads twice as much each time the ranges follow each other, up to its limit', async () => {
    const { blob, reads } = countingBlob(64 * 1024);
    const reader = new ReadAhead(blob, 8192);
    for (let start = 0; start < 32 * 1024; start += 1024) await reader.read(start, start + 1024);
    // 1 KiB, then 2, 4 and 8 KiB reads (the limit) serve the 32 ranges; the last reads ahead of them too.
    expect(reads).toEqual([1024, 2048, 4096, 8192, 8192, 8192, 8192]);
  });

  it('starts again from the range asked for after a jump, and serves overlapping asks from one read', async () => {
    const { blob, reads } = countingBlob(64 * 1024);
    const reader = new ReadAhead(blob, 8192);
    await reader.read(0, 1024);
    await reader.read(1024, 2048);
    await reader.read(40_000, 41_024);
    expect(reads).toEqual([1024, 2048, 1024]);
    // Asked while the read that serves both is in flight: one read (and, past its middle, the next one started).
    const [next, after] = await Promise.all([reader.read(41_024, 42_048), reader.read(42_048, 43_072)]);
    expect(reads).toEqual([1024, 2048, 1024, 2048, 4096]);
    expect(next).toEqual(expected(41_024, 42_048));
    expect(after).toEqual(expected(42_048, 43_072));
  });

  it('starts the next read once half of the current one was asked for, and serves the run from it', async () => {
    const { blob, reads } = countingBlob(64 * 1024);
    const reader = new ReadAhead(blob, 4096);
    await reader.read(0, 1024);
    await reader.read(1024, 2048);
    expect(reads).toEqual([1024, 2048]);
    // Past the middle of [1024, 3072): the read of [3072, 7168) starts before anyone asks for it.
    await reader.read(2048, 3072);
    expect(reads).toEqual([1024, 2048, 4096]);
    expect(await reader.read(3072, 4096)).toEqual(expected(3072, 4096));
    expect(reads).toEqual([1024, 2048, 4096]);
  });

  it('never reads past the end of the blob', async () => {
    const { blob, reads } = countingBlob(3000);
    const reader = new ReadAhead(blob, 8192);
    await reader.read(0, 1000);
    await reader.read(1000, 2000);
    expect(await reader.read(2000, 3000)).toEqual(expected(2000, 3000));
    expect(reads).toEqual([1000, 2000]);
  });

  it('follows a limit that changes while it reads: the next read is no longer than the limit then', async () => {
    const { blob, reads } = countingBlob(64 * 1024);
    let limit = 8192;
    const reader = new ReadAhead(blob, () => limit);
    for (let start = 0; start < 16 * 1024; start += 1024) await reader.read(start, start + 1024);
    expect(reads).toEqual([1024, 2048, 4096, 8192, 8192]);
    // More downloaders share the budget now: reads shrink to the new limit.
    limit = 2048;
    for (let start = 16 * 1024; start < 24 * 1024; start += 1024) await reader.read(start, start + 1024);
    expect(reads.slice(5).every((length) => length <= 2048)).toBe(true);
    expect(await reader.read(24 * 1024, 25 * 1024)).toEqual(expected(24 * 1024, 25 * 1024));
  });

  it('still reads whole bytes, and the right ones, when its limit is fractional', async () => {
    const { blob, reads } = countingBlob(20_000);
    const reader = new ReadAhead(blob, () => 3000.5);
    for (let start = 0; start < 20_000; start += 1000) {
      expect(await reader.read(start, start + 1000)).toEqual(expected(start, start + 1000));
    }
    expect(reads.every(Number.isInteger)).toBe(true);
  });
});

describe('readAheadLimit', () => {
  it('gives the only downloader the longest reads and shares the budget between more, down to a piece', () => {
    expect(readAheadLimit(0)).toBe(MAX_READ_AHEAD);
    expect(readAheadLimit(1)).toBe(16 * MiB);
    expect(readAheadLimit(2)).toBe(8 * MiB);
    expect(readAheadLimit(4)).toBe(4 * MiB);
    // Reads are whole bytes however the budget divides: a fraction would shift every later read's bytes.
    expect(readAheadLimit(5)).toBe(Math.floor((32 * MiB) / 10));
    expect(Number.isInteger(readAheadLimit(7))).toBe(true);
    expect(readAheadLimit(16)).toBe(MIN_READ_AHEAD);
    expect(readAheadLimit(20)).toBe(1 * MiB);
  });
});
