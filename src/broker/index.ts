/**
 * Public surface of the reference broker core (MQTT 3.1, 3.1.1 and 5.0).
 *
 *   const broker = new Broker({ persistence: new FilePersistence(dir), logger: consoleLogger('info') });
 *   net.createServer((s) => broker.handle(s, { transport: 'tcp', remoteAddress: s.remoteAddress }));
 *   await broker.close();
 *
 * Design: pure state machines (topic-tree, outbound-qos, inbound-qos, retained-store, router,
 * sessions) and one protocol core per connection (conn-core.ts + the *-flow.ts handlers; events
 * in through handle(), output to injected ConnSink and ConnEffects ports) under a thin socket shell
 * (connection.ts). Every timer runs on the injected Scheduler. Broker.attach() drives a core
 * without a socket. Misbehave modes (negative controls) are a decorator (misbehave.ts).
 * Overlapping subscriptions of one client get ONE copy at the highest granted QoS carrying every
 * matching Subscription Identifier (5.0 3.3.4-3/4 allow this or one copy per subscription).
 * Shared subscriptions: round-robin preferring connected members; queued messages of a member
 * that disconnects move to a connected member; unacknowledged QoS 1 ones move when its session
 * ends (4.8.2 SHOULD); QoS 2 ones already sent never move (4.8.2-5).
 */
export { Broker } from './broker.ts';
export { ConnCore } from './conn-core.ts';
export { RecordingSink, handle } from './conn-events.ts';
export type { ConnEvent, ConnAction } from './conn-events.ts';
export type { ConnSink } from './conn-api.ts';
export type { BrokerStats } from './context.ts';
export type { BrokerOptions, Capabilities, Limits, Misbehave, Variant } from './options.ts';
export { consoleLogger, silentLogger, MemoryLogger, rateLimitedLogger } from './logger.ts';
export type { Logger, LogLevel, LogFields, RateLimitOptions } from './logger.ts';
export { MemoryPersistence } from './persistence.ts';
export type { Persistence, PersistedState, SessionRecord, SubscriptionRecord, OutboundRecord } from './persistence.ts';
export { FilePersistence } from './file-persistence.ts';
export type { Message, Outgoing } from './message.ts';
export { TopicTree, MatchResult, topicMatches } from './topic-tree.ts';
export { validateTopicFilter, parseFilter } from './topic-validate.ts';
export type * from './hooks.ts';
export { allowAll } from './hooks.ts';
// The edge (listeners, config, users/ACL, SCRAM) is built on Broker by the broker-edge helper.
export { startBroker, brokerOptionsFrom } from './start-broker.ts';
export type { StartBrokerOptions, RunningBroker } from './start-broker.ts';
// The config loader and password records, for the CLI (nothing outside src/broker imports its internals).
// The config schema (zod) and YAML parser load only when a config is read: an embedded broker given
// options in code does not pay for them (about 4 MB of RSS).
export { ConfigError } from './config/config-error.ts';
export { LOG_LEVELS } from './logger.ts';
export { loadConfigFile } from './load-config-lazy.ts';
export { makeUserRecord } from './auth/index.ts';
