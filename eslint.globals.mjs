// Node's globals for ESLint's no-undef (typescript-eslint turns no-undef off for .ts files;
// this covers the .mjs/.js/.cjs ones).
const names = [
  'process',
  'console',
  'Buffer',
  'URL',
  'URLSearchParams',
  'performance',
  'fetch',
  'globalThis',
  'queueMicrotask',
  'structuredClone',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'TextEncoder',
  'TextDecoder',
  'AbortController',
  'AbortSignal',
  'module',
  'require',
  '__dirname',
  '__filename',
];
export const builtinGlobals = Object.fromEntries(names.map((n) => [n, 'readonly']));
