import { describe, expect, it } from 'vitest';
import { setBit } from '@shoal/common';
import { PiecePicker } from './piece-picker.ts';

function bits(count: number, held: number[]): Uint8Array {
  const bitfield = new Uint8Array(Math.ceil(count / 8));
  for (const index of held) setBit(bitfield, index);
  return bitfield;
}

/** A deterministic "random" source. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('PiecePicker', () => {
  it('hands out every missing piece once, then nothing', () => {
    const picker = new PiecePicker(3);
    picker.addPeer(null);
    const picked = [picker.next(), picker.next(), picker.next()];
    expect(new Set(picked)).toEqual(new Set([0, 1, 2]));
    // The only other peer is the one that was asked: the endgame does not ask it twice.
    expect(picker.next(undefined, (i) => picked.includes(i))).toBeNull();
  });

  it('asks for the rarest piece first', () => {
    const picker = new PiecePicker(4);
    picker.addPeer(bits(4, [0, 1, 2, 3]));
    picker.addPeer(bits(4, [0, 1, 3]));
    picker.addPeer(bits(4, [0, 3]));
    // Piece 2 is held by one peer, 1 by two, 0 and 3 by three.
    expect(picker.next()).toBe(2);
    expect(picker.next()).toBe(1);
  });

  it('breaks ties at random', () => {
    const first = new PiecePicker(4, sequence(0.99));
    const second = new PiecePicker(4, sequence(0));
    first.addPeer(null);
    second.addPeer(null);
    expect(first.next()).toBe(0);
    expect(second.next()).toBe(3);
  });

  it('continues a run among equally rare pieces, but never over a rarer one', () => {
    const picker = new PiecePicker(6, sequence(0));
    picker.addPeer(null);
    // Random first (the last of six equals with this source), then the piece after the one asked for.
    expect(picker.next(undefined, undefined, 3)).toBe(3);
    expect(picker.next(undefined, undefined, 4)).toBe(4);
    // Done or already requested: a random equal instead.
    expect(picker.next(undefined, undefined, 3)).toBe(5);
    picker.addPeer(bits(6, [0, 1, 2]));
    // 0, 1 and 2 are now held by two peers and 5 was taken: nothing is rarer than another among what is left.
    expect(picker.next(undefined, undefined, 1)).toBe(1);
    const rare = new PiecePicker(4, sequence(0));
    rare.addPeer(null);
    rare.addPeer(bits(4, [0, 1, 2]));
    // Piece 3 is held by one peer only: it goes first even though 1 would continue the run.
    expect(rare.next(undefined, undefined, 1)).toBe(3);
    // A peer without the continuing piece gets another.
    expect(rare.next((i) => i !== 1, undefined, 1)).not.toBe(1);
  });

  it('only picks pieces the peer has', () => {
    const picker = new PiecePicker(4);
    picker.addPeer(bits(4, [1, 3]));
    expect(picker.next((i) => i === 3)).toBe(3);
    expect(
      picker.next(
        (i) => i === 3,
        (i) => i === 3,
      ),
    ).toBeNull();
  });

  it('follows availability as peers come, announce pieces and go', () => {
    const picker = new PiecePicker(3);
    const partial = bits(3, [0]);
    picker.addPeer(partial);
    picker.addPeer(null);
    expect(picker.holdersOf(0)).toBe(2);
    picker.peerGained(1);
    expect(picker.holdersOf(1)).toBe(2);
    picker.removePeer(null);
    expect(picker.holdersOf(2)).toBe(0);
    expect(picker.unavailable()).toBe(1);
    picker.removePeer(partial);
    expect(picker.holdersOf(0)).toBe(0);
  });

  it('re-issues a released piece and never a completed one', () => {
    const picker = new PiecePicker(2);
    picker.addPeer(null);
    const a = picker.next()!;
    const b = picker.next()!;
    picker.release(a);
    picker.complete(b);
    picker.release(b); // a late failure of a completed piece changes nothing
    expect(picker.next()).toBe(a);
    expect(picker.isDone(b)).toBe(true);
  });

  it('in the endgame duplicates an in-flight piece for another peer, at most twice', () => {
    const picker = new PiecePicker(2);
    picker.addPeer(null);
    picker.addPeer(null);
    const fromFirst = [picker.next()!, picker.next()!];
    const firstAsked = (i: number) => fromFirst.includes(i);
    // A second peer gets duplicates of what the first is fetching...
    const dup1 = picker.next(undefined, () => false);
    const dup2 = picker.next(undefined, (i) => i === dup1);
    expect(new Set([dup1, dup2])).toEqual(new Set(fromFirst));
    // ...but no piece is requested a third time.
    expect(picker.next(undefined, firstAsked)).toBeNull();
    expect(picker.next(undefined, () => false)).toBeNull();
  });

  it('counts completion and ignores duplicates and out-of-range indexes', () => {
    const picker = new PiecePicker(2);
    expect(picker.complete(0)).toBe(true);
    expect(picker.complete(0)).toBe(false);
    expect(picker.complete(5)).toBe(false);
    expect(picker.complete(1)).toBe(true);
    expect(picker.isComplete).toBe(true);
    expect(picker.completed).toBe(2);
  });

  it('is complete at once for an empty file', () => {
    expect(new PiecePicker(0).isComplete).toBe(true);
  });
});
