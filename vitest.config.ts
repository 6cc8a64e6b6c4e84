import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'common/src/**/*.test.ts',
      'signaling-server/src/**/*.test.ts',
      'web-client/src/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 15_000,
  },
});
