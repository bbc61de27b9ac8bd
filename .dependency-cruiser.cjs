/**
 * Architecture rules, checked by `npm run lint:arch` (dependency-cruiser). Layers, lowest first;
 * a module may import its own layer's folder and lower layers only:
 *   common → spec → codec → transport → broker / client / proxy → checker / model / fleet / explore → report → cli
 * Folders on one layer do not import each other (broker, client and proxy are independent; so
 * are checker, model, fleet and explore), except where `sameLayer` below allows it.
 * Nothing outside src/broker imports broker internals: only src/broker/index.ts.
 */
const LAYERS = [
  ['common'],
  ['spec'],
  ['codec'],
  ['transport'],
  ['broker', 'client', 'proxy'],
  ['checker', 'model', 'fleet', 'explore', 'fuzz', 'audit'],
  ['report'],
  ['cli'],
];

/** Same-layer imports that are part of the design (importer -> imported). */
const sameLayer = {
  fleet: ['checker', 'model'],
  explore: ['checker', 'model', 'fleet'],
  fuzz: ['checker', 'fleet'],
};

const layerOf = (f) => LAYERS.findIndex((l) => l.includes(f));
const forbidden = [];

for (const [i, folders] of LAYERS.entries()) {
  const higher = LAYERS.slice(i + 1).flat();
  for (const f of folders) {
    const siblings = folders.filter((x) => x !== f && !(sameLayer[f] ?? []).includes(x));
    const banned = [...higher, ...siblings];
    if (banned.length === 0) continue;
    forbidden.push({
      name: `layer-${f}`,
      comment: `src/${f} (layer ${layerOf(f)}) may not import ${banned.join(', ')}: imports flow one way (see the comment at the top of .dependency-cruiser.cjs)`,
      severity: 'error',
      from: { path: `^src/${f}/` },
      to: { path: `^src/(${banned.join('|')})/` },
    });
  }
}

forbidden.push(
  {
    name: 'broker-internals',
    comment: 'outside src/broker, import the broker only through src/broker/index.ts (its public surface)',
    severity: 'error',
    from: { path: '^src/', pathNot: '^src/broker/' },
    to: { path: '^src/broker/', pathNot: '^src/broker/index\\.ts$' },
  },
  {
    name: 'no-circular',
    comment: 'no import circles anywhere in src/',
    severity: 'error',
    from: { path: '^src/' },
    to: { circular: true },
  },
  {
    name: 'not-to-unresolvable',
    comment: 'every import resolves',
    severity: 'error',
    from: { path: '^src/' },
    to: { couldNotResolve: true },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|reports)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
