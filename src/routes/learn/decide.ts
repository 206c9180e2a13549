import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Course } from '../../domain/course.js';
import { clauseList, LEARN_ASSETS } from './format.js';
import { findCourse, findNode } from './lookup.js';
import { CourseParams, NodeParams, NoQuery } from './schemas.js';

const VERDICTS = {
  share: { labelKey: 'learn.decide.verdict.share', tone: 'ok' },
  'dont-share': { labelKey: 'learn.decide.verdict.dontShare', tone: 'bad' },
  'ask-first': { labelKey: 'learn.decide.verdict.askFirst', tone: 'warn' },
} as const;

function renderNode(reply: FastifyReply, course: Course, nodeId: string) {
  const node = findNode(course, nodeId);
  const base = `/learn/${course.id}/decide`;
  const common = {
    ...LEARN_ASSETS,
    course: { id: course.id, title: course.title, language: course.language },
    startHref: base,
  };
  if (node.kind === 'question') {
    return reply.viewAsync('learn/decide', {
      ...common,
      isStart: node.id === course.decisionTree.start,
      question: {
        text: node.question,
        help: node.help ?? null,
        options: node.options.map((o) => ({ label: o.label, href: `${base}/${o.next}` })),
      },
      outcome: null,
    });
  }
  return reply.viewAsync('learn/decide', {
    ...common,
    isStart: false,
    question: null,
    outcome: {
      title: node.title,
      text: node.text,
      verdict: VERDICTS[node.verdict],
      clauses: clauseList(course, node.clauses),
    },
  });
}

/** The "Can I share this?" walkthrough: one question per page, options are plain links. */
const decideRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/learn/:courseId/decide',
    { config: { access: 'authenticated' }, schema: { params: CourseParams, querystring: NoQuery } },
    async (request, reply) => {
      const course = findCourse(app, request.params.courseId);
      return renderNode(reply, course, course.decisionTree.start);
    },
  );

  app.get(
    '/learn/:courseId/decide/:nodeId',
    { config: { access: 'authenticated' }, schema: { params: NodeParams, querystring: NoQuery } },
    async (request, reply) => {
      const course = findCourse(app, request.params.courseId);
      return renderNode(reply, course, request.params.nodeId);
    },
  );
};

export default decideRoutes;
