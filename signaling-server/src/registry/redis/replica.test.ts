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

  it('gives a snapshot every peer as it was when it began, while commands go on being applied', async () => {
    const replica = new Replica();
    await replica.apply('t1', { op: 'register', peer: 'p1', files: [file(1, 'one.txt')] }, 1);
    await replica.apply('t1', { op: 'register', peer: 'p2', files: [file(2, 'two.txt')] }, 1);
    await replica.apply('t2', { op: 'register', peer: 'p3', files: [file(3, 'three.txt')] }, 1);
    const expected = replica
      .peerOwners()
      .map(([peer, tracker]) => ({ peer, tracker, holdings: replica.holdingsOf(peer) }));
    const frozen = replica.freeze();
    const reading = frozen.records[Symbol.iterator]();
    const first = reading.next().value;
    // Changes to a peer already read, to peers not read yet, a new peer and a whole tracker gone.
    await replica.apply('t1', { op: 'unregister', peer: 'p1', fileIds: [file(1, '').id] }, 2);
    await replica.apply('t1', { op: 'register', peer: 'p2', files: [file(4, 'four.txt')] }, 2);
    await replica.apply('t1', { op: 'name', peer: 'p2', name: 'Bea' }, 2);
    await replica.apply('t1', { op: 'register', peer: 'p9', files: [file(9, 'new.txt')] }, 2);
    await replica.apply('t0', { op: 'remove-tracker', tracker: 't2' }, 2);
    const rest = [...{ [Symbol.iterator]: () => reading }];
    frozen.release();
    expect([first, ...rest]).toEqual(expected);
    // The replica itself moved on.
    expect(replica.holdingsOf('p2').complete.map((record) => record.name)).toEqual(['two.txt', 'four.txt']);
    expect(replica.isConnected('p3')).toBe(false);
    // Released: the next snapshot may begin, and sees the new state.
    expect([...replica.freeze().records].map((record) => record.peer)).toEqual(['p1', 'p2', 'p9']);
  });

  it('lets one snapshot read at a time', () => {
    const replica = new Replica();
    replica.freeze();
    expect(() => replica.freeze()).toThrow(/already/);
  });
});
