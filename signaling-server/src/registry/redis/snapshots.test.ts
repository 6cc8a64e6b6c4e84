import { describe, expect, it } from 'vitest';
import { file } from '../contract-fixtures.ts';
import type { PeerRecord } from './replica.ts';
import { toBase64 } from './commands.ts';
import { encodeSnapshot, RECORDS_PER_PIECE, snapshotPieces } from './snapshots.ts';

/** The snapshot as one `JSON.stringify` of the whole registry writes it: what the pieces must add up to. */
function wholeJson(records: PeerRecord[]): string {
  return JSON.stringify({
    version: 1,
    peers: records.map(({ peer, tracker, holdings }) => ({
      peer,
      tracker,
      holdings: {
        complete: holdings.complete,
        partial: holdings.partial.map((record) => ({ ...record, have: toBase64(record.have) })),
        name: holdings.name,
      },
    })),
  });
}

const manyFiles = (count: number): PeerRecord['holdings']['complete'] =>
  Array.from({ length: count }, (_, i) => ({ ...file(i, `file ${i}.txt`), firstSeen: 1_000 + i }));

const records: PeerRecord[] = [
  { peer: 'big', tracker: 't1', holdings: { complete: manyFiles(2 * RECORDS_PER_PIECE + 3), partial: [] } },
  { peer: 'empty', tracker: 't2', holdings: { complete: [], partial: [] } },
  {
    peer: 'named',
    tracker: 't1',
    holdings: {
      complete: [file(9_000, 'a "quoted" name.txt')],
      partial: [
        {
          id: file(9_001, 'p').id,
          name: 'partial.bin',
          size: 10,
          mimeType: '',
          have: new Uint8Array([5]),
          firstSeen: 7,
        },
      ],
      name: 'Ada',
    },
  },
];

describe('snapshot encoding', () => {
  it('adds up to the JSON of the whole registry', async () => {
    expect(await encodeSnapshot(records)).toBe(wholeJson(records));
    expect(await encodeSnapshot([])).toBe(wholeJson([]));
  });

  it('encodes a peer holding many files in pieces, so no piece takes long', () => {
    const pieces = [...snapshotPieces(records.slice(0, 1))];
    const withRecords = pieces.filter((piece) => piece.includes('"firstSeen"'));
    expect(withRecords).toHaveLength(3);
    for (const piece of withRecords)
      expect(piece.split('"firstSeen"').length - 1).toBeLessThanOrEqual(RECORDS_PER_PIECE);
  });
});
