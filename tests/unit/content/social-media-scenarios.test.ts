/**
 * Review 2, item 13: the outage-day scenario of lesson 7 must branch (choices lead to different next
 * steps), not be a linear quiz; and staying silent about overtime is a choice, not a mistake.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCoursesDir } from '../../../src/content/index.js';
import type { ContentIssue } from '../../../src/content/issues.js';
import { parseScenario, type Scenario } from '../../../src/content/scenario.js';

async function scenarioOf(lessonFile: string): Promise<Scenario> {
  const file = path.join(defaultCoursesDir, 'social-media-policy', 'lessons', lessonFile);
  const text = await readFile(file, 'utf8');
  const yaml = /^```scenario\n([\s\S]*?)^```/m.exec(text)?.[1];
  const issues: ContentIssue[] = [];
  const scenario = parseScenario(yaml ?? '', file, 1, issues);
  expect(issues).toEqual([]);
  return scenario!;
}

describe('lesson 7 outage-day scenario', () => {
  it('branches: at least three steps send different choices to different places', async () => {
    const scenario = await scenarioOf('07-monitoring-and-privacy.md');
    const branching = scenario.steps.filter(
      (step) => new Set(step.choices.map((c) => c.next ?? '(end)')).size > 1,
    );
    expect(branching.length).toBeGreaterThanOrEqual(3);
  });

  it('marks staying silent about overtime as mixed: the choice is yours, the policy does not require it', async () => {
    const scenario = await scenarioOf('07-monitoring-and-privacy.md');
    const silent = scenario.steps.flatMap((s) => s.choices).find((c) => /^Nothing\./.test(c.label));
    expect(silent?.outcome).toBe('mixed');
    expect(silent?.consequence).toMatch(/your choice/);
  });
});
