import { defineConfig } from '@playwright/test';
import { TRACKER_NODE_FLAGS } from '../signaling-server/src/node-flags.ts';
import { CHROMIUM_ARGS, E2E_PORT, REPO_ROOT } from './support/environment.ts';

/**
 * End-to-end tests: real Chromium pages (the system's, never a downloaded one) against a real tracker serving the
 * built web client. `npm run test:e2e` builds the client first.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  timeout: 180_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    acceptDownloads: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    // As `npm start` runs it (its Node flags included), without the build `npm run test:e2e` has done already.
    command: ['node', ...TRACKER_NODE_FLAGS, '--import', 'tsx', 'signaling-server/src/main.ts'].join(' '),
    cwd: REPO_ROOT,
    url: `http://127.0.0.1:${E2E_PORT}/healthz`,
    env: { PORT: String(E2E_PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
