/**
 * Injected time + timers for the proxy: the generic Scheduler of src/common (shared with the
 * broker). Decision logic reads `now()` and sets timers only through it, so tests can drive
 * whole toxic chains with a ManualScheduler.
 */
export { ManualScheduler, systemScheduler, type Scheduler } from '../common/scheduler.ts';
