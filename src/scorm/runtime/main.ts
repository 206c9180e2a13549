import type { PostVerdict, ReviewLevel } from '../../domain/course.js';
import { choiceIdsOf, type Draw, drawQuestions } from '../../domain/quiz/draw.js';
import { type AttemptGrade, type GivenAnswer, tallyAttempt } from '../../domain/quiz/grading.js';
import { seededRng } from '../../domain/quiz/random.js';
import { pointsFor } from './answer-key.js';
import { byId } from './dom.js';
import { interactionFor } from './interactions.js';
import { connectLms, type LmsBoot, type LmsHealth, type LmsSession } from './lms.js';
import { say, useMessages } from './messages.js';
import type { ScoBank, ScoConfig, ScoQuestion } from './model.js';
import { decodeData } from './obfuscate.js';
import { isComplete, readAnswer, renderQuestion } from './quiz-ui.js';
import { renderResult } from './result-ui.js';
import { decodeState, encodeState, initialState, type ScoState } from './state.js';
import { wireDecisionTree } from './tree-ui.js';

/** One run of the SCO: its configuration, the decoded bank, the LMS session and the learner's state. */
interface Sco {
  config: ScoConfig;
  bank: ScoBank;
  questionsById: Map<string, ScoQuestion>;
  lms: LmsSession;
  state: ScoState;
  /** The LMS already holds a pass: no new attempt, and no result is sent that could lower it. */
  passedInLms: boolean;
  startedAt: number;
  /** Set once the session is terminated: nothing is saved after. */
  ended: boolean;
  /** cmi5 launchMode (normal for SCORM): review starts no attempt. */
  mode: NonNullable<LmsBoot['mode']>;
  /** cmi5 returnURL: where the window goes once the session is terminated and everything is saved. */
  returnUrl: string | undefined;
}

/** Shows a view (a lesson, the quiz, the result), optionally moving focus to its heading. */
type Show = (view: string, focus?: boolean) => void;

/** Entry point of the SCORM SCO: called once by the package's script with its build-time configuration. */
export function start(config: ScoConfig): void {
  runSco(config, connectLms(window, config.format === 'scorm12' ? 'scorm12' : 'scorm2004'));
}

/**
 * Runs the course over `lms` once its start has answered: at once for SCORM's JavaScript API, after
 * the launch sequence's requests for cmi5 (runtime/cmi5-main.ts).
 */
export function runSco(config: ScoConfig, lms: LmsSession): void {
  useMessages(config.messages);
  lms.onHealthChange = showLmsHealth;
  const boot = lms.start();
  if (!(boot instanceof Promise)) {
    begin(config, lms, boot);
    return;
  }
  // Until the LMS has answered, nothing the learner does could be recorded: the course waits, inert.
  const layout = document.querySelector<HTMLElement>('.sco-layout')!;
  layout.inert = true;
  layout.setAttribute('aria-busy', 'true');
  void boot.then((b) => {
    layout.inert = false;
    layout.removeAttribute('aria-busy');
    begin(config, lms, b);
  });
}

function begin(config: ScoConfig, lms: LmsSession, boot: LmsBoot): void {
  // Tests and LMS wrappers can tell the course is live.
  document.documentElement.dataset.scoReady = 'true';
  showLmsHealth(lms.health);
  const sco = openSco(config, lms, boot);
  const show = wireViews(sco);
  wireExamples(sco);
  wireDecisionTree(byId('decision-tree'));
  wireQuiz(sco, show);
  wireLeaving(sco);
  show(sco.state.view, false);
}

// ---------------------------------------------------------------- session and quiz model

/** Decodes the bank and resumes the learner's saved state (or starts afresh). */
function openSco(given: ScoConfig, lms: LmsSession, boot: LmsBoot): Sco {
  // A cmi5 LMS's masteryScore overrides the course's pass mark (cmi5 10.2.4), so Passed meets it.
  const config = boot.passingScore === undefined ? given : { ...given, passingScore: boot.passingScore };
  const bank = decodeData<ScoBank>(config.bank, config.key);
  const questionsById = new Map<string, ScoQuestion>(bank.questions.map((q) => [q.id, q]));
  const lessonCount = config.lessonIds.length;
  const startedAt = Date.now();
  const state: ScoState =
    decodeState(boot.suspendData, lessonCount, config.exampleCount) ??
    initialState(lessonCount, config.exampleCount);
  return {
    config,
    bank,
    questionsById,
    lms,
    state,
    passedInLms: boot.passed,
    startedAt,
    ended: false,
    mode: boot.mode ?? 'normal',
    returnUrl: boot.returnUrl,
  };
}

/** Tells the learner plainly when the LMS is not recording or not saving their progress. */
function showLmsHealth(health: LmsHealth): void {
  byId('lms-notice').hidden = health !== 'not-recording';
  byId('lms-saving').hidden = health !== 'not-saving';
}

/**
 * Stores the bookmark. `commit` marks a meaningful point (a lesson reached for the first time,
 * leaving) that is committed at once; other changes are committed at most every 30 seconds.
 */
function save(sco: Sco, commit: boolean): void {
  if (sco.ended) return;
  sco.lms.saveBookmark(sco.state.view, encodeState(sco.state));
  if (commit) sco.lms.commit();
  else sco.lms.commitSoon();
}

function currentDraw(sco: Sco): Draw {
  return sco.state.attempt === 0
    ? []
    : drawQuestions(sco.bank.questions, sco.config.questionsPerAttempt, seededRng(sco.state.seed));
}

function question(sco: Sco, questionId: string): ScoQuestion {
  return sco.questionsById.get(questionId)!;
}

/** The saved answers of the draw, as the grading rules take them (choice ids in author order). */
function givenAnswers(sco: Sco, draw: Draw): Array<GivenAnswer | undefined> {
  return draw.map((d, i) => {
    const answer = sco.state.answers[i];
    const q = question(sco, d.questionId);
    if (!answer) return undefined;
    const authorOrder = choiceIdsOf(q);
    return {
      choiceIds: answer.choices.map((c) => authorOrder[c]!).filter(Boolean),
      ...(answer.verdict ? { verdict: answer.verdict } : {}),
    };
  });
}

/** Points per served question, looked up in the package's hashed answer key (see answer-key.ts). */
function questionPoints(sco: Sco, draw: Draw): number[] {
  const given = givenAnswers(sco, draw);
  return draw.map((d, i) => {
    const key = sco.bank.answerKeys[d.questionId];
    return key ? pointsFor(key, given[i]) : 0;
  });
}

function grade(sco: Sco, draw: Draw): AttemptGrade {
  const points = questionPoints(sco, draw);
  const graded = draw.map((d, i) => ({
    questionId: d.questionId,
    points: points[i]!,
    clauses: question(sco, d.questionId).clauses,
  }));
  return tallyAttempt(graded, sco.config.passingScore);
}

/**
 * Whether a new attempt may start. This is the rule, not the retake button's visibility: never after
 * a pass (a later fail would overwrite it in the LMS), never past the attempt limit, never while an
 * attempt is open, never once the session has ended.
 */
function mayStartAttempt(sco: Sco): boolean {
  const { state, config } = sco;
  if (sco.ended || sco.passedInLms || sco.mode === 'review' || state.attempt >= config.maxAttempts)
    return false;
  if (state.attempt === 0) return true;
  return state.submitted && !grade(sco, currentDraw(sco)).passed;
}

function isFinished(sco: Sco): boolean {
  if (sco.passedInLms) return true;
  if (!sco.state.submitted) return false;
  return grade(sco, currentDraw(sco)).passed || sco.state.attempt >= sco.config.maxAttempts;
}

// ---------------------------------------------------------------- views

/** The views and the contents list; returns `show`, which every part uses to move between views. */
function wireViews(sco: Sco): Show {
  const { state } = sco;
  const views = Array.from(document.querySelectorAll<HTMLElement>('[data-view]'));
  const navLinks = Array.from(document.querySelectorAll<HTMLAnchorElement>('a[data-goto]'));

  const show: Show = (view, focus = true) => {
    // After Save and exit / Finish the course is closed: the LMS would never hear of anything more.
    if (sco.ended) return;
    if (view === 'quiz' && state.submitted) view = 'result';
    if (view === 'result' && !state.submitted) view = 'quiz';
    if (!views.some((v) => v.dataset.view === view)) view = 'l0';
    state.view = view;
    const lesson = /^l(\d+)$/.exec(view);
    const lessonReached = lesson !== null && !state.lessonsSeen[Number(lesson[1])];
    for (const section of views) section.hidden = section.dataset.view !== view;
    markNavigation(state, navLinks, view);
    if (view === 'quiz') renderQuiz(sco);
    if (view === 'result') showResult(sco);
    // On a phone the contents list sits above the page: keep it folded away until asked for.
    if (window.matchMedia('(max-width: 760px)').matches)
      byId<HTMLDetailsElement>('sco-contents').open = false;
    if (focus) document.querySelector<HTMLElement>(`[data-view="${view}"] h1`)?.focus();
    save(sco, lessonReached);
  };

  document.addEventListener('click', (event) => {
    const target = (event.target as Element).closest<HTMLElement>('[data-goto]');
    if (!target) return;
    event.preventDefault();
    show(target.dataset.goto!);
  });
  return show;
}

/** Marks the current view in the contents list, and the lessons seen so far. */
function markNavigation(state: ScoState, navLinks: HTMLAnchorElement[], view: string): void {
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
}

// ---------------------------------------------------------------- example posts

function revealExample(article: HTMLElement, chosen: PostVerdict): void {
  const actual = article.dataset.verdict as PostVerdict;
  for (const button of Array.from(article.querySelectorAll<HTMLButtonElement>('[data-verdict]'))) {
    button.setAttribute('aria-pressed', String(button.dataset.verdict === chosen));
  }
  const outcome = article.querySelector<HTMLElement>('.example-outcome')!;
  outcome.textContent = say(chosen === actual ? 'example.right' : 'example.notQuite');
  outcome.className = `example-outcome notice ${chosen === actual ? 'notice-ok' : 'notice-bad'}`;
  article.querySelector<HTMLElement>('.example-reveal')!.hidden = false;
}

/** The example posts: saved verdicts shown again, a new verdict revealed and saved. */
function wireExamples(sco: Sco): void {
  for (const article of Array.from(document.querySelectorAll<HTMLElement>('[data-example]'))) {
    const index = Number(article.dataset.example);
    const saved = sco.state.examples[index];
    if (saved) revealExample(article, saved);
    article.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('[data-verdict]');
      if (!button) return;
      const chosen = button.dataset.verdict as PostVerdict;
      sco.state.examples[index] = chosen;
      revealExample(article, chosen);
      save(sco, false);
    });
  }
}

// ---------------------------------------------------------------- quiz

/** The quiz view: the intro before a first attempt, else the drawn questions with saved answers. */
function renderQuiz(sco: Sco): void {
  const { state } = sco;
  byId('quiz-intro').hidden = state.attempt > 0;
  byId('quiz-start').hidden = !mayStartAttempt(sco);
  byId('quiz-passed').hidden = !sco.passedInLms;
  byId<HTMLFormElement>('quiz-form').hidden = state.attempt === 0;
  byId('quiz-errors').hidden = true;
  const draw = currentDraw(sco);
  const given = givenAnswers(sco, draw);
  byId('quiz-questions').replaceChildren(
    ...draw.map((d, i) =>
      renderQuestion(
        question(sco, d.questionId),
        d,
        i,
        draw.length,
        given[i]?.choiceIds ?? [],
        given[i]?.verdict,
      ),
    ),
  );
}

/** Starting, answering and submitting attempts. */
function wireQuiz(sco: Sco, show: Show): void {
  const { state, config } = sco;
  const quizForm = byId<HTMLFormElement>('quiz-form');
  const startAttempt = () => {
    if (!mayStartAttempt(sco)) return;
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
    const d = currentDraw(sco)[pos]!;
    state.answers[pos] = readAnswer(quizForm, pos, choiceIdsOf(question(sco, d.questionId)));
    save(sco, false);
  });

  quizForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const draw = currentDraw(sco);
    const missing = draw.flatMap((d, i) =>
      isComplete(question(sco, d.questionId), state.answers[i] ?? null) ? [] : [i],
    );
    if (missing.length > 0) showMissing(missing);
    else submitAttempt(sco, draw, show);
  });
}

/** The error summary: a link to each question still without an answer. */
function showMissing(missing: number[]): void {
  byId('quiz-errors-list').replaceChildren(
    ...missing.map((i) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `#question-${i}`;
      link.textContent = say('quiz.needsAnswer', { pos: i + 1 });
      item.append(link);
      return item;
    }),
  );
  const quizErrors = byId('quiz-errors');
  quizErrors.hidden = false;
  quizErrors.focus();
}

/** Grades the attempt, reports score, status and interactions to the LMS, and shows the result. */
function submitAttempt(sco: Sco, draw: Draw, show: Show): void {
  const { state, config, lms } = sco;
  // One result per attempt, none after the session ended, none that could lower a pass the LMS holds.
  if (sco.ended || sco.passedInLms || state.submitted || state.attempt === 0) return;
  const result = grade(sco, draw);
  const given = givenAnswers(sco, draw);
  const interactions = draw.map((d, i) =>
    interactionFor(
      config.format === 'scorm12' ? 'scorm12' : 'scorm2004',
      question(sco, d.questionId),
      given[i],
      result.questions[i]!.points,
    ),
  );
  state.submitted = true;
  lms.saveBookmark('result', encodeState({ ...state, view: 'result' }));
  lms.recordResult({
    score: result.score,
    passed: result.passed,
    failStatus: config.failStatus,
    interactions,
    at: new Date(),
    finalAttempt: state.attempt >= config.maxAttempts,
  });
  show('result');
}

function reviewLevel(sco: Sco, passed: boolean): ReviewLevel {
  const { config } = sco;
  if (passed) return config.review.afterPass;
  return sco.state.attempt >= config.maxAttempts ? config.review.afterFinalFail : config.review.afterFail;
}

/** The result view: score, the review the course allows at this point, and a retake if one is left. */
function showResult(sco: Sco): void {
  const { state, config } = sco;
  const draw = currentDraw(sco);
  const result = grade(sco, draw);
  renderResult(byId('result-body'), {
    grade: result,
    served: draw.map((d) => question(sco, d.questionId)),
    answers: givenAnswers(sco, draw),
    level: reviewLevel(sco, result.passed),
    passingScore: config.passingScore,
    attemptsLeft: Math.max(0, config.maxAttempts - state.attempt),
    clauseTitles: sco.bank.clauses,
  });
  byId('quiz-retake').hidden = !mayStartAttempt(sco);
}

// ---------------------------------------------------------------- leaving

/**
 * After Terminate / LMSFinish nothing the learner does can reach the LMS, so the course is put out
 * of reach (hidden and inert) and only the "You can close this window" notice is left.
 */
function closeCourse(): void {
  const course = document.querySelector<HTMLElement>('.sco-layout')!;
  course.inert = true;
  course.hidden = true;
  for (const control of Array.from(document.querySelectorAll<HTMLElement>('#save-exit, .skip-link'))) {
    control.hidden = true;
  }
  const notice = byId('sco-ended');
  notice.hidden = false;
  notice.focus();
}

/** Never claims a save the LMS did not confirm. */
function warnNotSaved(sco: Sco): void {
  const notice = byId('sco-ended');
  notice.className = 'notice notice-warn';
  notice.textContent = say(sco.lms.connected ? 'saving.unconfirmed' : 'saving.notRecording');
}

/**
 * cmi5: the course closes at once, the learner is asked to keep the window open while the last
 * statements are on their way (retried until the LRS takes them), then told it is saved and sent to
 * the LMS's returnURL.
 */
function whenSaved(sco: Sco, saved: Promise<boolean>): void {
  const notice = byId('sco-ended');
  const done = notice.textContent ?? '';
  if (sco.lms.connected) {
    notice.className = 'notice notice-warn';
    notice.textContent = say('saving.pending');
  }
  closeCourse();
  void saved.then((ok) => {
    if (!ok) return warnNotSaved(sco);
    notice.className = 'notice notice-ok';
    notice.textContent = done;
    if (sco.returnUrl) window.location.assign(sco.returnUrl);
  });
}

/** Finishing, saving and exiting, and leaving the page: the session ends once. */
function wireLeaving(sco: Sco): void {
  const finish = () => {
    if (sco.ended) return;
    save(sco, false);
    const saved = sco.lms.end(isFinished(sco), Date.now() - sco.startedAt);
    sco.ended = true;
    if (saved instanceof Promise) {
      whenSaved(sco, saved);
      return;
    }
    if (!saved) warnNotSaved(sco);
    closeCourse();
  };
  byId('sco-finish').addEventListener('click', finish);
  byId('save-exit').addEventListener('click', finish);

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save(sco, true);
  });
  // No Commit here: browsers block synchronous requests while a page unloads; Terminate saves.
  window.addEventListener('pagehide', () => {
    if (sco.ended) return;
    sco.lms.saveBookmark(sco.state.view, encodeState(sco.state));
    void sco.lms.end(isFinished(sco), Date.now() - sco.startedAt);
    sco.ended = true;
  });
}
