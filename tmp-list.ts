import { REGISTRY } from './src/spec/index.ts';
const pat = new RegExp(process.argv[2]);
for (const s of REGISTRY) if (pat.test(s.id) || pat.test(s.section)) console.log(s.version, s.id, s.level, s.actor, s.testability.kind, '|', s.summary);
