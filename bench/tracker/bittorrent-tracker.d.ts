/** The part of bittorrent-tracker (which ships no types) that the benchmark uses. */
declare module 'bittorrent-tracker' {
  import type { EventEmitter } from 'node:events';
  import type { Server as HttpServer } from 'node:http';

  export interface ServerOptions {
    http?: boolean;
    udp?: boolean;
    ws?: boolean | Record<string, unknown>;
    stats?: boolean;
    trustProxy?: boolean;
    interval?: number;
  }

  /** The tracker server; `torrents` maps info hashes (hex) to swarms. */
  export class Server extends EventEmitter {
    constructor(options?: ServerOptions);
    http: HttpServer | null;
    torrents: Record<string, { peers: { length: number } }>;
    listen(port: number, hostname: string, onListening?: () => void): void;
    close(callback?: (err?: Error | null) => void): void;
  }
}
