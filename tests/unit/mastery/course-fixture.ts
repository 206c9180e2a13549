import { type Course, QUIZ_DEFAULTS, RECERTIFICATION_DEFAULTS } from '../../../src/domain/course.js';

export const CLAUSES = ['C1', 'C2', 'C3'];
const section = (id: string, clauses: string[]) => ({ id, heading: id, clauses, html: '' });

/**
 * A course of three clauses in two lessons: l1 teaches C1 in section a; l2 teaches C2 and C3, in one
 * section b or (`splitL2`) in b and c. `overrides` sets the rest (policy version, questions, quiz).
 */
export function threeClauseCourse(overrides: Partial<Course> = {}, { splitL2 = false } = {}): Course {
  return {
    id: 'policy',
    title: 'Policy',
    summary: '',
    estimatedMinutes: 10,
    version: 'a'.repeat(64),
    policyVersion: 1,
    policyTitle: 'Policy',
    clauses: CLAUSES.map((id) => ({ id, number: id, title: id, text: id, summary: id })),
    lessons: [
      { id: 'l1', title: 'l1', objectives: [], clauses: ['C1'], html: '', sections: [section('a', ['C1'])] },
      {
        id: 'l2',
        title: 'l2',
        objectives: [],
        clauses: ['C2', 'C3'],
        html: '',
        sections: splitL2 ? [section('b', ['C2']), section('c', ['C3'])] : [section('b', ['C2', 'C3'])],
      },
    ],
    examples: [],
    decisionTree: { start: 'q', nodes: {} },
    questions: [],
    quiz: QUIZ_DEFAULTS,
    recertification: RECERTIFICATION_DEFAULTS,
    ...overrides,
  };
}
