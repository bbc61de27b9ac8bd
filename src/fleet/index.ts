/**
 * Virtual device fleet: lean MQTT clients (on the codec) that reconnect with backoff, keep
 * persistent sessions, resend unacknowledged QoS 1/2 with DUP, and record every operation
 * into a shared history; a harness that puts each device behind its own fault-injecting
 * proxy and judges the history with the guarantee checkers; YAML fleet scenarios.
 *
 *   const h = new ResilienceHarness({ brokerUrl, version: '3.1.1', seed: 42, prefix: 'run1' });
 *   await h.link('sensor-1', { profile: 'flaky-cellular' });
 *   await h.subscribe('dashboard', 'fleet/+/temp', 1, { persistent: true });
 *   await h.fault('sensor-1', { type: 'mqtt_drop', stream: 'downstream', attributes: { packet_type: 'puback', for_ms: 500 } });
 *   await h.publish('sensor-1', 100, 'fleet/sensor-1/temp', 1);
 *   await h.expectValid(['qos1-at-least-once', 'ordered-topics']);   // throws CheckFailure with a witness
 *   await h.close();
 */
export { Device, type DeviceOptions } from './device.ts';
export { DeviceLink, type LinkSettings } from './device-link.ts';
export { connectPlan, type ConnectPlan } from './connect-plan.ts';
export { Outbound, publishOf, type Flight, type OutMessage } from './outbound.ts';
export { ResilienceHarness, CheckFailure, unsupportedTarget, type HarnessOptions } from './resilience-harness.ts';
export { fleetSchema, parseFleetScenario, loadFleetScenario, FleetScenarioError, fleetDir, type FleetScenario } from './fleet-scenario.ts';
export { runFleet, type FleetRunOptions, type FleetReport } from './fleet-runner.ts';
