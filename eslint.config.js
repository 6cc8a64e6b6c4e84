// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  // bench/tmp: one-off profiling scripts, kept out of git.
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/test-results/',
    '**/playwright-report/',
    '**/*.tsbuildinfo',
    'bench/tmp/',
  ]),

  js.configs.recommended,

  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    extends: [tseslint.configs.recommended],
    rules: {
      // `_`-prefixed names are deliberately unused (positional parameters, destructuring rests).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  // Hooks can live in .ts files too (`use-engine.ts`), so the hooks rules cover both.
  {
    files: ['web-client/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
  },

  // Globals per runtime.
  {
    files: ['web-client/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
  },
  {
    files: ['common/**'],
    languageOptions: { globals: globals['shared-node-browser'] },
  },
  {
    files: ['signaling-server/**', 'e2e/**', 'bench/**', '**/*.config.{js,mjs,cjs,ts,mts}'],
    languageOptions: { globals: globals.node },
  },
]);
