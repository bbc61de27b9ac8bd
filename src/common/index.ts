export * from './clock.ts';
export * from './rng.ts';
export * from './result.ts';
export * from './with-timeout.ts';
export * from './exit-codes.ts';
export * from './outcome.ts';
export * from './redact.ts';
export * from './close-match.ts';
