import { describe, expect, it } from 'vitest';
import { MemoryRegistry } from './memory.ts';
import { describeRegistryContract, file, fileId } from './registry-contract.ts';

describeRegistryContract('MemoryRegistry', () => new MemoryRegistry());

describe('MemoryRegistry options', () => {
  it('takes a smaller per-peer limit', async () => {
    const registry = new MemoryRegistry({ maxFilesPerPeer: 2 });
    expect((await registry.register('p', [file(1, 'a'), file(2, 'b')])).ok).toBe(true);
    const outcome = await registry.register('p', [file(3, 'c')]);
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'TOO_MANY_FILES', message: 'a peer may register at most 2 files; this would make 3' },
    });
  });

  it('spreads holder samples over the whole swarm', async () => {
    const registry = new MemoryRegistry({ maxHoldersReturned: 3 });
    for (let i = 0; i < 30; i++) await registry.register(`peer-${i}`, [file(1, 'popular')]);
    const seen = new Set<string>();
    for (let round = 0; round < 200; round++) for (const peer of await registry.holders(fileId(1))) seen.add(peer);
    // Everyone gets asked sometimes, not just the first three to register.
    expect(seen.size).toBe(30);
  });
});
