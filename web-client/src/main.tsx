import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ShoalEngine } from './engine/engine.ts';
import { saveFile } from './engine/save-file.ts';
import { App } from './ui/App.tsx';
import { EngineContext } from './ui/engine-context.ts';
import './ui/styles.css';

// One engine per page, created outside React so StrictMode's double effects cannot create two.
const engine = new ShoalEngine({ trackerUrl: window.location.origin, save: saveFile });
window.addEventListener('pagehide', () => engine.destroy());

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <EngineContext value={engine}>
      <App />
    </EngineContext>
  </StrictMode>,
);
