/**
 * Child process: bittorrent-tracker's `Server` with only its WebSocket tracker (what WebTorrent in a browser uses),
 * plus the same bench-only IPC channel as the Shoal tracker child. Run with `--expose-gc`.
 */
import { Server } from 'bittorrent-tracker';
import type { ServerApi, ServerInfo } from './child-api.ts';
import { readCpu, readMemory } from './process-readings.ts';
import { serve } from './rpc.ts';

const server = new Server({ http: false, udp: false, ws: true, stats: false });
let warnings = 0;
server.on('warning', (err: Error) => {
  warnings++;
  if (warnings <= 5) console.error(`bittorrent-tracker warning: ${err.message}`);
});
server.on('error', (err: Error) => console.error(`bittorrent-tracker error: ${err.message}`));

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.http?.address();
if (!address || typeof address === 'string') throw new Error('bittorrent-tracker is not listening');

const api: ServerApi = {
  memory: ({ gc }) => readMemory(gc),
  cpu: () => readCpu(),
  async counts() {
    let peers = 0;
    const swarms = Object.values(server.torrents);
    for (const swarm of swarms) peers += swarm.peers.length;
    return { swarms: swarms.length, peers, warnings };
  },
  registrySearch() {
    return Promise.reject(new Error('bittorrent-tracker has no search'));
  },
  gcPauses() {
    throw new Error('GC pauses are read from the Shoal tracker only');
  },
};

const info: ServerInfo = { port: address.port };
serve(api, info);
