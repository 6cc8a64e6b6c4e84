import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Port of the tracker the e2e suite starts (override with E2E_PORT). */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 18089);

/** Flags that let Chromium run as root on a closed network without wasting CPU on background services. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];
