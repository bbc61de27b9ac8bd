/** Virtual device fleet: lean MQTT clients that record every operation into a shared history. */
export { Device, type DeviceOptions } from './device.ts';
export { Outbound, publishOf, type Flight, type OutMessage } from './outbound.ts';
export { ResilienceHarness, CheckFailure, type HarnessOptions } from './resilience-harness.ts';
