export * from './types.ts';
export * from './registry.ts';
export { IDS_3_1_1 } from './ids-3-1-1.ts';
export { IDS_5_0 } from './ids-5-0.ts';
