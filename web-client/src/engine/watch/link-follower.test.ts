import { describe, expect, it } from 'vitest';
import type { SearchResult } from '@shoal/common';
import { initialEngineState, type EngineState } from '../engine-state.ts';
import { createStore } from '../store.ts';
import type { RequestResult } from '../tracker-client.ts';
import { LinkFollower } from './link-follower.ts';

const id = (n: number): string => n.toString(16).padStart(64, '0');
const result = (n: number): SearchResult => ({
  id: id(n),
  name: `file ${n}.bin`,
  names: [],
  nameCount: 1,
  size: n,
  mimeType: '',
  holders: 1,
  partialHolders: 0,
  availability: 1,
});

/** A tracker that holds the files in `held`, answers lookups and watches, and records what it was asked. */
class ScriptedTracker {
  online = true;
  readonly held = new Set<number>();
  readonly asked: [string, unknown][] = [];
  /** When set, watch:add is answered only once it resolves. */
  gate: Promise<void> | null = null;
  private next = 1;
  request = async (event: string, payload: unknown): Promise<RequestResult<never>> => {
    this.asked.push([event, payload]);
    if (!this.online) return { ok: false, error: { code: 'OFFLINE', message: 'offline' } };
    if (event === 'files:lookup') {
      const { fileId } = payload as { fileId: string };
      const n = parseInt(fileId, 16);
      return { ok: true, data: { fileId, file: this.held.has(n) ? result(n) : null } as never };
    }
    if (event === 'watch:add') {
      const watchId = `w${this.next++}`;
      await this.gate;
      return { ok: true, data: { watchId } as never };
    }
    return { ok: true, data: { removed: true } as never };
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const link = (n: number) => ({ fileId: id(n), isFolder: false, name: `hint ${n}`, size: 5 });

function setUp(tracker = new ScriptedTracker()) {
  const state = createStore<EngineState>(initialEngineState);
  const downloads: string[] = [];
  const follower = new LinkFollower({ state, tracker, download: (file) => downloads.push(file.id) });
  return { state, tracker, follower, downloads, view: () => state.getSnapshot().link };
}

describe('LinkFollower', () => {
  it('shows a held file by its content id and downloads it on request, once', async () => {
    const { tracker, follower, downloads, view } = setUp();
    tracker.held.add(1);
    follower.open(link(1));
    expect(view()).toMatchObject({ status: 'looking', hintName: 'hint 1', hintSize: 5 });
    await settle();
    expect(view()).toMatchObject({ status: 'found', file: result(1) });
    follower.download();
    follower.download();
    expect(downloads).toEqual([id(1)]);
    expect(view()?.status).toBe('started');
  });

  it('waits for content nobody holds and starts it by itself when a holder appears', async () => {
    const { tracker, follower, downloads, view } = setUp();
    follower.open(link(2));
    await settle();
    expect(view()?.status).toBe('waiting');
    expect(tracker.asked).toEqual([
      ['files:lookup', { fileId: id(2) }],
      ['watch:add', { fileId: id(2) }],
    ]);
    follower.onMatch({ watchId: 'w7', file: result(3), firstSeen: 1 });
    expect(downloads).toEqual([]);
    follower.onMatch({ watchId: 'w1', file: result(2), firstSeen: 1 });
    follower.onMatch({ watchId: 'w1', file: result(2), firstSeen: 1 });
    expect(downloads).toEqual([id(2)]);
    expect(view()?.status).toBe('started');
    expect(tracker.asked.at(-1)).toEqual(['watch:remove', { watchId: 'w1' }]);
  });

  it('takes a match that comes before the wait is acknowledged, and drops the wait after', async () => {
    const { tracker, follower, downloads, view } = setUp();
    let answer = (): void => {};
    tracker.gate = new Promise((resolve) => (answer = resolve));
    follower.open(link(2));
    await settle();
    // The lookup answered null; the match arrives while watch:add is on its way.
    expect(view()?.status).toBe('waiting');
    follower.onMatch({ watchId: 'w1', file: result(2), firstSeen: 1 });
    expect(tracker.asked.filter(([event]) => event === 'watch:remove')).toEqual([]);
    answer();
    await settle();
    expect(downloads).toEqual([id(2)]);
    expect(tracker.asked.filter(([event]) => event === 'watch:remove')).toEqual([['watch:remove', { watchId: 'w1' }]]);
  });

  it('asks again on a new connection, and closes', async () => {
    const tracker = new ScriptedTracker();
    tracker.online = false;
    const { follower, view } = setUp(tracker);
    follower.open(link(4));
    await settle();
    expect(view()?.status).toBe('looking');
    tracker.online = true;
    tracker.held.add(4);
    follower.trackerOnline();
    await settle();
    expect(view()?.status).toBe('found');
    follower.open(null);
    expect(view()).toBeNull();
  });
});
