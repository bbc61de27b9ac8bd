/**
 * Public surface of the fault-injecting, MQTT-aware proxy (Toxiproxy-style).
 *
 *   const proxy = await createProxy({ upstream: 'mqtt://127.0.0.1:1883', seed: 42 });
 *   const off = proxy.onFault((ev) => history.push(ev));        // FaultEvent, see types.ts
 *   proxy.addToxic({ name: 'no-first-puback', type: 'mqtt_drop', stream: 'downstream',
 *                    attributes: { packet_type: 'puback', nth: 1, client_id: 'A' } });
 *   // clients connect to proxy.url (mqtt://127.0.0.1:PORT); proxy.cut({ clientId: 'A' }, 'reset')
 *   proxy.stats(); proxy.links(); proxy.faults(); await proxy.close();
 *
 * Streams: upstream = client → broker, downstream = broker → client.
 * Stage toxics (per link and stream, chained in the order added, MQTT-aware ones first):
 *   latency {latency, jitter} · bandwidth {rate KB/s} · slicer {average_size, size_variation,
 *   delay µs} · limit_data {bytes} · timeout {timeout} · reset_peer {timeout} · slow_close {delay}
 *   · half_open {} (both streams) · disconnect {after_packets | after_bytes | after_ms, mode}
 *   · mqtt_drop / mqtt_delay {delay_ms, jitter_ms, reorder} / mqtt_duplicate {copies, set_dup}
 *   / mqtt_corrupt {mode}, all matching on {packet_type, topic, packet_id, client_id, nth, every,
 *   from_ms|from, for_ms|for, probability, count_scope}.
 * Proxy toxics: refuse {duration_ms, mode} · outage {up_ms, down_ms, start, cycles,
 *   new_connections, existing} · flaky {step_ms, p_good_to_bad, p_bad_to_good, cut_probability,
 *   new_connections, existing} (Gilbert–Elliott).
 * Durations are ms numbers or strings ("300ms", "2s", "1m"). toxicity (0..1) is rolled once per
 * link and toxic from the seed; `probability` is drawn per packet from the same seeded stream.
 */
export { createProxy, type Proxy, type ProxyOptions } from './proxy.ts';
export type {
  Attributes,
  AttrValue,
  DirectionStats,
  FaultAction,
  FaultEvent,
  LinkStats,
  PacketInfo,
  ProxyStats,
  Stream,
  ToxicInput,
  ToxicSpec,
  Unit,
} from './types.ts';
export { normalizeToxic, toxic, toxicProblems, toxicTypes, ToxicError } from './toxics/registry.ts';
export { loadProfile, listProfiles, parseProfile, profileDir, ProfileError, type LinkProfile } from './profiles.ts';
export { BusyPoller, checkBusyPollMs, MAX_BUSY_POLL_MS } from './busy-poll.ts';
export { ManualScheduler, systemScheduler, type Scheduler } from './scheduler.ts';
export { PacketMatcher, matchSchema, type MatchAttrs } from './decision/packet-match.ts';
export { outageStateAt, type OutageSchedule, type OutageState } from './decision/outage.ts';
export { geStep, geTrace, geBadFraction, type GeParams, type GeState } from './decision/gilbert-elliott.ts';
export { topicFilterMatches } from './decision/topic-match.ts';
export { MqttFramer, peekPacket, parseFixedHeader } from './mqtt-frame.ts';
export { corruptFrame } from './toxics/mqtt-toxics.ts';
export { parseDuration } from './toxics/attrs.ts';
export { startControlApi, API_VERSION, type ControlApi, type ControlApiOptions } from './http-api.ts';
export { proxyJson } from './proxy-json.ts';
