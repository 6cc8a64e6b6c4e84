import type { IncomingSignal, RelaySignalRequest } from '@shoal/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  eventually,
  fileId,
  rawRequest,
  request,
  sleep,
  startTracker,
  type Connected,
  type Harness,
} from './test-support/tracker-harness.ts';

function inbox(client: Connected): IncomingSignal[] {
  const received: IncomingSignal[] = [];
  client.socket.on('signal:incoming', (signal) => received.push(signal));
  return received;
}

describe('tracker: signal relay', () => {
  let harness: Harness;
  let alice: Connected;
  let bob: Connected;
  let bobInbox: IncomingSignal[];
  const offer = (to: string): RelaySignalRequest => ({
    to,
    fileId: fileId(1),
    connectionId: 'conn-1',
    signal: { type: 'offer', sdp: 'v=0\r\n' },
  });

  beforeEach(async () => {
    harness = await startTracker();
    alice = await harness.connect();
    bob = await harness.connect();
    bobInbox = inbox(bob);
  });
  afterEach(async () => {
    await harness.close();
  });

  it('delivers signals stamped with the sender’s socket id', async () => {
    expect(await request(alice, 'signal:relay', offer(bob.peerId))).toEqual({ ok: true, data: null });
    await eventually(() =>
      expect(bobInbox).toEqual([
        { from: alice.peerId, fileId: fileId(1), connectionId: 'conn-1', signal: { type: 'offer', sdp: 'v=0\r\n' } },
      ]),
    );
  });

  it('relays candidates and renegotiation requests intact, both ways', async () => {
    const aliceInbox = inbox(alice);
    const candidate = {
      type: 'candidate' as const,
      candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host', sdpMLineIndex: 0, sdpMid: '0' },
    };
    expect((await request(bob, 'signal:relay', { ...offer(alice.peerId), signal: candidate })).ok).toBe(true);
    expect((await request(bob, 'signal:relay', { ...offer(alice.peerId), signal: { renegotiate: true } })).ok).toBe(
      true,
    );
    await eventually(() =>
      expect(aliceInbox.map((s) => [s.from, s.signal])).toEqual([
        [bob.peerId, candidate],
        [bob.peerId, { renegotiate: true }],
      ]),
    );
  });

  it('refuses a payload that names its own sender', async () => {
    const carol = await harness.connect();
    const spoofed = await rawRequest(alice, 'signal:relay', { ...offer(bob.peerId), from: carol.peerId });
    expect(spoofed).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    await sleep(50);
    expect(bobInbox).toEqual([]);
  });

  it('refuses peers that are not connected', async () => {
    expect(await request(alice, 'signal:relay', offer('no-such-peer'))).toMatchObject({
      ok: false,
      error: { code: 'PEER_NOT_FOUND' },
    });
    bob.socket.disconnect();
    await eventually(async () =>
      expect(await request(alice, 'signal:relay', offer(bob.peerId))).toMatchObject({
        ok: false,
        error: { code: 'PEER_NOT_FOUND' },
      }),
    );
  });

  it('refuses signals to oneself', async () => {
    expect(await request(alice, 'signal:relay', offer(alice.peerId))).toMatchObject({
      ok: false,
      error: { code: 'SELF_SIGNAL' },
    });
  });
});
