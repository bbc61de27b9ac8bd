export { brokerConfigSchema, LOG_LEVELS, type BrokerConfig, type ListenerConfig, type LogLevel } from './schema.ts';
export { ConfigError, validateConfig, parseConfig, loadConfigFile, formatPath } from './load-config.ts';
