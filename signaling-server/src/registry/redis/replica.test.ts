import { describe, expect, it } from 'vitest';
import { file, searchParams } from '../contract-fixtures.ts';
import { Replica } from './replica.ts';

describe('Replica', () => {
  it('dates new files by the log entry that registers them, not by when it applies it', async () => {
    const replica = new Replica();
    // Applied in this order, but the second entry carries the later time (as the Redis clock set it).
    await replica.apply('t1', { op: 'register', peer: 'p1', files: [file(1, 'dated early.txt')] }, 2_000);
    await replica.apply('t1', { op: 'register', peer: 'p2', files: [file(2, 'dated late.txt')] }, 9_000);
    const { results } = await replica.registry.search(searchParams('dated', 0, 10, 'newest'));
    expect(results.map((result) => result.name)).toEqual(['dated late.txt', 'dated early.txt']);
    expect(replica.holdingsOf('p1').complete[0]?.firstSeen).toBe(2_000);
  });

  it('keeps the dates a snapshot carries, and dates records without one at the snapshot', async () => {
    const replica = new Replica();
    replica.load(
      { peer: 'p1', tracker: 't1', holdings: { complete: [{ ...file(1, 'a'), firstSeen: 100 }], partial: [] } },
      500,
    );
    replica.load({ peer: 'p2', tracker: 't1', holdings: { complete: [file(2, 'b')], partial: [] } }, 500);
    expect(replica.holdingsOf('p1').complete[0]?.firstSeen).toBe(100);
    expect(replica.holdingsOf('p2').complete[0]?.firstSeen).toBe(500);
  });
});
