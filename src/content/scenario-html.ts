import type { LessonLabels } from './lesson-labels.js';
import type { Scenario, ScenarioChoice, ScenarioStep } from './scenario.js';

/** How the scenario's author-written text becomes safe HTML (markdown.ts passes its sanitised renderers). */
export interface ScenarioText {
  /** Markdown paragraphs → sanitised HTML. */
  block(markdown: string): string;
  /** One line of Markdown → sanitised inline HTML. */
  inline(markdown: string): string;
  /** Plain text → escaped HTML. */
  escape(text: string): string;
  /** Our own words around the author's text, in the course's language. */
  labels: LessonLabels;
}

/**
 * A scenario as HTML that works without JavaScript, on the web lesson page and in the SCORM package
 * alike: one section per step with a heading (the link target), its choices as a list of
 * <details>, each opening on its consequence and a link to the step it leads to (or the end).
 * Ids are `sc-<lesson>-<scenario>-<step>`, unique on the SCO page that holds every lesson.
 * `level` is the title's heading level (steps are one below), so the lesson's outline stays whole.
 */
export function renderScenario(
  scenario: Scenario,
  where: { lessonId: string; level: number },
  text: ScenarioText,
): string {
  const base = `sc-${where.lessonId}-${scenario.id}`;
  const titleTag = `h${Math.min(where.level, 6)}`;
  const steps = scenario.steps.map((step, i) =>
    renderStep(step, i, { base, scenario, stepTag: `h${Math.min(where.level + 1, 6)}` }, text),
  );
  return [
    `<section class="scenario" aria-labelledby="${base}-title">`,
    `<${titleTag} id="${base}-title" class="scenario-title">${text.escape(scenario.title)}</${titleTag}>`,
    `<div class="scenario-situation">${text.block(scenario.situation)}</div>`,
    ...steps,
    '</section>',
    '',
  ].join('\n');
}

interface StepContext {
  base: string;
  scenario: Scenario;
  stepTag: string;
}

function stepHeading(step: ScenarioStep, index: number, labels: LessonLabels): string {
  return labels.step(index + 1, step.title);
}

function renderStep(step: ScenarioStep, index: number, ctx: StepContext, text: ScenarioText): string {
  const id = `${ctx.base}-${step.id}`;
  const choices = step.choices.map(
    (choice) =>
      `<li><details class="scenario-choice"><summary>${text.inline(choice.label)}</summary>` +
      `<div class="scenario-consequence">${renderConsequence(choice, ctx, text)}</div></details></li>`,
  );
  return [
    `<section class="scenario-step" id="${id}" aria-labelledby="${id}-title">`,
    `<${ctx.stepTag} id="${id}-title">${text.escape(stepHeading(step, index, text.labels))}</${ctx.stepTag}>`,
    text.block(step.prompt),
    `<ul class="scenario-choices">`,
    ...choices,
    '</ul>',
    '</section>',
  ].join('\n');
}

function renderConsequence(choice: ScenarioChoice, ctx: StepContext, text: ScenarioText): string {
  const { labels } = text;
  const outcome = choice.outcome
    ? `<p class="scenario-outcome scenario-outcome-${choice.outcome}"><strong>${text.escape(labels.outcome(choice.outcome))}.</strong></p>`
    : '';
  const steps = ctx.scenario.steps;
  const nextIndex = steps.findIndex((s) => s.id === choice.next);
  const next = steps[nextIndex];
  const onward = next
    ? `<p class="scenario-next"><a href="#${ctx.base}-${next.id}">${text.escape(labels.goTo(stepHeading(next, nextIndex, labels)))}</a></p>`
    : `<p class="scenario-end">${text.escape(labels.scenarioEnd)} <a href="#${ctx.base}-${steps[0]!.id}">${text.escape(labels.tryAgain)}</a></p>`;
  return `${outcome}${text.block(choice.consequence)}${onward}`;
}
