import type { PostVerdict, ReviewLevel } from '../../domain/course.js';
import type { AttemptGrade, GivenAnswer } from '../../domain/quiz/grading.js';
import { POST_VERDICT_LABELS } from '../../domain/verdict-labels.js';
import { el } from './dom.js';
import type { ScoChoice, ScoQuestion } from './model.js';

export interface ResultView {
  grade: AttemptGrade;
  served: ScoQuestion[];
  answers: Array<GivenAnswer | undefined>;
  level: ReviewLevel;
  passingScore: number;
  attemptsLeft: number;
  clauseTitles: Record<string, string>;
}

function choicesOf(q: ScoQuestion): ScoChoice[] {
  switch (q.type) {
    case 'classify':
      return q.reasons;
    case 'spot':
      return q.segments;
    default:
      return q.options;
  }
}

const verdictText = (v: PostVerdict | undefined) => (v ? POST_VERDICT_LABELS[v] : 'No verdict');

function answerSummary(q: ScoQuestion, given: GivenAnswer | undefined): string {
  const picked = choicesOf(q)
    .filter((c) => given?.choiceIds.includes(c.id))
    .map((c) => c.text);
  const parts = q.type === 'classify' ? [verdictText(given?.verdict), ...picked] : picked;
  return parts.join('; ') || 'No answer';
}

function fullReview(view: ResultView): HTMLElement {
  const list = el('ol', { class: 'review-list' });
  view.served.forEach((q, i) => {
    const points = view.grade.questions[i]?.points ?? 0;
    const badge =
      points === 1
        ? el('span', { class: 'badge badge-ok' }, 'Correct')
        : points > 0
          ? el('span', { class: 'badge badge-warn' }, 'Partly right')
          : el('span', { class: 'badge badge-bad' }, 'Incorrect');
    list.append(
      el(
        'li',
        { class: 'card review-item' },
        el('p', { class: 'quiz-prompt' }, q.prompt, ' ', badge),
        el('p', {}, el('strong', {}, 'Your answer: '), answerSummary(q, view.answers[i])),
        // No "right answer" line: the package does not know it (see answer-key.ts).
        ...(q.explanation ? [el('p', { class: 'muted' }, q.explanation)] : []),
      ),
    );
  });
  return el('div', {}, el('h2', {}, 'Your answers'), list);
}

function weakClauses(view: ResultView): HTMLElement {
  const weak = Object.entries(view.grade.clauses)
    .filter(([, s]) => s.correct < s.total)
    .map(([id]) => view.clauseTitles[id] ?? id);
  if (weak.length === 0)
    return el('p', {}, 'No single part of the policy stood out; read the lessons again.');
  return el(
    'div',
    {},
    el('h2', {}, 'Parts of the policy to revisit'),
    el('ul', {}, ...weak.map((title) => el('li', {}, title))),
  );
}

export function renderResult(container: HTMLElement, view: ResultView): void {
  const { grade } = view;
  const summary = grade.passed
    ? el(
        'div',
        { class: 'notice notice-ok', id: 'result-summary' },
        el(
          'p',
          {},
          el('strong', {}, `You passed with ${grade.score}%.`),
          ` The pass mark is ${view.passingScore}%.`,
        ),
      )
    : el(
        'div',
        { class: 'notice notice-bad', id: 'result-summary' },
        el(
          'p',
          {},
          el('strong', {}, `You scored ${grade.score}%.`),
          ` The pass mark is ${view.passingScore}%.`,
        ),
        el(
          'p',
          {},
          view.attemptsLeft > 0
            ? `You can try again (${view.attemptsLeft} attempt${view.attemptsLeft === 1 ? '' : 's'} left).`
            : 'You have used all your attempts. Please contact HR.',
        ),
      );
  container.replaceChildren(summary);
  if (view.level === 'full') container.append(fullReview(view));
  else if (view.level === 'scoreAndWeakClauses') container.append(weakClauses(view));
}
