import { countBits } from '@shoal/common';
import { describe, expect, it } from 'vitest';
import { bitfield } from './contract-fixtures.ts';
import { PieceAvailability } from './piece-availability.ts';

describe('PieceAvailability', () => {
  it('counts holders per piece and the pieces anyone has', () => {
    const availability = new PieceAvailability(10);
    expect([availability.covered, availability.fraction, availability.holders]).toEqual([0, 0, 0]);
    const a = bitfield(10, 0, 1, 2, 9);
    const b = bitfield(10, 2, 3);
    availability.add(a);
    availability.add(b);
    expect([availability.covered, availability.fraction, availability.holders]).toEqual([5, 0.5, 2]);
    expect([0, 1, 2, 3, 4, 9].map((piece) => availability.holdersOf(piece))).toEqual([1, 1, 2, 1, 0, 1]);
    availability.remove(a);
    expect([availability.covered, availability.holders]).toEqual([2, 1]);
    expect(availability.holdersOf(2)).toBe(1);
    availability.remove(b);
    expect([availability.covered, availability.holders]).toEqual([0, 0]);
  });

  it('replaces a bitfield by touching only what changed', () => {
    const availability = new PieceAvailability(16);
    const other = bitfield(16, 0, 15);
    availability.add(other);
    const before = bitfield(16, 0, 1, 2, 8);
    availability.add(before);
    availability.replace(before, bitfield(16, 2, 3, 15));
    expect(availability.covered).toBe(4); // 0, 2, 3, 15
    expect([0, 1, 2, 3, 8, 15].map((piece) => availability.holdersOf(piece))).toEqual([1, 0, 1, 1, 0, 2]);
    expect(availability.holders).toBe(2);
  });

  it('is whole for a file without pieces', () => {
    expect(new PieceAvailability(0).fraction).toBe(1);
  });

  it('keeps exact counts past 65,535 holders of one piece', () => {
    const availability = new PieceAvailability(9);
    const first = bitfield(9, 0, 8);
    for (let i = 0; i < 70_000; i++) availability.add(first);
    expect(availability.holdersOf(0)).toBe(70_000);
    for (let i = 0; i < 69_999; i++) availability.remove(first);
    expect([availability.holdersOf(0), availability.holdersOf(8), availability.covered]).toEqual([1, 1, 2]);
    availability.remove(first);
    expect(availability.covered).toBe(0);
  });

  it('agrees with a brute-force union through random changes', () => {
    let seed = 99;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pieceCount = 61;
    const availability = new PieceAvailability(pieceCount);
    const held = new Map<number, Uint8Array>();
    const randomBitfield = () => {
      const pieces = Array.from({ length: pieceCount }, (_, i) => i).filter(() => random() < 0.3);
      return bitfield(pieceCount, ...pieces);
    };
    for (let step = 0; step < 2000; step++) {
      const holder = Math.floor(random() * 10);
      const previous = held.get(holder);
      if (previous && random() < 0.3) {
        availability.remove(previous);
        held.delete(holder);
      } else {
        const next = randomBitfield();
        if (previous) availability.replace(previous, next);
        else availability.add(next);
        held.set(holder, next);
      }
      const union = new Uint8Array(8);
      for (const bits of held.values()) bits.forEach((byte, i) => (union[i]! |= byte));
      expect(availability.covered).toBe(countBits(union));
      expect(availability.holders).toBe(held.size);
      for (let piece = 0; piece < pieceCount; piece += 7) {
        let count = 0;
        for (const bits of held.values()) if ((bits[piece >> 3]! & (0x80 >> (piece & 7))) !== 0) count++;
        expect(availability.holdersOf(piece)).toBe(count);
      }
    }
  });
});
