import type { ChoiceOption, Question, QuestionSource } from '../domain/course.js';
import type { ContentIssue, DataPath } from './issues.js';
import { checkClauseRefs, countWhere, idOf, type KnownClauses, reportDuplicateIds } from './rules.js';
import { checkSchema } from './schema-issues.js';
import { type QuestionFile, QuestionSchemas, QuestionTypeSchema, QuizFileSchema } from './schemas.js';
import type { YamlSource } from './yaml-source.js';

/**
 * quiz.yaml → Question[]. Each question is validated on its own (type first, then the schema for
 * that type), so one broken question doesn't hide problems in the others.
 */
export function parseQuestions(source: YamlSource, known: KnownClauses, issues: ContentIssue[]): Question[] {
  if (!checkSchema(QuizFileSchema, source.data, source, [], issues)) return [];
  const raw = (source.data as { questions: unknown[] }).questions;

  const questions: Question[] = [];
  raw.forEach((item, index) => {
    const path = ['questions', index];
    if (!checkSchema(QuestionTypeSchema, item, source, path, issues)) return;
    const type = (item as { type: keyof QuestionFile }).type;
    if (!checkSchema(QuestionSchemas[type], item, source, path, issues)) return;
    const question = toQuestion(item as QuestionFile[typeof type], sourceOf(source, path));
    checkQuestionRules(question, source, path, issues);
    checkClauseRefs(question.clauses, known, source, [...path, 'clauses'], issues);
    questions.push(question);
  });

  reportDuplicateIds(raw.map(idOf), 'question', source, (i) => ['questions', i, 'id'], issues);
  return questions;
}

/** Where a question starts: the file's name in the course folder and the line of its entry. */
function sourceOf(source: YamlSource, path: DataPath): QuestionSource {
  return { file: source.file.split('/').pop() ?? source.file, line: source.lineOf(path) };
}

/** Spot questions: authors write only segments; the post text is derived from them. */
function toQuestion(item: QuestionFile[keyof QuestionFile], source: QuestionSource): Question {
  if (item.type !== 'spot') return { ...item, source };
  return { ...item, source, post: { ...item.post, text: item.segments.map((s) => s.text).join(' ') } };
}

function checkQuestionRules(
  question: Question,
  source: YamlSource,
  path: DataPath,
  issues: ContentIssue[],
): void {
  const exactlyOneCorrect = (options: ChoiceOption[], field: string, noun: string) => {
    reportDuplicateIds(
      options.map((o) => o.id),
      noun,
      source,
      (i) => [...path, field, i, 'id'],
      issues,
    );
    const correct = countWhere(options, (o) => o.correct);
    if (correct !== 1) {
      issues.push(
        source.issue([...path, field], `must have exactly one ${noun} with correct: true (found ${correct})`),
      );
    }
  };

  switch (question.type) {
    case 'single':
    case 'truefalse':
      exactlyOneCorrect(question.options, 'options', 'option');
      break;
    case 'classify':
      exactlyOneCorrect(question.reasons, 'reasons', 'reason');
      break;
    case 'multiple': {
      reportDuplicateIds(
        question.options.map((o) => o.id),
        'option',
        source,
        (i) => [...path, 'options', i, 'id'],
        issues,
      );
      if (!question.options.some((o) => o.correct)) {
        issues.push(source.issue([...path, 'options'], 'must have at least one option with correct: true'));
      }
      // Scoring is right ticks minus wrong ticks: with no wrong option, ticking everything wins.
      if (question.options.every((o) => o.correct)) {
        issues.push(
          source.issue(
            [...path, 'options'],
            'must have at least one option with correct: false (ticking every option would earn full points)',
          ),
        );
      }
      break;
    }
    case 'spot': {
      reportDuplicateIds(
        question.segments.map((s) => s.id),
        'segment',
        source,
        (i) => [...path, 'segments', i, 'id'],
        issues,
      );
      const problems = countWhere(question.segments, (s) => s.problem);
      if (problems !== 1) {
        issues.push(
          source.issue(
            [...path, 'segments'],
            `must have exactly one segment with problem: true (found ${problems})`,
          ),
        );
      }
      break;
    }
  }
}
