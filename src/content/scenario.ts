import { type Static, Type } from 'typebox';
import { ID_PATTERN } from '../domain/course.js';
import type { ContentIssue } from './issues.js';
import { idOf, reportDuplicateIds } from './rules.js';
import { checkSchema } from './schema-issues.js';
import { parseYaml, type YamlSource } from './yaml-source.js';

/**
 * A branching scenario, written in a lesson as a fenced ```scenario block of YAML: a situation, then
 * steps; each step asks what the learner does and offers choices, and each choice has a consequence
 * and either leads to another step (`next`) or ends the scenario. A choice may say how good it was
 * (`outcome`), so the consequence, not a list of right answers, carries the lesson.
 */

const strict = { additionalProperties: false } as const;
const Id = Type.String({ pattern: ID_PATTERN, maxLength: 64 });
const Text = Type.String({ minLength: 1, maxLength: 2000 });
const ShortText = Type.String({ minLength: 1, maxLength: 300 });

export const SCENARIO_OUTCOMES = ['good', 'mixed', 'poor'] as const;

const ChoiceSchema = Type.Object(
  {
    label: ShortText,
    consequence: Text,
    outcome: Type.Optional(Type.Enum([...SCENARIO_OUTCOMES])),
    /** The step this choice leads to; without it the choice ends the scenario. */
    next: Type.Optional(Id),
  },
  strict,
);

const StepSchema = Type.Object(
  {
    id: Id,
    title: Type.Optional(ShortText),
    prompt: Text,
    choices: Type.Array(ChoiceSchema, { minItems: 2, maxItems: 6 }),
  },
  strict,
);

export const ScenarioSchema = Type.Object(
  {
    id: Id,
    title: ShortText,
    situation: Text,
    steps: Type.Array(StepSchema, { minItems: 1, maxItems: 20 }),
  },
  strict,
);

export type Scenario = Static<typeof ScenarioSchema>;
export type ScenarioStep = Scenario['steps'][number];
export type ScenarioChoice = ScenarioStep['choices'][number];

/**
 * Parses and checks one scenario block. `firstLine` is the file line of the block's first YAML line,
 * so every issue points at the lesson file's own line. Undefined (with issues pushed) when invalid.
 */
export function parseScenario(
  yaml: string,
  file: string,
  firstLine: number,
  issues: ContentIssue[],
): Scenario | undefined {
  const source = parseYaml(yaml, file, issues, firstLine - 1);
  if (!source) return undefined;
  const before = issues.length;
  const raw = source.data as { steps?: unknown };
  if (Array.isArray(raw?.steps)) {
    reportDuplicateIds(raw.steps.map(idOf), 'step', source, (i) => ['steps', i, 'id'], issues);
  }
  if (!checkSchema(ScenarioSchema, source.data, source, [], issues) || issues.length > before)
    return undefined;
  const scenario = source.data as Scenario;
  checkPaths(scenario, source, issues);
  return issues.length > before ? undefined : scenario;
}

/** Every `next` names a step, every step can be reached from the first, and some choice ends it. */
function checkPaths(scenario: Scenario, source: YamlSource, issues: ContentIssue[]): void {
  const ids = scenario.steps.map((s) => s.id);
  scenario.steps.forEach((step, i) => {
    step.choices.forEach((choice, j) => {
      if (choice.next !== undefined && !ids.includes(choice.next)) {
        issues.push(
          source.issue(
            ['steps', i, 'choices', j, 'next'],
            `unknown step "${choice.next}" (steps: ${ids.join(', ')})`,
          ),
        );
      }
    });
  });
  const reached = new Set<string>([ids[0]!]);
  const queue = [scenario.steps[0]!];
  for (let step = queue.shift(); step; step = queue.shift()) {
    for (const { next } of step.choices) {
      const target = scenario.steps.find((s) => s.id === next);
      if (target && !reached.has(target.id)) {
        reached.add(target.id);
        queue.push(target);
      }
    }
  }
  scenario.steps.forEach((step, i) => {
    if (!reached.has(step.id)) {
      issues.push(source.issue(['steps', i, 'id'], `step "${step.id}" is never reached from the first step`));
    }
  });
  if (!scenario.steps.some((s) => s.choices.some((c) => c.next === undefined))) {
    issues.push(source.issue(['steps'], 'no choice ends the scenario (leave out `next` on at least one)'));
  }
}
