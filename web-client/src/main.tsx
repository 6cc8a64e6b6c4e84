import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ShoalEngine } from './engine/engine.ts';
import { parseShareLink } from './engine/links.ts';
import { saveFile } from './engine/save-file.ts';
import { App } from './ui/App.tsx';
import { EngineContext } from './ui/engine-context.ts';
import './ui/styles.css';

// Page options from the URL: `?maxPeers=N` (peers per download), `?uploadKiBps=N` (upload speed cap for this load,
// over the one in Upload settings) and, for tests only, `?testCorruptUploads`.
const params = new URLSearchParams(window.location.search);
const maxPeers = Number(params.get('maxPeers'));
const uploadKiBps = Number(params.get('uploadKiBps'));

// One engine per page, created outside React so StrictMode's double effects cannot create two.
const engine = new ShoalEngine({
  trackerUrl: window.location.origin,
  save: saveFile,
  maxPeersPerDownload: Number.isInteger(maxPeers) && maxPeers >= 1 && maxPeers <= 20 ? maxPeers : undefined,
  uploadBytesPerSecond: uploadKiBps > 0 ? uploadKiBps * 1024 : undefined,
  corruptUploads: params.has('testCorruptUploads'),
});
window.addEventListener('pagehide', () => engine.destroy());
// A share link (`#/file/<id>?…`) opens its card; another hash, or none, closes it.
const openLinkFromAddress = () => engine.links.open(parseShareLink(window.location.hash));
window.addEventListener('hashchange', openLinkFromAddress);
openLinkFromAddress();
// The engine's transfer statistics, read by the end-to-end tests (which pieces were sent, which a resume found).
Object.assign(window, { shoalTransferStats: () => engine.transferStats() });

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <EngineContext value={engine}>
      <App />
    </EngineContext>
  </StrictMode>,
);
