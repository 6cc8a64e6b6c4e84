import { describe, expect, it } from 'vitest';
import { MAX_DISPLAY_NAME_LENGTH, normalizeDisplayName } from '@shoal/common';
import type { RequestResult, TrackerClient } from '../tracker-client.ts';
import { DisplayNameKeeper, type NameStorage } from './display-name-keeper.ts';
import { randomDisplayName } from './random-name.ts';

function memoryStorage(initial: Record<string, string> = {}): NameStorage & { items: Record<string, string> } {
  const items = { ...initial };
  return { items, getItem: (key) => items[key] ?? null, setItem: (key, value) => void (items[key] = value) };
}

/** A tracker that records the names it is sent and answers as the real one does (normal form, or a refusal). */
function fakeTracker(
  answer: (name: string) => RequestResult<{ name: string }> = (name) => ({ ok: true, data: { name } }),
): Pick<TrackerClient, 'request'> & { sent: string[] } {
  const sent: string[] = [];
  const request = async (_event: 'peer:name', { name }: { name: string }) => {
    sent.push(name);
    return answer(name);
  };
  return { sent, request: request as unknown as TrackerClient['request'] };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('randomDisplayName', () => {
  it('makes friendly names already in normal form', () => {
    for (let n = 0; n < 200; n++) {
      const name = randomDisplayName();
      expect(name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ [1-9][0-9]$/);
      expect(normalizeDisplayName(name)).toBe(name);
      expect(name.length).toBeLessThanOrEqual(MAX_DISPLAY_NAME_LENGTH);
    }
  });
});

describe('DisplayNameKeeper', () => {
  it('makes up a name on the first visit and keeps it for the next', () => {
    const storage = memoryStorage();
    const first = new DisplayNameKeeper({ tracker: fakeTracker(), storage, random: () => 0 });
    expect(first.name).toBe('Quiet Otter 10');
    expect(new DisplayNameKeeper({ tracker: fakeTracker(), storage }).name).toBe('Quiet Otter 10');
  });

  it('takes a kept name in its normal form, and replaces one with nothing visible', () => {
    expect(
      new DisplayNameKeeper({ tracker: fakeTracker(), storage: memoryStorage({ 'shoal-display-name': ' Zoë\u202e ' }) })
        .name,
    ).toBe('Zoë');
    const blank = memoryStorage({ 'shoal-display-name': '\u200b' });
    expect(new DisplayNameKeeper({ tracker: fakeTracker(), storage: blank, random: () => 0.99 }).name).toBe(
      'Proud Lemur 99',
    );
  });

  it('works without storage, or with storage that throws', () => {
    const throwing: NameStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    for (const storage of [null, throwing]) {
      const keeper = new DisplayNameKeeper({ tracker: fakeTracker(), storage, random: () => 0 });
      expect(keeper.name).toBe('Quiet Otter 10');
      expect(keeper.rename('New')).toBe(true);
    }
  });

  it('sends the name on every connection and when renamed, taking the tracker’s form of it', async () => {
    const tracker = fakeTracker((name) => ({ ok: true, data: { name: name.toUpperCase() } }));
    const storage = memoryStorage();
    const keeper = new DisplayNameKeeper({ tracker, storage, random: () => 0 });
    keeper.announce();
    await flush();
    expect(tracker.sent).toEqual(['Quiet Otter 10']);
    expect(keeper.store.getSnapshot()).toEqual({ name: 'QUIET OTTER 10', error: null });
    expect(keeper.rename('   ')).toBe(false);
    expect(keeper.rename('  Curious\tFox ')).toBe(true);
    expect(storage.items['shoal-display-name']).toBe('Curious Fox');
    await flush();
    expect(tracker.sent).toEqual(['Quiet Otter 10', 'Curious Fox']);
  });

  it('says when the tracker refuses the name, but not when it is offline', async () => {
    const refusing = new DisplayNameKeeper({
      tracker: fakeTracker(() => ({ ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } })),
      storage: null,
    });
    refusing.announce();
    await flush();
    expect(refusing.store.getSnapshot().error).toMatch(/slow down/);
    const offline = new DisplayNameKeeper({
      tracker: fakeTracker(() => ({ ok: false, error: { code: 'OFFLINE', message: 'not connected' } })),
      storage: null,
    });
    offline.announce();
    await flush();
    expect(offline.store.getSnapshot().error).toBeNull();
  });
});
