import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type Result,
  type ServerToClientEvents,
  type Welcome,
} from '@shoal/common';
import { io, type Socket } from 'socket.io-client';

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A connected peer: its socket and id. */
export interface Peer {
  socket: BenchSocket;
  peerId: string;
}

/** Connects one peer over WebSocket and waits for its welcome. */
export function connectPeer(url: string): Promise<Peer> {
  const socket: BenchSocket = io(url, {
    auth: { protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('session:welcome', (welcome: Welcome) => resolve({ socket, peerId: welcome.peerId }));
    socket.once('connect_error', reject);
  });
}

/** Connects `count` peers, `spread` of them at a time. */
export async function connectPeers(urlOf: (i: number) => string, count: number, spread = 50): Promise<Peer[]> {
  const peers: Peer[] = [];
  for (let at = 0; at < count; at += spread) {
    const batch = Array.from({ length: Math.min(spread, count - at) }, (_, i) => connectPeer(urlOf(at + i)));
    peers.push(...(await Promise.all(batch)));
  }
  return peers;
}

/** Sends an acknowledged request; throws on a refusal, so a figure never hides errors. */
export async function ask<E extends keyof ClientToServerEvents>(
  peer: Peer,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<unknown> {
  const emit = peer.socket.timeout(30_000).emitWithAck as unknown as (
    event: E,
    payload: unknown,
  ) => Promise<Result<unknown>>;
  const result = await emit.call(peer.socket.timeout(30_000), event, payload);
  if (!result.ok) throw new Error(`${event} refused: ${result.error.code} ${result.error.message}`);
  return result.data;
}

export function disconnectAll(peers: readonly Peer[]): void {
  for (const peer of peers) peer.socket.disconnect();
}
