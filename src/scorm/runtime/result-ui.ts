import type { PostVerdict, ReviewLevel } from '../../domain/course.js';
import type { AttemptGrade, GivenAnswer } from '../../domain/quiz/grading.js';
import { el } from './dom.js';
import { say, tryAgain, verdictName } from './messages.js';
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

const verdictText = (v: PostVerdict | undefined) => (v ? verdictName(v) : say('result.noVerdict'));

function answerSummary(q: ScoQuestion, given: GivenAnswer | undefined): string {
  const picked = choicesOf(q)
    .filter((c) => given?.choiceIds.includes(c.id))
    .map((c) => c.text);
  const parts = q.type === 'classify' ? [verdictText(given?.verdict), ...picked] : picked;
  return parts.join('; ') || say('result.noAnswer');
}

function fullReview(view: ResultView): HTMLElement {
  const list = el('ol', { class: 'review-list' });
  view.served.forEach((q, i) => {
    const points = view.grade.questions[i]?.points ?? 0;
    const badge =
      points === 1
        ? el('span', { class: 'badge badge-ok' }, say('result.correct'))
        : points > 0
          ? el('span', { class: 'badge badge-warn' }, say('result.partly'))
          : el('span', { class: 'badge badge-bad' }, say('result.incorrect'));
    list.append(
      el(
        'li',
        { class: 'card review-item' },
        el('p', { class: 'quiz-prompt' }, q.prompt, ' ', badge),
        el('p', {}, el('strong', {}, `${say('result.yourAnswer')} `), answerSummary(q, view.answers[i])),
        // No "right answer" line: the package does not know it (see answer-key.ts).
        ...(q.explanation ? [el('p', { class: 'muted' }, q.explanation)] : []),
      ),
    );
  });
  return el('div', {}, el('h2', {}, say('result.yourAnswers')), list);
}

function weakClauses(view: ResultView): HTMLElement {
  const weak = Object.entries(view.grade.clauses)
    .filter(([, s]) => s.correct < s.total)
    .map(([id]) => view.clauseTitles[id] ?? id);
  if (weak.length === 0) return el('p', {}, say('result.nothingStoodOut'));
  return el(
    'div',
    {},
    el('h2', {}, say('result.revisit')),
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
          el('strong', {}, say('result.passed', { score: grade.score })),
          ` ${say('result.passMark', { pass: view.passingScore })}`,
        ),
      )
    : el(
        'div',
        { class: 'notice notice-bad', id: 'result-summary' },
        el(
          'p',
          {},
          el('strong', {}, say('result.scored', { score: grade.score })),
          ` ${say('result.passMark', { pass: view.passingScore })}`,
        ),
        el('p', {}, view.attemptsLeft > 0 ? tryAgain(view.attemptsLeft) : say('result.noAttempts')),
      );
  container.replaceChildren(summary);
  if (view.level === 'full') container.append(fullReview(view));
  else if (view.level === 'scoreAndWeakClauses') container.append(weakClauses(view));
}
