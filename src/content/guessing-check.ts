import type { Course, Question, QuestionType } from '../domain/course.js';
import {
  type DrawnQuestion,
  drawQuestions,
  type GradedQuestion,
  gradeQuestion,
  type Rng,
  seededRng,
  shownChoiceTexts,
  tallyAttempt,
} from '../domain/quiz/index.js';
import {
  type AnswerRule,
  answerBy,
  BASE_STRATEGIES,
  candidateRules,
  describeRule,
  type Strategy,
} from './guess-strategies.js';

/**
 * The guessing check: learners who know nothing of the policy answer by habit (always the first
 * choice, always the longest, tick everything…) through the real draw, presentation order and
 * grading code. A quiz whose record means something gives none of them a real chance to pass.
 */

/** Any strategy above either limit fails the check (issue #19). */
export const GUESSING_LIMITS = { maxMeanScore: 40, maxPassWithinAttempts: 0.01 } as const;

export interface GuessingOptions {
  /** Simulated attempts per strategy; 20,000 puts the pass estimate within about ±0.1 point. */
  attempts?: number;
  /** Attempts the test-wise guesser spends finding the strongest rule per type. */
  pilotAttempts?: number;
  seed?: string;
}

export interface StrategyResult {
  name: string;
  /** Mean score in percent. */
  meanScore: number;
  passPerAttempt: number;
  /** 1 − (1 − p)^maxAttempts: a guesser's attempts are independent draws. */
  passWithinAttempts: number;
}

export interface GuessingReport {
  attempts: number;
  seed: string;
  questionsPerAttempt: number;
  passingScore: number;
  maxAttempts: number;
  results: StrategyResult[];
  /** The rule the test-wise guesser uses on each type the bank has. */
  testWise: Partial<Record<QuestionType, string>>;
}

export const DEFAULT_GUESSING_OPTIONS = { attempts: 20_000, pilotAttempts: 4_000, seed: 'guessing-check' };

export function simulateGuessers(course: Course, options: GuessingOptions = {}): GuessingReport {
  const { attempts, pilotAttempts, seed } = { ...DEFAULT_GUESSING_OPTIONS, ...options };
  // Every strategy answers the same drawn attempts (common random numbers): the comparison between
  // strategies is fairer, and the draw, the costly part, runs once instead of once per strategy.
  const draws = drawAttempts(course, attempts, `${seed}/draws`);
  const testWise = strongestRules(draws.slice(0, pilotAttempts), `${seed}/pilot`);
  const strategies = [
    ...BASE_STRATEGIES,
    { name: 'test-wise', strategy: { ...BASE_STRATEGIES[0]!.strategy, ...testWise } },
  ];
  const results = strategies.map(({ name, strategy }) =>
    runStrategy(course, draws, name, strategy, `${seed}/${name}`),
  );
  const testWiseNames: Partial<Record<QuestionType, string>> = {};
  for (const [type, rule] of Object.entries(testWise)) {
    testWiseNames[type as QuestionType] = describeRule(rule);
  }
  return {
    attempts,
    seed,
    questionsPerAttempt: course.quiz.questionsPerAttempt,
    passingScore: course.quiz.passingScore,
    maxAttempts: course.quiz.maxAttempts,
    results,
    testWise: testWiseNames,
  };
}

/**
 * One question of a drawn attempt. `order` numbers its (question, choice order) pair: a rule that
 * uses no randomness answers the same pair the same way, so its points are looked up, not regraded.
 */
interface ServedQuestion {
  question: Question;
  drawn: DrawnQuestion;
  texts: string[];
  order: number;
}

function drawAttempts(course: Course, attempts: number, seed: string): ServedQuestion[][] {
  const byId = new Map(course.questions.map((q) => [q.id, q]));
  const orders = new Map<string, number>();
  const rng = seededRng(seed);
  const out: ServedQuestion[][] = [];
  for (let i = 0; i < attempts; i++) {
    const served: ServedQuestion[] = [];
    for (const drawn of drawQuestions(course.questions, course.quiz.questionsPerAttempt, rng)) {
      const question = byId.get(drawn.questionId)!;
      const key = `${drawn.questionId}|${drawn.choiceIds.join('|')}`;
      let order = orders.get(key);
      if (order === undefined) {
        order = orders.size;
        orders.set(key, order);
      }
      served.push({ question, drawn, texts: shownChoiceTexts(question, drawn), order });
    }
    out.push(served);
  }
  return out;
}

/** A rule that uses no randomness answers a question shown in the same order the same way. */
function isDeterministic(rule: AnswerRule): boolean {
  switch (rule.kind) {
    case 'pick':
      return rule.pick !== 'random';
    case 'tick':
      return rule.which !== 'random';
    case 'classify':
      return rule.verdict !== 'random' && rule.reason !== 'random';
    default:
      return true;
  }
}

/** Points per served order for one fixed rule; NaN until first graded. */
type Memo = number[];

/** Points `rule` earns on one served question, through the real grading (memoised when fixed). */
function pointsFor(rule: AnswerRule, served: ServedQuestion, rng: Rng, memo: Memo | undefined): number {
  const { question, drawn, texts, order } = served;
  if (!memo) return gradeQuestion(question, answerBy(rule, question, drawn, rng, texts));
  let points = memo[order];
  if (points === undefined) {
    points = gradeQuestion(question, answerBy(rule, question, drawn, rng, texts));
    memo[order] = points;
  }
  return points;
}

/** Score and pass need no per-clause figures; leaving them out keeps 200,000 tallies cheap. */
const NO_CLAUSES: readonly string[] = [];

function runStrategy(
  course: Course,
  draws: readonly ServedQuestion[][],
  name: string,
  strategy: Strategy,
  seed: string,
): StrategyResult {
  const { passingScore, maxAttempts } = course.quiz;
  const rng = seededRng(seed);
  const memos = new Map<QuestionType, Memo | undefined>();
  for (const [type, rule] of Object.entries(strategy)) {
    memos.set(type as QuestionType, isDeterministic(rule) ? [] : undefined);
  }
  let scoreSum = 0;
  let passes = 0;
  for (const served of draws) {
    const graded: GradedQuestion[] = [];
    for (const s of served) {
      const type = s.question.type;
      graded.push({
        questionId: s.question.id,
        points: pointsFor(strategy[type], s, rng, memos.get(type)),
        clauses: NO_CLAUSES,
      });
    }
    // The attempt's score and pass/fail come from the same tally the app grades attempts with.
    const grade = tallyAttempt(graded, passingScore);
    scoreSum += grade.score;
    if (grade.passed) passes++;
  }
  const passPerAttempt = passes / draws.length;
  return {
    name,
    meanScore: scoreSum / draws.length,
    passPerAttempt,
    passWithinAttempts: 1 - (1 - passPerAttempt) ** maxAttempts,
  };
}

/**
 * The test-wise guesser has seen many quizzes like this one: on each question type it uses the
 * rule that scores best on this bank, measured on drawn attempts (every candidate rule answers the
 * same drawn questions, so the comparison is fair).
 */
function strongestRules(
  draws: readonly ServedQuestion[][],
  seed: string,
): Partial<Record<QuestionType, AnswerRule>> {
  const candidates = new Map<QuestionType, { rule: AnswerRule; points: number; memo: Memo | undefined }[]>();
  const rng = seededRng(seed);
  for (const served of draws.flat()) {
    const type = served.question.type;
    let rules = candidates.get(type);
    if (!rules) {
      rules = candidateRules(type).map((rule) => ({
        rule,
        points: 0,
        memo: isDeterministic(rule) ? [] : undefined,
      }));
      candidates.set(type, rules);
    }
    for (const candidate of rules) candidate.points += pointsFor(candidate.rule, served, rng, candidate.memo);
  }
  const best: Partial<Record<QuestionType, AnswerRule>> = {};
  for (const [type, rules] of candidates) {
    best[type] = rules.reduce((a, b) => (b.points > a.points ? b : a)).rule;
  }
  return best;
}

/** The strategies that break a limit, each with the figure that breaks it. */
export function guessingFailures(report: GuessingReport): string[] {
  const failures: string[] = [];
  for (const r of report.results) {
    const reasons: string[] = [];
    if (r.meanScore > GUESSING_LIMITS.maxMeanScore) {
      reasons.push(
        `scores ${percent(r.meanScore / 100)} on average (limit ${GUESSING_LIMITS.maxMeanScore} %)`,
      );
    }
    if (r.passWithinAttempts > GUESSING_LIMITS.maxPassWithinAttempts) {
      reasons.push(
        `passes within ${report.maxAttempts} attempts with probability ${percent(r.passWithinAttempts)} ` +
          `(limit ${percent(GUESSING_LIMITS.maxPassWithinAttempts)})`,
      );
    }
    if (reasons.length > 0) failures.push(`blind guesser "${r.name}" ${reasons.join(' and ')}`);
  }
  return failures;
}

function percent(share: number): string {
  const value = share * 100;
  return `${value.toFixed(value < 1 && value > 0 ? 2 : 1)} %`;
}

/** The table `content:check` prints: one row per strategy. */
export function formatGuessingTable(report: GuessingReport): string[] {
  const header = [
    'strategy',
    'mean score',
    'P(pass per attempt)',
    `P(pass within ${report.maxAttempts} attempts)`,
  ];
  const rows = report.results.map((r) => [
    r.name,
    percent(r.meanScore / 100),
    percent(r.passPerAttempt),
    percent(r.passWithinAttempts),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   ');
  const mix = Object.entries(report.testWise)
    .map(([type, rule]) => `${type}: ${rule}`)
    .join('; ');
  return [
    `Blind guessers: ${report.attempts.toLocaleString('en')} simulated attempts each (seed "${report.seed}"), ` +
      `${report.questionsPerAttempt} questions, pass mark ${report.passingScore} %, ${report.maxAttempts} attempts allowed`,
    line(header),
    ...rows.map(line),
    `test-wise mix: ${mix}`,
  ];
}
