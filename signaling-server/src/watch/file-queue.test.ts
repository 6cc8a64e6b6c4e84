import { describe, expect, it } from 'vitest';
import { FileQueue } from './file-queue.ts';

const named = (n: number) => ({
  id: `id${n}`,
  name: `file ${n}.bin`,
  size: n,
  mimeType: n % 2 ? 'image/png' : '',
  registrant: `peer${n % 3}`,
});

describe('FileQueue', () => {
  it('gives files back first in first out, each with when it was named', () => {
    const queue = new FileQueue();
    for (let n = 0; n < 5; n++) queue.push(named(n), 100 + n);
    expect(queue.length).toBe(5);
    const out: [unknown, number][] = [];
    while (queue.length > 0) {
      const at = queue.nextAt();
      out.push([queue.shift(), at]);
    }
    expect(out).toEqual(Array.from({ length: 5 }, (_, n) => [named(n), 100 + n]));
  });

  it('keeps its order and contents across compactions, however they interleave with pushes', () => {
    const queue = new FileQueue();
    let pushed = 0;
    let taken = 0;
    for (let turn = 0; turn < 50; turn++) {
      for (let k = 0; k < 300; k++, pushed++) queue.push(named(pushed), pushed);
      for (let k = 0; k < 250 && queue.length > 0; k++, taken++) {
        expect(queue.nextAt()).toBe(taken);
        expect(queue.shift()).toEqual(named(taken));
      }
      queue.compact();
      expect(queue.length).toBe(pushed - taken);
    }
    while (queue.length > 0) expect(queue.shift()).toEqual(named(taken++));
    queue.compact();
    expect(taken).toBe(pushed);
    expect(queue.length).toBe(0);
  });

  it('empties on clear', () => {
    const queue = new FileQueue();
    queue.push(named(1), 1);
    queue.clear();
    expect(queue.length).toBe(0);
  });
});
