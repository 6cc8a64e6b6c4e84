import { describe, expect, it } from 'vitest';
import { transferProgress } from './transfer-progress.ts';

describe('transferProgress', () => {
  it('shows the verified share of a known size', () => {
    expect(transferProgress({ status: 'downloading', verifiedBytes: 250, totalBytes: 1000 })).toEqual({
      sizeKnown: true,
      percent: 25,
    });
  });

  it('keeps a folder whose listing is still being fetched at 0 %, without bytes', () => {
    expect(transferProgress({ status: 'downloading', verifiedBytes: 0, totalBytes: 0 })).toEqual({
      sizeKnown: false,
      percent: 0,
    });
    expect(transferProgress({ status: 'connecting', verifiedBytes: 0, totalBytes: 0 }).percent).toBe(0);
  });

  it('is full once complete, an empty file too', () => {
    expect(transferProgress({ status: 'complete', verifiedBytes: 0, totalBytes: 0 })).toEqual({
      sizeKnown: true,
      percent: 100,
    });
    expect(transferProgress({ status: 'complete', verifiedBytes: 10, totalBytes: 10 }).percent).toBe(100);
  });
});
