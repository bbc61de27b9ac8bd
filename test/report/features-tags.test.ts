import { describe, expect, it } from 'vitest';
import { projectCoverage } from '../../src/report/index.ts';

describe('the project feature files', () => {
  it('carry valid version and statement tags, and the exclusions file is consistent', () => {
    const r = projectCoverage();
    expect(r.errors).toEqual([]);
    // The suite exists and covers something in each version.
    for (const v of r.versions) expect(v.covered.length).toBeGreaterThan(0);
  });
});
