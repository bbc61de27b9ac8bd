/** Virtual device fleet: lean MQTT clients that record every operation into a shared history. */
export { Device, type DeviceOptions } from './device.ts';
export { connectPlan, type ConnectPlan } from './connect-plan.ts';
export { Outbound, publishOf, type Flight, type OutMessage } from './outbound.ts';
export { ResilienceHarness, CheckFailure, unsupportedTarget, type HarnessOptions } from './resilience-harness.ts';
export { fleetSchema, parseFleetScenario, loadFleetScenario, FleetScenarioError, fleetDir, type FleetScenario } from './fleet-scenario.ts';
export { runFleet, type FleetRunOptions, type FleetReport } from './fleet-runner.ts';
