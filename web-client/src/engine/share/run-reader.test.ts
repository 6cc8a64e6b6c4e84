import { describe, expect, it } from 'vitest';
import { RunReader } from './run-reader.ts';

/** A Blob of `size` bytes (byte i is i % 251) that records where each stream of it was started. */
function countingBlob(size: number): { blob: Blob; streamsFrom: number[] } {
  const blob = new Blob([Uint8Array.from({ length: size }, (_, i) => i % 251)]);
  const streamsFrom: number[] = [];
  const slice = blob.slice.bind(blob);
  blob.slice = (start?: number, end?: number) => {
    streamsFrom.push(start ?? 0);
    return slice(start, end);
  };
  return { blob, streamsFrom };
}

function expected(start: number, end: number): Uint8Array {
  return Uint8Array.from({ length: end - start }, (_, i) => (start + i) % 251);
}

describe('RunReader', () => {
  it('returns the bytes of every range asked for, in order or not', async () => {
    const { blob } = countingBlob(10_000);
    const reader = new RunReader(blob);
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

  it('reads ranges that follow each other from one stream, and starts another after a jump', async () => {
    const { blob, streamsFrom } = countingBlob(64 * 1024);
    const reader = new RunReader(blob);
    for (let start = 0; start < 32 * 1024; start += 1024) await reader.read(start, start + 1024);
    expect(streamsFrom).toEqual([0]);
    await reader.read(40_000, 41_024);
    await reader.read(41_024, 42_048);
    await reader.read(100, 200);
    expect(streamsFrom).toEqual([0, 40_000, 100]);
  });

  it('serves ranges asked for at once in the order asked', async () => {
    const { blob, streamsFrom } = countingBlob(64 * 1024);
    const reader = new RunReader(blob);
    const ranges = [
      [0, 5000],
      [5000, 9000],
      [9000, 20_000],
      [30_000, 31_000],
    ] as const;
    const read = await Promise.all(ranges.map(([start, end]) => reader.read(start, end)));
    for (const [i, [start, end]] of ranges.entries()) expect(read[i]).toEqual(expected(start, end));
    expect(streamsFrom).toEqual([0, 30_000]);
  });

  it('reads into a buffer given back, and leaves one not given back alone', async () => {
    const { blob } = countingBlob(10_000);
    const reader = new RunReader(blob);
    const kept = await reader.read(0, 1000);
    const given = await reader.read(1000, 2000);
    reader.release(given);
    expect(await reader.read(2000, 2500)).toEqual(expected(2000, 2500));
    // The given-back buffer was read into (a BYOB read takes its memory over), the kept one was not.
    expect(given.byteLength).toBe(0);
    expect(kept).toEqual(expected(0, 1000));
  });

  it('fails a read outside the file and goes on with the next', async () => {
    const { blob } = countingBlob(3000);
    const reader = new RunReader(blob);
    await expect(reader.read(2000, 3001)).rejects.toThrow(RangeError);
    expect(await reader.read(2000, 3000)).toEqual(expected(2000, 3000));
  });

  it('fails a read whose stream fails, and starts a new stream for the next', async () => {
    const { blob, streamsFrom } = countingBlob(10_000);
    let failNext = true;
    const slice = blob.slice.bind(blob);
    blob.slice = (start?: number, end?: number) => {
      const part = slice(start, end);
      if (!failNext) return part;
      failNext = false;
      part.stream = () =>
        new ReadableStream({
          type: 'bytes',
          pull: (controller) => controller.error(new Error('the disk is gone')),
        });
      return part;
    };
    const reader = new RunReader(blob);
    await expect(reader.read(0, 1000)).rejects.toThrow('the disk is gone');
    expect(await reader.read(1000, 2000)).toEqual(expected(1000, 2000));
    expect(streamsFrom).toEqual([0, 1000]);
  });

  it('fails reads once closed', async () => {
    const { blob } = countingBlob(10_000);
    const reader = new RunReader(blob);
    await reader.read(0, 1000);
    reader.close();
    await expect(reader.read(1000, 2000)).rejects.toThrow('closed');
  });
});
