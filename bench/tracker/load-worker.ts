/** Child process: a load generator holding thousands of tracker clients, driven by the runner over IPC. */
import { BittorrentClients } from './bittorrent-clients.ts';
import type { WorkerApi } from './child-api.ts';
import { observeGcPauses, takeGcPauses } from './gc-pauses.ts';
import { readCpu } from './process-readings.ts';
import { serve } from './rpc.ts';
import { ShoalClients } from './shoal-clients.ts';

const shoal = new ShoalClients();
const bittorrent = new BittorrentClients();

const api: WorkerApi = {
  connectShoal: (params) => shoal.connect(params),
  connectBittorrent: (params) => bittorrent.connect(params),
  announceShoal: (params) => shoal.announce(params),
  announceBittorrent: (params) => bittorrent.announce(params),
  relayShoal: (params) => shoal.relay(params),
  relayBittorrent: (params) => bittorrent.relay(params),
  prepareRegistration: (params) => shoal.prepareRegistration(params),
  runRegistration: (params) => shoal.runRegistration(params),
  search: (params) => shoal.search(params),
  disconnectShoal: () => shoal.disconnectAll(),
  disconnectBittorrent: () => bittorrent.disconnectAll(),
  cpu: () => readCpu(),
  gcPauses: () => takeGcPauses(),
};
observeGcPauses();

serve(api, { pid: process.pid });
// The runner stops children with SIGTERM: exit normally, so `--cpu-prof` gets to write its profile here too.
process.on('SIGTERM', () => process.exit(0));
