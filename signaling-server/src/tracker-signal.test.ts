import type { IncomingSignal, RelaySignalRequest } from '@shoal/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  eventually,
  fileId,
  nextSignalFailure,
  rawEmit,
  relayRefusal,
  relaySignal,
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

  it('delivers signals stamped with the sender’s socket id, unacknowledged', async () => {
    const failures: unknown[] = [];
    alice.socket.on('signal:failed', (failure) => failures.push(failure));
    relaySignal(alice, offer(bob.peerId));
    await eventually(() =>
      expect(bobInbox).toEqual([
        { from: alice.peerId, fileId: fileId(1), connectionId: 'conn-1', signal: { type: 'offer', sdp: 'v=0\r\n' } },
      ]),
    );
    await sleep(50);
    expect(failures).toEqual([]);
  });

  it('relays candidates and renegotiation requests intact, both ways', async () => {
    const aliceInbox = inbox(alice);
    const candidate = {
      type: 'candidate' as const,
      candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host', sdpMLineIndex: 0, sdpMid: '0' },
    };
    relaySignal(bob, { ...offer(alice.peerId), signal: candidate });
    relaySignal(bob, { ...offer(alice.peerId), signal: { renegotiate: true } });
    await eventually(() =>
      expect(aliceInbox.map((s) => [s.from, s.signal])).toEqual([
        [bob.peerId, candidate],
        [bob.peerId, { renegotiate: true }],
      ]),
    );
  });

  it('refuses a payload that names its own sender', async () => {
    const carol = await harness.connect();
    const spoofed = await relayRefusal(alice, { ...offer(bob.peerId), from: carol.peerId });
    expect(spoofed).toMatchObject({ to: bob.peerId, connectionId: 'conn-1', error: { code: 'INVALID_PAYLOAD' } });
    await sleep(50);
    expect(bobInbox).toEqual([]);
  });

  it('tells the sender which signal could not reach a peer that is not connected', async () => {
    expect(await relayRefusal(alice, offer('no-such-peer'))).toEqual({
      to: 'no-such-peer',
      connectionId: 'conn-1',
      error: { code: 'PEER_NOT_FOUND', message: 'peer no-such-peer is not connected' },
    });
    bob.socket.disconnect();
    await eventually(async () =>
      expect(await relayRefusal(alice, offer(bob.peerId))).toMatchObject({
        to: bob.peerId,
        error: { code: 'PEER_NOT_FOUND' },
      }),
    );
  });

  it('refuses signals to oneself', async () => {
    expect(await relayRefusal(alice, offer(alice.peerId))).toMatchObject({ error: { code: 'SELF_SIGNAL' } });
  });

  it('refuses a signal sent with an acknowledgement callback, and answers in signal:failed only', async () => {
    let acknowledged = false;
    const failure = nextSignalFailure(alice);
    rawEmit(alice, 'signal:relay', offer(bob.peerId), () => (acknowledged = true));
    expect(await failure).toMatchObject({ to: bob.peerId, error: { code: 'INVALID_PAYLOAD' } });
    await sleep(50);
    expect(acknowledged).toBe(false);
    expect(bobInbox).toEqual([]);
  });

  it('names in signal:failed only what the payload said, within the limits', async () => {
    expect(await relayRefusal(alice, 'not an object')).toMatchObject({ to: '', connectionId: '' });
    expect(await relayRefusal(alice, { ...offer(bob.peerId), to: 'p'.repeat(65), connectionId: 7 })).toMatchObject({
      to: '',
      connectionId: '',
      error: { code: 'INVALID_PAYLOAD' },
    });
  });
});
