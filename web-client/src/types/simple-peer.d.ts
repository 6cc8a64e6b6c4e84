// @thaunknown/simple-peer ships no types; this declares the part of its API Shoal uses.
declare module '@thaunknown/simple-peer/lite.js' {
  export interface SimplePeerOptions {
    initiator?: boolean;
    trickle?: boolean;
    config?: RTCConfiguration;
    channelConfig?: RTCDataChannelInit;
    objectMode?: boolean;
  }

  export default class SimplePeer {
    constructor(options?: SimplePeerOptions);
    /** The underlying data channel (internal to simple-peer, read for flow control). */
    readonly _channel: RTCDataChannel | null;
    /** The underlying peer connection (internal to simple-peer, read for the SCTP message size limit). */
    readonly _pc: RTCPeerConnection | null;
    readonly connected: boolean;
    readonly destroyed: boolean;
    signal(data: unknown): void;
    send(data: ArrayBufferView | ArrayBuffer): void;
    destroy(error?: Error): void;
    on(event: 'signal', listener: (data: unknown) => void): this;
    on(event: 'connect', listener: () => void): this;
    on(event: 'data', listener: (data: Uint8Array) => void): this;
    on(event: 'close', listener: () => void): this;
    /** The remote side closed the channel (the lite build emits these then, not 'close'). */
    on(event: 'end' | 'disconnect', listener: () => void): this;
    on(event: 'error', listener: (error: Error & { code?: string }) => void): this;
  }
}
