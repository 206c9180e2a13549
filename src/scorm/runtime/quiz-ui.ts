import type { PostVerdict } from '../../domain/course.js';
import { POST_VERDICTS } from '../../domain/course.js';
import type { DrawnQuestion } from '../../domain/quiz/draw.js';
import { el } from './dom.js';
import { say, verdictName } from './messages.js';
import type { ScoQuestion } from './model.js';
import type { ScoAnswer } from './state.js';

/** Trusted markup: the post card rendered by the builder from the shared eta partial. */
function postCard(html: string): HTMLElement {
  const holder = el('div', { class: 'quiz-post' });
  holder.innerHTML = html;
  return holder;
}

function choiceList(
  name: string,
  kind: 'radio' | 'checkbox',
  options: Array<{ id: string; text: string }>,
  chosen: string[],
): HTMLElement {
  const list = el('div', { class: 'choices' });
  for (const option of options) {
    const id = `${name}-${option.id}`;
    list.append(
      el(
        'div',
        { class: 'choice' },
        el('input', { type: kind, name, id, value: option.id, checked: chosen.includes(option.id) }),
        el('label', { for: id }, option.text),
      ),
    );
  }
  return list;
}

function inOrder<T extends { id: string }>(items: T[], order: string[]): T[] {
  return order.map((id) => items.find((item) => item.id === id)!).filter(Boolean);
}

/** The three verdicts, in the web app's order and the package's words. */
const verdictChoices = () => POST_VERDICTS.map((id) => ({ id, text: verdictName(id) }));

/** Draws one served question as a fieldset. Choice ids (never correctness) are the input values. */
export function renderQuestion(
  q: ScoQuestion,
  drawn: DrawnQuestion,
  pos: number,
  total: number,
  chosenIds: string[],
  verdict: PostVerdict | undefined,
): HTMLElement {
  const name = `q${pos}`;
  const box = el(
    'fieldset',
    { class: 'quiz-question', 'data-pos': String(pos), 'data-question': q.id, id: `question-${pos}` },
    el('legend', {}, say('question.counter', { pos: pos + 1, total })),
    el('p', { class: 'quiz-prompt' }, q.prompt),
  );
  if (q.postHtml) box.append(postCard(q.postHtml));
  switch (q.type) {
    case 'single':
    case 'truefalse':
      box.append(choiceList(name, 'radio', inOrder(q.options, drawn.choiceIds), chosenIds));
      break;
    case 'multiple':
      box.append(
        el('p', { class: 'hint' }, say('question.selectAll')),
        choiceList(name, 'checkbox', inOrder(q.options, drawn.choiceIds), chosenIds),
      );
      break;
    case 'spot':
      box.append(
        el('p', { class: 'hint' }, say('question.spotHint')),
        choiceList(name, 'radio', inOrder(q.segments, drawn.choiceIds), chosenIds),
      );
      break;
    case 'classify':
      box.append(
        el(
          'fieldset',
          { class: 'quiz-sub' },
          el('legend', {}, say('question.verdict')),
          choiceList(`${name}-verdict`, 'radio', verdictChoices(), verdict ? [verdict] : []),
        ),
        el(
          'fieldset',
          { class: 'quiz-sub' },
          el('legend', {}, say('question.mainReason')),
          choiceList(name, 'radio', inOrder(q.reasons, drawn.choiceIds), chosenIds),
        ),
      );
      break;
  }
  return box;
}

/** Reads one question's answer back from the form, as indices in the author's order. */
export function readAnswer(form: HTMLFormElement, pos: number, authorOrder: string[]): ScoAnswer | null {
  const checked = Array.from(form.querySelectorAll<HTMLInputElement>(`input[name="q${pos}"]:checked`));
  const choices = checked.map((input) => authorOrder.indexOf(input.value)).filter((i) => i >= 0);
  const verdictInput = form.querySelector<HTMLInputElement>(`input[name="q${pos}-verdict"]:checked`);
  const verdict = verdictInput?.value as PostVerdict | undefined;
  if (choices.length === 0 && !verdict) return null;
  return verdict
    ? { choices: choices.sort((a, b) => a - b), verdict }
    : { choices: choices.sort((a, b) => a - b) };
}

/** A question counts as answered once every part of it has a choice. */
export function isComplete(q: ScoQuestion, answer: ScoAnswer | null): boolean {
  if (!answer || answer.choices.length === 0) return false;
  return q.type !== 'classify' || answer.verdict !== undefined;
}
