import type { PostVerdict, ReviewLevel } from '../../domain/course.js';
import { choiceIdsOf, type Draw, drawQuestions } from '../../domain/quiz/draw.js';
import {
  type AttemptGrade,
  type GivenAnswer,
  gradeAttempt,
  gradeQuestion,
} from '../../domain/quiz/grading.js';
import { seededRng } from '../../domain/quiz/random.js';
import { byId } from './dom.js';
import { interactionFor } from './interactions.js';
import { connectLms } from './lms.js';
import type { ScoBank, ScoConfig, ScoQuestion } from './model.js';
import { decodeData } from './obfuscate.js';
import { isComplete, readAnswer, renderQuestion } from './quiz-ui.js';
import { renderResult } from './result-ui.js';
import { decodeState, encodeState, initialState, type ScoState } from './state.js';
import { wireDecisionTree } from './tree-ui.js';

/** Entry point of the SCO: called once by the package's script with its build-time configuration. */
export function start(config: ScoConfig): void {
  const bank = decodeData<ScoBank>(config.bank, config.key);
  const questionsById = new Map<string, ScoQuestion>(bank.questions.map((q) => [q.id, q]));
  const lessonCount = config.lessonIds.length;
  const startedAt = Date.now();
  const lms = connectLms(window, config.format);
  if (!lms.connected) byId('lms-notice').hidden = false;

  const boot = lms.start();
  const state: ScoState =
    decodeState(boot.suspendData, lessonCount, config.exampleCount) ??
    initialState(lessonCount, config.exampleCount);
  let ended = false;

  const save = (commit: boolean) => {
    if (ended) return;
    lms.saveBookmark(state.view, encodeState(state));
    if (commit) lms.commit();
  };

  const currentDraw = (): Draw =>
    state.attempt === 0
      ? []
      : drawQuestions(bank.questions, config.questionsPerAttempt, seededRng(state.seed));

  const givenAnswers = (draw: Draw): Array<GivenAnswer | undefined> =>
    draw.map((d, i) => {
      const answer = state.answers[i];
      const q = questionsById.get(d.questionId)!;
      if (!answer) return undefined;
      const authorOrder = choiceIdsOf(q);
      return {
        choiceIds: answer.choices.map((c) => authorOrder[c]!).filter(Boolean),
        ...(answer.verdict ? { verdict: answer.verdict } : {}),
      };
    });

  const grade = (draw: Draw): AttemptGrade => {
    const answers: Record<string, GivenAnswer> = {};
    givenAnswers(draw).forEach((a, i) => {
      if (a) answers[draw[i]!.questionId] = a;
    });
    return gradeAttempt(questionsById, draw, answers, config.passingScore);
  };

  const isFinished = (): boolean => {
    if (!state.submitted) return false;
    return grade(currentDraw()).passed || state.attempt >= config.maxAttempts;
  };

  // ---------------------------------------------------------------- views
  const views = Array.from(document.querySelectorAll<HTMLElement>('[data-view]'));
  const navLinks = Array.from(document.querySelectorAll<HTMLAnchorElement>('a[data-goto]'));

  const show = (view: string, focus = true) => {
    if (view === 'quiz' && state.submitted) view = 'result';
    if (view === 'result' && !state.submitted) view = 'quiz';
    if (!views.some((v) => v.dataset.view === view)) view = 'l0';
    state.view = view;
    for (const section of views) section.hidden = section.dataset.view !== view;
    for (const link of navLinks) {
      const current = link.dataset.goto === view || (view === 'result' && link.dataset.goto === 'quiz');
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const lesson = /^l(\d+)$/.exec(view);
    if (lesson) state.lessonsSeen[Number(lesson[1])] = true;
    for (const [i, link] of navLinks.filter((l) => /^l\d+$/.test(l.dataset.goto ?? '')).entries()) {
      link.classList.toggle('seen', state.lessonsSeen[i] === true);
    }
    if (view === 'quiz') renderQuiz();
    if (view === 'result') showResult();
    // On a phone the contents list sits above the page: keep it folded away until asked for.
    if (window.matchMedia('(max-width: 760px)').matches)
      byId<HTMLDetailsElement>('sco-contents').open = false;
    if (focus) document.querySelector<HTMLElement>(`[data-view="${view}"] h1`)?.focus();
    save(true);
  };

  document.addEventListener('click', (event) => {
    const target = (event.target as Element).closest<HTMLElement>('[data-goto]');
    if (!target) return;
    event.preventDefault();
    show(target.dataset.goto!);
  });

  // ---------------------------------------------------------------- example posts
  const revealExample = (article: HTMLElement, chosen: PostVerdict) => {
    const actual = article.dataset.verdict as PostVerdict;
    for (const button of Array.from(article.querySelectorAll<HTMLButtonElement>('[data-verdict]'))) {
      button.setAttribute('aria-pressed', String(button.dataset.verdict === chosen));
    }
    const outcome = article.querySelector<HTMLElement>('.example-outcome')!;
    outcome.textContent = chosen === actual ? 'You got it right.' : 'Not quite: have a look at why.';
    outcome.className = `example-outcome notice ${chosen === actual ? 'notice-ok' : 'notice-bad'}`;
    article.querySelector<HTMLElement>('.example-reveal')!.hidden = false;
  };

  for (const article of Array.from(document.querySelectorAll<HTMLElement>('[data-example]'))) {
    const index = Number(article.dataset.example);
    const saved = state.examples[index];
    if (saved) revealExample(article, saved);
    article.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('[data-verdict]');
      if (!button) return;
      const chosen = button.dataset.verdict as PostVerdict;
      state.examples[index] = chosen;
      revealExample(article, chosen);
      save(true);
    });
  }

  wireDecisionTree(byId('decision-tree'));

  // ---------------------------------------------------------------- quiz
  const quizForm = byId<HTMLFormElement>('quiz-form');
  const quizIntro = byId('quiz-intro');
  const quizErrors = byId('quiz-errors');

  const renderQuiz = () => {
    quizIntro.hidden = state.attempt > 0;
    quizForm.hidden = state.attempt === 0;
    quizErrors.hidden = true;
    const holder = byId('quiz-questions');
    const draw = currentDraw();
    const given = givenAnswers(draw);
    holder.replaceChildren(
      ...draw.map((d, i) =>
        renderQuestion(
          questionsById.get(d.questionId)!,
          d,
          i,
          draw.length,
          given[i]?.choiceIds ?? [],
          given[i]?.verdict,
        ),
      ),
    );
  };

  const startAttempt = () => {
    const seed = crypto.getRandomValues(new Uint32Array(1))[0]!;
    state.attempt += 1;
    state.seed = seed.toString(36);
    state.answers = Array.from({ length: config.questionsPerAttempt }, () => null);
    state.submitted = false;
    show('quiz');
  };
  byId('quiz-start').addEventListener('click', startAttempt);
  byId('quiz-retake').addEventListener('click', startAttempt);

  quizForm.addEventListener('change', (event) => {
    const box = (event.target as Element).closest<HTMLElement>('[data-pos]');
    if (!box) return;
    const pos = Number(box.dataset.pos);
    const d = currentDraw()[pos]!;
    const q = questionsById.get(d.questionId)!;
    state.answers[pos] = readAnswer(quizForm, pos, choiceIdsOf(q));
    save(false);
  });

  quizForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const draw = currentDraw();
    const missing = draw.flatMap((d, i) =>
      isComplete(questionsById.get(d.questionId)!, state.answers[i] ?? null) ? [] : [i],
    );
    if (missing.length > 0) {
      const list = byId('quiz-errors-list');
      list.replaceChildren(
        ...missing.map((i) => {
          const item = document.createElement('li');
          const link = document.createElement('a');
          link.href = `#question-${i}`;
          link.textContent = `Question ${i + 1} needs an answer`;
          item.append(link);
          return item;
        }),
      );
      quizErrors.hidden = false;
      quizErrors.focus();
      return;
    }
    const result = grade(draw);
    const given = givenAnswers(draw);
    const interactions = draw.map((d, i) => {
      const q = questionsById.get(d.questionId)!;
      return interactionFor(config.format, q, given[i], gradeQuestion(q, given[i]));
    });
    state.submitted = true;
    lms.saveBookmark('result', encodeState({ ...state, view: 'result' }));
    lms.recordResult({
      score: result.score,
      passed: result.passed,
      failStatus: config.failStatus,
      interactions,
      at: new Date(),
    });
    show('result');
  });

  const reviewLevel = (passed: boolean): ReviewLevel => {
    if (passed) return config.review.afterPass;
    return state.attempt >= config.maxAttempts ? config.review.afterFinalFail : config.review.afterFail;
  };

  const showResult = () => {
    const draw = currentDraw();
    const result = grade(draw);
    renderResult(byId('result-body'), {
      grade: result,
      served: draw.map((d) => questionsById.get(d.questionId)!),
      answers: givenAnswers(draw),
      level: reviewLevel(result.passed),
      passingScore: config.passingScore,
      attemptsLeft: Math.max(0, config.maxAttempts - state.attempt),
      clauseTitles: bank.clauses,
    });
    byId('quiz-retake').hidden = result.passed || state.attempt >= config.maxAttempts;
  };

  // ---------------------------------------------------------------- leaving
  const finish = () => {
    if (ended) return;
    save(false);
    lms.end(isFinished(), Date.now() - startedAt);
    ended = true;
    const notice = byId('sco-ended');
    notice.hidden = false;
    notice.focus();
  };
  byId('sco-finish').addEventListener('click', finish);
  byId('save-exit').addEventListener('click', finish);

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save(true);
  });
  // No Commit here: browsers block synchronous requests while a page unloads; Terminate saves.
  window.addEventListener('pagehide', () => {
    if (ended) return;
    lms.saveBookmark(state.view, encodeState(state));
    lms.end(isFinished(), Date.now() - startedAt);
    ended = true;
  });

  show(state.view, false);
}
