import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type IncomingSignal,
  type ServerToClientEvents,
  type SignalData,
  type Welcome,
} from '@shoal/common';
import {
  SEND_BUFFER_HIGH_WATER as HIGH_WATER,
  SEND_BUFFER_LOW_WATER as LOW_WATER,
} from '../engine/peer/flow-control.ts';

/**
 * The baseline of the transfer benchmark: one RTCDataChannel between two pages, signaled through the same tracker
 * as Shoal, pushing bytes as fast as flow control allows (send while under 256 KiB buffered, resume at 128 KiB:
 * the settings measured best on these machines). No framing, no hashing, no storage: the ceiling Shoal is held to.
 */

const BENCH_FILE_ID = '0'.repeat(64);

type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const socket: BenchSocket = io(window.location.origin, { auth: { protocolVersion: PROTOCOL_VERSION } });
const welcome = new Promise<Welcome>((resolve) => socket.once('session:welcome', resolve));
const connections = new Map<string, RTCPeerConnection>();
let receiveDone: ((result: { bytes: number }) => void) | null = null;

function relay(to: string, connectionId: string, signal: SignalData): void {
  socket.emit('signal:relay', { to, fileId: BENCH_FILE_ID, connectionId, signal });
}

function forwardCandidates(pc: RTCPeerConnection, to: string, connectionId: string): void {
  pc.onicecandidate = ({ candidate }) => {
    if (!candidate) return;
    relay(to, connectionId, {
      type: 'candidate',
      candidate: { candidate: candidate.candidate, sdpMLineIndex: candidate.sdpMLineIndex, sdpMid: candidate.sdpMid },
    });
  };
}

async function createPeerConnection(): Promise<RTCPeerConnection> {
  return new RTCPeerConnection({ iceServers: (await welcome).iceServers });
}

// The receiving side: answer offers, count bytes, acknowledge the total with one byte.
socket.on('signal:incoming', (incoming: IncomingSignal) => {
  void (async () => {
    const signal = incoming.signal;
    let pc = connections.get(incoming.connectionId);
    if ('type' in signal && signal.type === 'offer') {
      pc = await createPeerConnection();
      connections.set(incoming.connectionId, pc);
      forwardCandidates(pc, incoming.from, incoming.connectionId);
      pc.ondatachannel = ({ channel }) => receive(channel);
      await pc.setRemoteDescription(signal);
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      relay(incoming.from, incoming.connectionId, { type: 'answer', sdp: answer.sdp ?? '' });
    } else if (pc && 'type' in signal && signal.type === 'answer') {
      await pc.setRemoteDescription(signal);
    } else if (pc && 'candidate' in signal) {
      await pc.addIceCandidate(signal.candidate);
    }
  })();
});

function receive(channel: RTCDataChannel): void {
  channel.binaryType = 'arraybuffer';
  let expected = 0;
  let received = 0;
  channel.onmessage = ({ data }) => {
    if (typeof data === 'string') {
      expected = Number(data);
      received = 0;
      return;
    }
    received += (data as ArrayBuffer).byteLength;
    if (received === expected) {
      channel.send(new Uint8Array(1));
      receiveDone?.({ bytes: received });
    }
  };
}

/** Sends `totalBytes` in `messageSize` messages to `to`; resolves with the elapsed milliseconds once acknowledged. */
async function send(to: string, totalBytes: number, messageSize: number): Promise<{ ms: number; bytes: number }> {
  const connectionId = `raw${Math.random().toString(36).slice(2)}`;
  const pc = await createPeerConnection();
  connections.set(connectionId, pc);
  forwardCandidates(pc, to, connectionId);
  const channel = pc.createDataChannel('bench', { ordered: true });
  channel.binaryType = 'arraybuffer';
  channel.bufferedAmountLowThreshold = LOW_WATER;
  const opened = new Promise<void>((resolve) => (channel.onopen = () => resolve()));
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  relay(to, connectionId, { type: 'offer', sdp: offer.sdp ?? '' });
  await opened;

  const acknowledged = new Promise<void>((resolve) => (channel.onmessage = () => resolve()));
  const message = new Uint8Array(messageSize);
  const start = performance.now();
  channel.send(String(totalBytes));
  let sent = 0;
  while (sent < totalBytes) {
    if (channel.bufferedAmount >= HIGH_WATER) {
      await new Promise<void>((resolve) =>
        channel.addEventListener('bufferedamountlow', () => resolve(), { once: true }),
      );
    }
    const size = Math.min(messageSize, totalBytes - sent);
    channel.send(size === messageSize ? message : message.subarray(0, size));
    sent += size;
  }
  await acknowledged;
  const ms = performance.now() - start;
  pc.close();
  connections.delete(connectionId);
  return { ms, bytes: totalBytes };
}

declare global {
  interface Window {
    rawChannelBench: {
      peerId(): Promise<string>;
      send: typeof send;
      /** Resolves when the next incoming transfer completes. */
      nextReceive(): Promise<{ bytes: number }>;
    };
  }
}

window.rawChannelBench = {
  peerId: async () => (await welcome).peerId,
  send,
  nextReceive: () => new Promise((resolve) => (receiveDone = resolve)),
};
