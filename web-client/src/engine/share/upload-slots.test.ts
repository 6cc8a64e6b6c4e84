import { afterEach, describe, expect, it } from 'vitest';
import { UploadSlots, type SlotState, type SlotTicket } from './upload-slots.ts';

const IDLE_MS = 100;
const TURN_MS = 1_000;

const opened: UploadSlots[] = [];
afterEach(() => {
  for (const slots of opened.splice(0)) slots.close();
});

/** A scheduler on a clock the test moves, with sessions that record what they are told. */
function setup(count: number) {
  let now = 0;
  let changes = 0;
  const slots = new UploadSlots(count, {
    now: () => now,
    timing: { idleMs: IDLE_MS, turnMs: TURN_MS, tickMs: 1e9 },
    onChange: () => changes++,
  });
  opened.push(slots);
  const sessions = new Map<string, { ticket: SlotTicket; heard: SlotState[] }>();
  const session = (name: string) => {
    const found = sessions.get(name);
    if (!found) throw new Error(`no session ${name}`);
    return found;
  };
  return {
    slots,
    /** A session for `peer` (named `name`, by default the peer's id) starts. */
    join(peer: string, name = peer) {
      const heard: SlotState[] = [];
      sessions.set(name, { ticket: slots.attach(peer, (state) => heard.push(state)), heard });
    },
    /** The downloader on session `name` asks for pieces and keeps asking (the session is busy). */
    request(name: string) {
      const { ticket } = session(name);
      if (ticket.state.kind === 'idle') ticket.want();
      ticket.busy(true);
    },
    done(name: string) {
      session(name).ticket.busy(false);
    },
    leave(name: string) {
      session(name).ticket.release();
    },
    state: (name: string) => session(name).ticket.state,
    heard: (name: string) => session(name).heard,
    advance(ms: number) {
      now += ms;
      slots.tick();
    },
    /** Which peer is served, among `names`. */
    servedOf: (names: string[]) => names.filter((name) => session(name).ticket.state.kind === 'served'),
    changes: () => changes,
  };
}

describe('UploadSlots', () => {
  it('serves the first peers to ask, up to the slot count, and queues the rest in order', () => {
    const s = setup(2);
    for (const peer of ['a', 'b', 'c', 'd']) {
      s.join(peer);
      s.request(peer);
    }
    expect(['a', 'b', 'c', 'd'].map(s.state)).toEqual([
      { kind: 'served' },
      { kind: 'served' },
      { kind: 'queued', place: 1 },
      { kind: 'queued', place: 2 },
    ]);
    expect(s.heard('c')).toEqual([{ kind: 'queued', place: 1 }]);
    expect(s.slots.snapshot()).toEqual({ slots: 2, served: 2, queued: 2 });
  });

  it('does not count a peer that only connected (it has asked for nothing)', () => {
    const s = setup(1);
    s.join('a');
    s.join('b');
    s.request('b');
    expect(s.state('a')).toEqual({ kind: 'idle' });
    expect(s.state('b')).toEqual({ kind: 'served' });
    expect(s.heard('a')).toEqual([]);
  });

  it('removes a peer that leaves while queued and moves those behind it up', () => {
    const s = setup(1);
    for (const peer of ['a', 'b', 'c', 'd']) {
      s.join(peer);
      s.request(peer);
    }
    s.leave('c');
    expect(s.state('b')).toEqual({ kind: 'queued', place: 1 });
    expect(s.state('d')).toEqual({ kind: 'queued', place: 2 });
    expect(s.heard('b')).toEqual([{ kind: 'queued', place: 1 }]);
    expect(s.heard('d')).toEqual([
      { kind: 'queued', place: 3 },
      { kind: 'queued', place: 2 },
    ]);
    expect(s.slots.snapshot()).toEqual({ slots: 1, served: 1, queued: 2 });
  });

  it('gives the slot of a peer that leaves to the first in line', () => {
    const s = setup(1);
    for (const peer of ['a', 'b', 'c']) {
      s.join(peer);
      s.request(peer);
    }
    s.leave('a');
    expect(s.state('b')).toEqual({ kind: 'served' });
    expect(s.state('c')).toEqual({ kind: 'queued', place: 1 });
    expect(s.heard('b').at(-1)).toEqual({ kind: 'served' });
  });

  it('takes the slot from a holder idle for a while only when someone waits', () => {
    const s = setup(1);
    s.join('a');
    s.request('a');
    s.done('a');
    s.advance(10 * IDLE_MS);
    expect(s.state('a')).toEqual({ kind: 'served' }); // nobody waits: nothing to gain
    s.join('b');
    s.request('b');
    expect(s.state('b')).toEqual({ kind: 'served' });
    expect(s.state('a')).toEqual({ kind: 'idle' });
    // Asking again, the former holder queues like anyone.
    s.request('a');
    expect(s.state('a')).toEqual({ kind: 'queued', place: 1 });
  });

  it('lets a holder idle for less than the idle time keep its slot, then frees it', () => {
    const s = setup(1);
    s.join('a');
    s.request('a');
    s.done('a');
    s.join('b');
    s.request('b');
    expect(s.state('b')).toEqual({ kind: 'queued', place: 1 });
    s.advance(IDLE_MS - 1);
    expect(s.state('a')).toEqual({ kind: 'served' });
    s.advance(1);
    expect(s.servedOf(['a', 'b'])).toEqual(['b']);
  });

  it('never takes the slot of a busy holder for idleness', () => {
    const s = setup(1);
    s.join('a');
    s.request('a');
    s.join('b');
    s.request('b');
    s.advance(TURN_MS - 1);
    expect(s.state('a')).toEqual({ kind: 'served' });
  });

  it('passes the slot round-robin among busy peers, a turn each, the holder queueing again last', () => {
    const s = setup(1);
    for (const peer of ['a', 'b', 'c']) {
      s.join(peer);
      s.request(peer);
    }
    const turns: string[] = [];
    for (let turn = 0; turn < 6; turn++) {
      turns.push(...s.servedOf(['a', 'b', 'c']));
      s.advance(TURN_MS);
    }
    expect(turns).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    // Just after a's turn passed to b: c is next, a behind it.
    const fresh = setup(1);
    for (const peer of ['a', 'b', 'c']) {
      fresh.join(peer);
      fresh.request(peer);
    }
    fresh.advance(TURN_MS);
    expect(['a', 'b', 'c'].map(fresh.state)).toEqual([
      { kind: 'queued', place: 2 },
      { kind: 'served' },
      { kind: 'queued', place: 1 },
    ]);
  });

  it('rotates only as many turns as peers wait, the longest-served first', () => {
    const s = setup(2);
    s.join('a');
    s.request('a');
    s.advance(10);
    s.join('b');
    s.request('b');
    s.join('c');
    s.request('c');
    s.advance(TURN_MS);
    expect(s.servedOf(['a', 'b', 'c'])).toEqual(['b', 'c']);
    expect(s.state('a')).toEqual({ kind: 'queued', place: 1 });
  });

  it('keeps a lone downloader served however long it downloads', () => {
    const s = setup(1);
    s.join('a');
    s.request('a');
    s.advance(100 * TURN_MS);
    expect(s.state('a')).toEqual({ kind: 'served' });
    expect(s.heard('a')).toEqual([{ kind: 'served' }]);
  });

  it('counts one slot for all sessions of one peer, and frees it when the last one ends', () => {
    const s = setup(1);
    s.join('a', 'a1');
    s.join('a', 'a2');
    s.request('a1');
    expect(s.state('a2')).toEqual({ kind: 'served' });
    expect(s.heard('a2')).toEqual([{ kind: 'served' }]);
    s.join('b');
    s.request('b');
    s.request('a2'); // already served: no second slot, no change
    expect(s.slots.snapshot()).toEqual({ slots: 1, served: 1, queued: 1 });
    s.leave('a1');
    expect(s.state('b')).toEqual({ kind: 'queued', place: 1 });
    s.leave('a2');
    expect(s.state('b')).toEqual({ kind: 'served' });
  });

  it('tells a session that joins a queued peer its place without telling the others again', () => {
    const s = setup(1);
    s.join('a');
    s.request('a');
    s.join('b', 'b1');
    s.request('b1');
    s.join('b', 'b2');
    expect(s.state('b2')).toEqual({ kind: 'queued', place: 1 });
    expect(s.heard('b1')).toEqual([{ kind: 'queued', place: 1 }]);
  });

  it('applies a changed slot count at once', () => {
    const s = setup(1);
    s.join('a');
    s.request('a');
    s.advance(10);
    for (const peer of ['b', 'c', 'd']) {
      s.join(peer);
      s.request(peer);
    }
    s.slots.setSlots(3);
    expect(s.servedOf(['a', 'b', 'c', 'd'])).toEqual(['a', 'b', 'c']);
    expect(s.state('d')).toEqual({ kind: 'queued', place: 1 });
    // Back to one slot: those served longest queue again, behind the one already waiting.
    s.slots.setSlots(1);
    expect(s.servedOf(['a', 'b', 'c', 'd'])).toEqual(['c']);
    expect(['d', 'a', 'b'].map(s.state)).toEqual([
      { kind: 'queued', place: 1 },
      { kind: 'queued', place: 2 },
      { kind: 'queued', place: 3 },
    ]);
    expect(s.slots.snapshot()).toEqual({ slots: 1, served: 1, queued: 3 });
  });

  it('refuses a slot count out of bounds and keeps the one it had', () => {
    const s = setup(2);
    for (const bad of [0, 21, 1.5, NaN]) expect(() => s.slots.setSlots(bad), String(bad)).toThrow(RangeError);
    expect(s.slots.slots).toBe(2);
  });

  it('reports changes of what it shows, not every call', () => {
    const s = setup(1);
    s.join('a');
    s.request('a');
    expect(s.changes()).toBe(1);
    s.advance(10);
    s.request('a');
    expect(s.changes()).toBe(1);
    s.join('b');
    s.request('b');
    expect(s.changes()).toBe(2);
  });

  it('ignores a release or a busy report from a session that already ended', () => {
    const s = setup(1);
    s.join('a');
    s.request('a');
    s.leave('a');
    s.leave('a');
    s.done('a');
    s.join('b');
    s.request('b');
    expect(s.state('b')).toEqual({ kind: 'served' });
    expect(s.slots.snapshot()).toEqual({ slots: 1, served: 1, queued: 0 });
  });
});
