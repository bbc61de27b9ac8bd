/**
 * Public surface of the fault-injecting, MQTT-aware proxy.
 *
 *   const proxy = await createProxy({ upstream: 'mqtt://127.0.0.1:1883', seed: 42 });
 *   proxy.onFault((ev) => history.push(ev));
 *   proxy.addToxic({ type: 'mqtt_drop', stream: 'downstream', attributes: { packet_type: 'puback', nth: 1 } });
 *   // clients connect to proxy.url
 */
export { createProxy, type Proxy, type ProxyOptions } from './proxy.ts';
export type {
  Attributes, AttrValue, DirectionStats, FaultAction, FaultEvent, LinkStats, PacketInfo, ProxyStats, Stream,
  ToxicInput, ToxicSpec, Unit,
} from './types.ts';
export { normalizeToxic, toxic, toxicTypes, ToxicError } from './toxics/registry.ts';
export { loadProfile, listProfiles, parseProfile, profileDir, ProfileError, type LinkProfile } from './profiles.ts';
export { ManualScheduler, systemScheduler, type Scheduler } from './scheduler.ts';
export { PacketMatcher, matchSchema, type MatchAttrs } from './decision/packet-match.ts';
export { outageStateAt, type OutageSchedule, type OutageState } from './decision/outage.ts';
export { geStep, geTrace, geBadFraction, type GeParams, type GeState } from './decision/gilbert-elliott.ts';
export { topicFilterMatches } from './decision/topic-match.ts';
export { MqttFramer, peekPacket, parseFixedHeader } from './mqtt-frame.ts';
export { corruptFrame } from './toxics/mqtt-toxics.ts';
export { parseDuration } from './toxics/attrs.ts';
export { startControlApi, proxyJson, API_VERSION, type ControlApi, type ControlApiOptions } from './http-api.ts';
