export {
  TestClient,
  ExpectationError,
  type TestClientOptions,
  type RecordedViolation,
  type CloseInfo,
} from './test-client.ts';
export { TargetError, type ByteStream, type DialOptions } from './byte-stream.ts';
export { dial, parseBrokerUrl, type BrokerAddress, type Scheme } from './dial.ts';
export { buildConnect, levelOf, type ConnectOptions, type WillOptions } from './connect-options.ts';
export { matches, mismatch, describePacket, PRESENT, LAST_ID, type PacketPattern } from './pattern.ts';
export { parsePacketSpec, PROPERTY_NAMES } from './packet-spec.ts';
export { prefixRawConnectClientIds } from './raw-connect.ts';
export { completePacket } from './packet-builder.ts';
export { mapTopics, topicPrefixer } from './topics.ts';
export { PacketTrace, type TraceEntry, type TraceDirection } from './trace.ts';
export {
  capabilitiesFromConnack,
  formatCapabilities,
  lacks,
  type Capabilities,
  type VersionCapabilities,
  type CapabilityName,
} from './capabilities.ts';
export { discoverCapabilities, type DiscoverOptions } from './capability-probes.ts';
export type { ProbeFinding } from './capabilities.ts';
export { resolveTarget, displayTarget, TARGET_ENV, type TargetConfig } from './target-config.ts';
export { subscribeFlow, unsubscribeFlow, publishFlow, acknowledgeFlow } from './flows.ts';
