import { describe, expect, it } from 'vitest';
import { DueQueue } from './due-queue.ts';

const drain = (queue: DueQueue<string>, now: number): string[] => {
  const due: string[] = [];
  for (let item = queue.popDue(now); item !== undefined; item = queue.popDue(now)) due.push(item);
  return due;
};

describe('DueQueue', () => {
  it('gives items back once due, earliest first', () => {
    const queue = new DueQueue<string>();
    queue.push('c', 30);
    queue.push('a', 10);
    queue.push('d', 40);
    queue.push('b', 20);
    expect(queue.popDue(5)).toBeUndefined();
    expect(drain(queue, 25)).toEqual(['a', 'b']);
    expect(queue.size).toBe(2);
    expect(drain(queue, 100)).toEqual(['c', 'd']);
    expect(queue.size).toBe(0);
  });

  it('keeps the order of many items pushed at random', () => {
    const queue = new DueQueue<string>();
    const times = Array.from({ length: 500 }, (_, n) => (n * 7919) % 1009);
    for (const time of times) queue.push(String(time), time);
    expect(drain(queue, Infinity).map(Number)).toEqual([...times].sort((a, b) => a - b));
  });
});
