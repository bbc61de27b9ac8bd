/**
 * A config file problem; `problems` lists each one as "path: what is wrong". In its own module, free
 * of the schema library, so that code catching it does not load the config schema.
 */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(problems.map((p) => `${source}: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}
