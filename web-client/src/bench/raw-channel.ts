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
import { PieceSink, fileMessages } from './necessary-work.ts';

/**
 * The baseline of the transfer benchmark: one RTCDataChannel between two pages, signaled through the same tracker
 * as Shoal, pushing bytes as fast as flow control allows (send while under 256 KiB buffered, resume at 128 KiB:
 * the settings measured best on these machines). No framing, no hashing, no storage: the ceiling Shoal is held to.
 * With `necessaryWork`, the same channel carries the file picked in `#bench-file` and the receiver hashes and stores
 * it ({@link PieceSink}): the floor of the work any verified, stored download does.
 */

const BENCH_FILE_ID = '0'.repeat(64);

type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const socket: BenchSocket = io(window.location.origin, { auth: { protocolVersion: PROTOCOL_VERSION } });
const welcome = new Promise<Welcome>((resolve) => socket.once('session:welcome', resolve));
const connections = new Map<string, RTCPeerConnection>();
let receiveDone: ((result: { bytes: number }) => void) | null = null;
let receiveFailed: ((error: Error) => void) | null = null;
/** Whether the next incoming transfer is hashed and stored (set by `nextReceive`). */
let receiveWithWork = false;

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
  const sink = receiveWithWork ? new PieceSink() : null;
  let expected = 0;
  let received = 0;
  const done = () => {
    channel.send(new Uint8Array(1));
    receiveDone?.({ bytes: received });
  };
  channel.onmessage = ({ data }) => {
    if (typeof data === 'string') {
      expected = Number(data);
      received = 0;
      return;
    }
    received += (data as ArrayBuffer).byteLength;
    sink?.push(new Uint8Array(data as ArrayBuffer));
    if (received !== expected) return;
    // With the work, the transfer ends once every byte is stored, as a download ends with its file assembled.
    if (!sink) done();
    else
      sink.finish().then(done, (error: Error) => {
        // A text message fails the sender's run too, instead of leaving it waiting for the acknowledgement.
        channel.send(`failed: ${error.message}`);
        receiveFailed?.(error);
      });
  };
}

/**
 * Sends `totalBytes` in `messageSize` messages to `to` (with `necessaryWork`, the bytes of the file picked in
 * `#bench-file`, read from disk); resolves with the elapsed milliseconds once acknowledged.
 */
async function send(
  to: string,
  totalBytes: number,
  messageSize: number,
  necessaryWork = false,
): Promise<{ ms: number; bytes: number }> {
  const file = necessaryWork ? pickedFile() : null;
  if (file && file.size !== totalBytes) throw new Error(`the picked file holds ${file.size} bytes, not ${totalBytes}`);
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

  const acknowledged = new Promise<void>(
    (resolve, reject) =>
      (channel.onmessage = ({ data }) => (typeof data === 'string' ? reject(new Error(data)) : resolve())),
  );
  const start = performance.now();
  channel.send(String(totalBytes));
  for await (const message of file ? fileMessages(file, messageSize) : zeroMessages(totalBytes, messageSize)) {
    if (channel.bufferedAmount >= HIGH_WATER) {
      await new Promise<void>((resolve) =>
        channel.addEventListener('bufferedamountlow', () => resolve(), { once: true }),
      );
    }
    channel.send(message as Uint8Array<ArrayBuffer>);
  }
  await acknowledged;
  const ms = performance.now() - start;
  pc.close();
  connections.delete(connectionId);
  return { ms, bytes: totalBytes };
}

/** `totalBytes` in `messageSize` messages of one reused buffer (the channel copies what it sends). */
function* zeroMessages(totalBytes: number, messageSize: number): Generator<Uint8Array> {
  const message = new Uint8Array(messageSize);
  for (let sent = 0; sent < totalBytes; sent += messageSize) {
    yield message.subarray(0, Math.min(messageSize, totalBytes - sent));
  }
}

function pickedFile(): File {
  const file = (document.getElementById('bench-file') as HTMLInputElement | null)?.files?.[0];
  if (!file) throw new Error('no file picked in #bench-file');
  return file;
}

declare global {
  interface Window {
    rawChannelBench: {
      peerId(): Promise<string>;
      send: typeof send;
      /** Resolves when the next incoming transfer completes (with `necessaryWork`, once hashed and stored). */
      nextReceive(necessaryWork?: boolean): Promise<{ bytes: number }>;
    };
  }
}

window.rawChannelBench = {
  peerId: async () => (await welcome).peerId,
  send,
  nextReceive: (necessaryWork = false) => {
    receiveWithWork = necessaryWork;
    return new Promise((resolve, reject) => {
      receiveDone = resolve;
      receiveFailed = reject;
    });
  },
};
