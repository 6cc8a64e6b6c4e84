import { describe, expect, it } from 'vitest';
import { MiB } from '../support/stats.ts';
import { downloadBytesFor } from './sizing.ts';

describe('storage bench download size', () => {
  it('is four times the starting heap in whole MiB, and at least 256 MiB', () => {
    expect(downloadBytesFor(10 * MiB)).toBe(256 * MiB);
    expect(downloadBytesFor(64 * MiB)).toBe(256 * MiB);
    expect(downloadBytesFor(100 * MiB + 1)).toBe(401 * MiB);
  });

  it('refuses a reading that is not a size', () => {
    expect(() => downloadBytesFor(Number.NaN)).toThrow(RangeError);
    expect(() => downloadBytesFor(-1)).toThrow(RangeError);
  });
});
