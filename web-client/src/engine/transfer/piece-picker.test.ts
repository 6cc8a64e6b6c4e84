import { describe, expect, it } from 'vitest';
import { PiecePicker } from './piece-picker.ts';

describe('PiecePicker', () => {
  it('hands out missing pieces in order, each once', () => {
    const picker = new PiecePicker(3);
    expect([picker.next(), picker.next(), picker.next(), picker.next()]).toEqual([0, 1, 2, null]);
  });

  it('skips pieces the peer does not have', () => {
    const picker = new PiecePicker(4);
    expect(picker.next((i) => i % 2 === 1)).toBe(1);
    expect(picker.next((i) => i % 2 === 1)).toBe(3);
    expect(picker.next((i) => i % 2 === 1)).toBeNull();
    expect(picker.next()).toBe(0);
  });

  it('re-issues a released piece and never a completed one', () => {
    const picker = new PiecePicker(2);
    const first = picker.next();
    const second = picker.next();
    expect(first).toBe(0);
    picker.release(0);
    picker.complete(1);
    picker.release(1); // a late failure of a completed piece changes nothing
    expect(picker.next()).toBe(0);
    expect(picker.next()).toBeNull();
    expect(second).toBe(1);
  });

  it('counts completion and ignores duplicates and out-of-range indexes', () => {
    const picker = new PiecePicker(2);
    expect(picker.complete(0)).toBe(true);
    expect(picker.complete(0)).toBe(false);
    expect(picker.complete(5)).toBe(false);
    expect(picker.isComplete).toBe(false);
    expect(picker.complete(1)).toBe(true);
    expect(picker.isComplete).toBe(true);
    expect(picker.completed).toBe(2);
  });

  it('is complete at once for an empty file', () => {
    expect(new PiecePicker(0).isComplete).toBe(true);
  });
});
