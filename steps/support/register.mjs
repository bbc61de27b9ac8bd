// Lets cucumber's workers load the TypeScript step files: registers tsx's ESM hooks before
// the 'steps/**/*.ts' imports (listed after this file in cucumber.mjs). `--loader` / the
// `loader` option is avoided on purpose: tsx's register() is the supported route on Node 20.
import { register } from 'tsx/esm/api';

register();
