import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development (`npm run dev`) the page is served by Vite and talks to a tracker started separately on 8089.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/socket.io': { target: 'http://localhost:8089', ws: true } },
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // The benchmark's pages (raw channel, OPFS writes) are built and served beside the app (bench/, `npm run bench`).
    rollupOptions: {
      input: { app: 'index.html', rawChannel: 'bench/raw-channel.html', opfsWrite: 'bench/opfs-write.html' },
    },
  },
});
