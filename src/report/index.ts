export { interpretTags, allAdvisory, TagError, VERSION_TAGS, type TagRef, type ScenarioTags } from './scenario-tags.ts';
export { scanFeatureText, scanFeatureFiles, findFeatureFiles, type ScannedScenario } from './feature-scan.ts';
export {
  computeCoverage,
  loadExclusions,
  formatCoverage,
  projectCoverage,
  coverageJson,
  DEFAULT_EXCLUSIONS,
  type CoverageReport,
  type CoverageExclusion,
  type VersionCoverage,
} from './coverage.ts';
export {
  computeVerdicts,
  summarize,
  isMust,
  stronger,
  type StatementCheck,
  type ScenarioStep,
  type ScenarioOutcome,
  type StatementVerdict,
  type VersionSummary,
  type OutcomeKind,
  type VerdictKind,
} from './verdicts.ts';
export { collectOutcomes, pickleTagRefs, type CollectedRun, type AttemptLike } from './collect-outcomes.ts';
export {
  MEDIA_VERDICT,
  MEDIA_CAPABILITIES,
  MEDIA_SCENARIO,
  TRACE_HEADING,
  type VerdictAttachment,
  type ScenarioRecord,
  type Finding,
} from './attachments.ts';
export {
  buildComplianceReport,
  formatComplianceSummary,
  runVerdict,
  VERDICT_POLICY,
  type ComplianceReport,
  type RunInfo,
  type RunVerdict,
} from './compliance-report.ts';
export { nodeLine, commentsAbove, pickleLine } from './gherkin-locations.ts';
