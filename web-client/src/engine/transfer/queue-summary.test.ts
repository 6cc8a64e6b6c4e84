import { describe, expect, it } from 'vitest';
import { describeQueue, mergeQueues } from './queue-summary.ts';

describe('describeQueue', () => {
  it('says where a download waits, at one source or several', () => {
    expect(describeQueue([{ peerId: 'a', place: 2 }])).toBe('Queued at 1 source (place 2)');
    expect(
      describeQueue([
        { peerId: 'a', place: 3 },
        { peerId: 'b', place: 1 },
      ]),
    ).toBe('Queued at 2 sources (places 1 and 3)');
    expect(
      describeQueue([
        { peerId: 'a', place: 4 },
        { peerId: 'b', place: 1 },
        { peerId: 'c', place: 2 },
      ]),
    ).toBe('Queued at 3 sources (places 1, 2 and 4)');
  });
});

describe('mergeQueues', () => {
  it('keeps one entry per holder with its lowest place', () => {
    expect(
      mergeQueues([
        [{ peerId: 'a', place: 3 }],
        [
          { peerId: 'a', place: 2 },
          { peerId: 'b', place: 5 },
        ],
      ]),
    ).toEqual([
      { peerId: 'a', place: 2 },
      { peerId: 'b', place: 5 },
    ]);
    expect(mergeQueues([])).toEqual([]);
  });
});
