/** Public surface of the reference broker core. */
export { Broker } from './broker.ts';
export type { BrokerStats } from './context.ts';
export type { BrokerOptions, Capabilities, Limits, Misbehave } from './options.ts';
export { consoleLogger, silentLogger, MemoryLogger } from './logger.ts';
export type { Logger, LogLevel, LogFields } from './logger.ts';
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
