// ESLint (flat config): @eslint/js and typescript-eslint recommended rules, for `npm run lint`.
// Line length and layout are the formatter's job, not ESLint's. Every eslint-disable comment
// must say why (`// eslint-disable-next-line rule -- reason`) and must still be needed.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinGlobals } from './eslint.globals.mjs';

const DIAL = 'dial through src/transport (dial), the one place that opens TCP, TLS and WebSocket connections';

export default tseslint.config(
  { ignores: ['node_modules/**', 'reports/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  comments.recommended,
  // Layout is Prettier's (npm run format:check); no ESLint rule may fight it.
  prettier,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: builtinGlobals },
    rules: {
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      // A `let` read by a handler installed before its one assignment (e.g. a signal handler
      // set up before the broker starts) cannot be a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // The project's convention: a leading underscore marks a deliberately unused binding
      // (an ignored callback argument, a property dropped by rest destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // src/transport is the one place that dials TCP, TLS and WebSocket (its dial()); listening
    // (createServer) and TLS contexts stay allowed everywhere.
    files: ['src/**/*.ts'],
    ignores: ['src/transport/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'node:net',
              importNames: ['connect', 'createConnection', 'Socket'],
              message: DIAL,
              allowTypeImports: true,
            },
            { name: 'node:tls', importNames: ['connect'], message: DIAL, allowTypeImports: true },
            { name: 'ws', importNames: ['WebSocket', 'default'], message: DIAL, allowTypeImports: true },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'net', property: 'connect', message: DIAL },
        { object: 'net', property: 'createConnection', message: DIAL },
        { object: 'net', property: 'Socket', message: DIAL },
        { object: 'tls', property: 'connect', message: DIAL },
      ],
    },
  },
);
