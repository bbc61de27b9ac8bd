export { buildSite, type SiteOptions, type SiteResult } from './build-site.ts';
export { loadRuns, readReport, resolveRunPath, resolveRunPaths } from './load-runs.ts';
export {
  normalizeRun,
  sameBroker,
  scenarioKind,
  statementVerdict,
  CELL_VERDICTS,
  type RunData,
  type RunScenario,
  type RunStatement,
  type CellVerdict,
} from './model.ts';
export { scrubReport, scrubText, findSecrets, connectPasswordOffset } from './scrub.ts';
export { loadSpecTexts, type SpecTexts } from './spec-text.ts';
export { diffRuns, diffPairs, type RunDiff } from './diff-page.ts';
