/**
 * Review 2, item 8: the "Can I share this?" guide must reach the verdict the examples and quiz key
 * for a talk nobody has reviewed (podcast-invite) and a photo found online (classify-found-photo):
 * ask first. Walked by the option labels a learner would pick, from the start node.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../../src/content/index.js';
import type { Course, DecisionNode } from '../../../src/domain/course.js';

let course: Course;
beforeAll(async () => {
  course = await loadCourse(path.join(defaultCoursesDir, 'social-media-policy'));
});

/** Follows, at each question, the option whose label matches the next pattern; returns the end node. */
function walk(answers: RegExp[]): DecisionNode {
  let node = course.decisionTree.nodes[course.decisionTree.start]!;
  for (const answer of answers) {
    expect(node.kind, `expected a question before answering ${answer}`).toBe('question');
    if (node.kind !== 'question') break;
    const option = node.options.find((o) => answer.test(o.label));
    expect(option, `no option matching ${answer} at ${node.id}`).toBeDefined();
    node = course.decisionTree.nodes[option!.next]!;
  }
  return node;
}

// Not about rights; about work; no business information; no client; no photo taken at work; no colleagues.
const ORDINARY_WORK_POST = [/^No, it's about/, /^Yes, or people/, /^No, none/, /^No$/, /^No$/, /^No$/];

describe('decision tree walks that must end in ask-first', () => {
  it.each([
    {
      case: 'a podcast about our work that Communications has not reviewed',
      answer: /^Yes, a talk or podcast/,
    },
    { case: "someone else's photo found online", answer: /^Yes, someone else's photo/ },
  ])('$case', ({ answer }) => {
    const end = walk([...ORDINARY_WORK_POST, answer]);
    expect(end.kind).toBe('outcome');
    if (end.kind === 'outcome') {
      expect(end.verdict).toBe('ask-first');
      expect(end.clauses).toContain('SMP-05');
    }
  });

  it('an ordinary post with permission and nothing unreviewed goes on to the speaking-for-us question', () => {
    const next = walk([...ORDINARY_WORK_POST, /^No, or I have/]);
    expect(next.id).toBe('speaking-for-us');
  });
});
