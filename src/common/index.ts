export * from './clock.ts';
export * from './rng.ts';
export * from './result.ts';
export * from './with-timeout.ts';
