/** The pure MQTT 3.1.1 / 5.0 spec model: which observations of a multi-client history the spec allows. */
export * from './types.ts';
export { checkHistory, owedCount } from './check.ts';
export { cite, modelStatements, type RuleName } from './statements.ts';
