/**
 * The config loader behind a dynamic import: the schema library (zod) and the YAML parser are
 * loaded the first time a config file is read, not when the broker module is.
 */
import type { BrokerConfig } from './config/index.ts';

/** Read and validate a broker config file; throws one ConfigError listing every problem. */
export async function loadConfigFile(path: string): Promise<BrokerConfig> {
  const config = await import('./config/index.ts');
  return config.loadConfigFile(path);
}
