import { describe, expect, it } from 'vitest';
import { JoinBuffers } from './join-buffers.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('JoinBuffers', () => {
  it('joins parts end to end', () => {
    const pool = new JoinBuffers();
    expect([...pool.join([bytes(1, 2), bytes(3), bytes(4, 5, 6)])]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('gives a lone part back as it is', () => {
    const part = bytes(7, 8);
    expect(new JoinBuffers().join([part])).toBe(part);
  });

  it('uses a released buffer again, for a piece as long or shorter', () => {
    const pool = new JoinBuffers();
    const first = pool.join([bytes(1, 2), bytes(3, 4)]);
    pool.release(first);
    const second = pool.join([bytes(5), bytes(6, 7)]);
    expect(second.buffer).toBe(first.buffer);
    expect([...second]).toEqual([5, 6, 7]);
  });

  it('does not hand out a buffer that was not released', () => {
    const pool = new JoinBuffers();
    const first = pool.join([bytes(1), bytes(2)]);
    const second = pool.join([bytes(3), bytes(4)]);
    expect(second.buffer).not.toBe(first.buffer);
    expect([...first]).toEqual([1, 2]);
  });

  it('makes a new buffer when the spare ones are too short', () => {
    const pool = new JoinBuffers();
    const short = pool.join([bytes(1), bytes(2)]);
    pool.release(short);
    const long = pool.join([bytes(1, 2), bytes(3, 4)]);
    expect(long.buffer).not.toBe(short.buffer);
    expect([...long]).toEqual([1, 2, 3, 4]);
  });

  it('keeps only buffers it made, each once, and at most `keep` of them', () => {
    const pool = new JoinBuffers(1);
    const lone = bytes(9, 9, 9, 9);
    pool.release(lone);
    expect(pool.join([bytes(1), bytes(2)]).buffer).not.toBe(lone.buffer);

    const a = pool.join([bytes(1), bytes(2), bytes(3)]);
    const b = pool.join([bytes(1), bytes(2)]);
    pool.release(a);
    pool.release(a);
    pool.release(b);
    // One kept, the larger: the next two joins cannot both get a buffer back.
    const next = pool.join([bytes(4), bytes(5)]);
    const after = pool.join([bytes(6), bytes(7)]);
    expect(next.buffer).toBe(a.buffer);
    expect(after.buffer).not.toBe(a.buffer);
    expect(after.buffer).not.toBe(b.buffer);
  });

  it('copies even a lone part into a buffer of its own', () => {
    const part = bytes(7, 8);
    const copy = new JoinBuffers().copy([part]);
    expect(copy.buffer).not.toBe(part.buffer);
    expect([...copy]).toEqual([7, 8]);
  });

  it('uses a buffer handed back from another thread again', () => {
    const pool = new JoinBuffers();
    const sent = pool.copy([bytes(1, 2), bytes(3)]);
    // Transferred to a worker and back: the same bytes in a new ArrayBuffer object.
    const back = structuredClone(sent.buffer as ArrayBuffer, { transfer: [sent.buffer as ArrayBuffer] });
    pool.adopt(back);
    const next = pool.copy([bytes(4), bytes(5, 6)]);
    expect(next.buffer).toBe(back);
    expect([...next]).toEqual([4, 5, 6]);
  });
});
