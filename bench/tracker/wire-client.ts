/**
 * A Shoal client that speaks Socket.IO's wire protocol itself (Engine.IO 4 frames over a plain `ws` WebSocket, Socket.IO
 * 5 packets in them), for the relay phase. With `socket.io-client` the load workers spent more CPU per relayed signal
 * than the tracker did, and on a 2-core machine that CPU is taken from the tracker. The tracker receives and sends
 * the same bytes either way. Binary attachments, polling and reconnection are left out: the relay needs none.
 */
import { PROTOCOL_VERSION } from '@shoal/common';
import WebSocket from 'ws';

const CONNECT_TIMEOUT_MS = 30_000;

/** One connection; `onEvent` receives every event the tracker pushes. */
export class WireClient {
  onEvent: (event: string, payload: unknown) => void = () => {};

  private constructor(
    private readonly ws: WebSocket,
    /** The peer id the tracker gave this connection. */
    readonly peerId: string,
  ) {}

  /** Connects to a tracker at `url` (http://host:port) and resolves once its welcome has arrived. */
  static connect(url: string): Promise<WireClient> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('no welcome in time')), CONNECT_TIMEOUT_MS);
      const fail = (err: Error): void => {
        clearTimeout(timer);
        ws.terminate();
        reject(err);
      };
      ws.on('error', fail);
      ws.on('message', function welcome(data) {
        const text = String(data);
        if (text.startsWith('0')) ws.send(`40${JSON.stringify({ protocolVersion: PROTOCOL_VERSION })}`);
        else if (text.startsWith('44')) fail(new Error(`refused: ${text.slice(2)}`));
        else if (text.startsWith('42["session:welcome"')) {
          const [, payload] = JSON.parse(text.slice(2)) as [string, { peerId: string }];
          clearTimeout(timer);
          ws.off('message', welcome);
          ws.off('error', fail);
          const client = new WireClient(ws, payload.peerId);
          ws.on('message', (frame) => client.receive(String(frame)));
          ws.on('error', () => undefined);
          resolve(client);
        }
      });
    });
  }

  /** Sends `event` with `payload`, without asking for an acknowledgement (as `signal:relay` is sent). */
  emit(event: string, payload: unknown): void {
    this.ws.send(`42${JSON.stringify([event, payload])}`);
  }

  close(): void {
    this.ws.close();
  }

  private receive(text: string): void {
    // Engine.IO: 2 is a ping (answered with a pong), 4 a message carrying a Socket.IO packet (2: an event).
    if (text === '2') return this.ws.send('3');
    if (text.startsWith('42')) {
      const [event, payload] = JSON.parse(text.slice(2)) as [string, unknown];
      this.onEvent(event, payload);
    }
  }
}
