/**
 * Public surface of the reference broker core (MQTT 3.1, 3.1.1 and 5.0).
 *
 *   const broker = new Broker({ persistence: new FilePersistence(dir), logger: consoleLogger('info') });
 *   net.createServer((s) => broker.handle(s, { transport: 'tcp', remoteAddress: s.remoteAddress }));
 *   await broker.close();
 *
 * Design: pure state machines (topic-tree, outbound-qos, inbound-qos, retained-store, router,
 * sessions) under one thin I/O shell per connection (connection.ts + *-flow.ts handlers).
 * Overlapping subscriptions of one client get ONE copy at the highest granted QoS carrying every
 * matching Subscription Identifier (5.0 3.3.4-3/4 allow this or one copy per subscription).
 * Shared subscriptions: round-robin preferring connected members; queued messages of a member
 * that disconnects move to a connected member; unacknowledged QoS 1 ones move when its session
 * ends (4.8.2 SHOULD); QoS 2 ones already sent never move (4.8.2-5).
 */
export { Broker } from './broker.ts';
export type { BrokerStats } from './context.ts';
export type { BrokerOptions, Capabilities, Limits, Misbehave } from './options.ts';
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
