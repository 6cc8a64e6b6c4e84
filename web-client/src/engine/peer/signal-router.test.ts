import type { SignalData, SignalFailure } from '@shoal/common';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PeerLinkOptions } from './peer-link.ts';
import { SignalRouter } from './signal-router.ts';

// Hoisted with vi.mock: the router imports PeerLink before this module's own code runs.
const { FakeLink } = vi.hoisted(() => {
  /** Stands in for a WebRTC link (Node has no RTCPeerConnection): records what the router does with it. */
  class FakeLink {
    static made: FakeLink[] = [];
    readonly remotePeerId: string;
    readonly fileId: string;
    readonly connectionId: string;
    closedWith: string | null = null;
    private readonly closeListeners: ((reason: string) => void)[] = [];

    constructor(readonly options: PeerLinkOptions) {
      this.remotePeerId = options.remotePeerId;
      this.fileId = options.fileId;
      this.connectionId = options.connectionId;
      FakeLink.made.push(this);
    }

    signal(): void {}

    onClose(listener: (reason: string) => void): void {
      this.closeListeners.push(listener);
    }

    close(reason: string): void {
      if (this.closedWith !== null) return;
      this.closedWith = reason;
      for (const listener of this.closeListeners) listener(reason);
    }
  }
  return { FakeLink };
});

vi.mock('./peer-link.ts', () => ({ PeerLink: FakeLink }));

const FILE = 'f'.repeat(64);
const OFFER: SignalData = { type: 'offer', sdp: 'v=0' };

function failure(to: string, connectionId: string, code: SignalFailure['error']['code']): SignalFailure {
  return { to, connectionId, error: { code, message: `${code} for the test` } };
}

describe('SignalRouter', () => {
  let online: boolean;
  let relayed: { to: string; connectionId: string }[];
  let router: SignalRouter;

  beforeEach(() => {
    FakeLink.made = [];
    online = true;
    relayed = [];
    router = new SignalRouter({
      iceServers: () => [],
      relay: (to, _fileId, connectionId) => {
        relayed.push({ to, connectionId });
        return online;
      },
      accepts: () => true,
      incoming: () => {},
    });
  });

  const connect = (peer: string): InstanceType<typeof FakeLink> => {
    router.connect(peer, FILE);
    return FakeLink.made.at(-1) as InstanceType<typeof FakeLink>;
  };

  it('closes the link whose signal the tracker could not deliver, and only that one', () => {
    const toAlice = connect('alice');
    const toBob = connect('bob');
    router.failed(failure('alice', toAlice.connectionId, 'PEER_NOT_FOUND'));
    expect(toAlice.closedWith).toBe('signaling failed: PEER_NOT_FOUND for the test');
    expect(toBob.closedWith).toBeNull();
  });

  it('ignores failures that name no link of this page', () => {
    const toAlice = connect('alice');
    router.failed(failure('bob', toAlice.connectionId, 'PEER_NOT_FOUND'));
    router.failed(failure('alice', 'another-connection', 'PEER_NOT_FOUND'));
    router.failed(failure('', '', 'INVALID_PAYLOAD'));
    expect(toAlice.closedWith).toBeNull();
  });

  it('keeps the link when a signal was only refused for coming too fast', () => {
    const toAlice = connect('alice');
    router.failed(failure('alice', toAlice.connectionId, 'RATE_LIMITED'));
    expect(toAlice.closedWith).toBeNull();
  });

  it('relays what a link signals, and closes it at once when the tracker is offline', () => {
    const toAlice = connect('alice');
    toAlice.options.sendSignal(OFFER);
    expect(relayed).toEqual([{ to: 'alice', connectionId: toAlice.connectionId }]);
    expect(toAlice.closedWith).toBeNull();
    online = false;
    toAlice.options.sendSignal(OFFER);
    expect(toAlice.closedWith).toBe('signaling failed: tracker offline');
  });

  it('forgets a closed link: a late failure for it changes nothing', () => {
    const toAlice = connect('alice');
    toAlice.close('done');
    router.failed(failure('alice', toAlice.connectionId, 'PEER_NOT_FOUND'));
    expect(toAlice.closedWith).toBe('done');
  });
});
