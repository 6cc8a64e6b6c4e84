import { describe, expect, it } from 'vitest';
import { bitfieldLength, clearBit, countBits, fitsPieceCount, hasBit, setBit } from './bitfield.ts';

describe('bitfield', () => {
  it('sets, reads and clears bits most significant first', () => {
    const bits = new Uint8Array(bitfieldLength(10));
    expect(bits.length).toBe(2);
    setBit(bits, 0);
    setBit(bits, 9);
    expect(Array.from(bits)).toEqual([0x80, 0x40]);
    expect(hasBit(bits, 0)).toBe(true);
    expect(hasBit(bits, 1)).toBe(false);
    expect(hasBit(bits, 99)).toBe(false);
    expect(countBits(bits)).toBe(2);
    clearBit(bits, 0);
    expect(countBits(bits)).toBe(1);
  });

  it('fits a piece count only with the exact length and no spare bit set', () => {
    expect(fitsPieceCount(new Uint8Array([0xff, 0xc0]), 10)).toBe(true);
    expect(fitsPieceCount(new Uint8Array([0xff, 0xe0]), 10)).toBe(false);
    expect(fitsPieceCount(new Uint8Array([0xff]), 10)).toBe(false);
    expect(fitsPieceCount(new Uint8Array([0xff]), 8)).toBe(true);
    expect(fitsPieceCount(new Uint8Array(0), 0)).toBe(true);
  });
});

describe('hasBit', () => {
  const bitfield = new Uint8Array([0b1000_0001, 0b0100_0000]);

  it('reads bits most significant first', () => {
    expect(hasBit(bitfield, 0)).toBe(true);
    expect(hasBit(bitfield, 1)).toBe(false);
    expect(hasBit(bitfield, 7)).toBe(true);
    expect(hasBit(bitfield, 8)).toBe(false);
    expect(hasBit(bitfield, 9)).toBe(true);
    expect(hasBit(bitfield, 15)).toBe(false);
  });

  it('is false beyond the bitfield and for negative indexes', () => {
    expect(hasBit(bitfield, 16)).toBe(false);
    expect(hasBit(bitfield, 1_000_000)).toBe(false);
    expect(hasBit(bitfield, -1)).toBe(false);
    expect(hasBit(new Uint8Array(0), 0)).toBe(false);
  });
});
