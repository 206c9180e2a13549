import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import type { FieldError } from '../../../domain/assignment-rules.js';
import { utcDay } from '../../../domain/dates.js';
import { attachmentDisposition } from '../../../domain/download-name.js';
import {
  BULK_ACTIONS,
  type BulkAction,
  type BulkForm,
  bulkCourseChoices,
  bulkHeading,
  bulkOutcome,
  bulkWhat,
  listCourseOf,
  peopleCount,
} from '../../../domain/people/bulk.js';
import type { BulkJobView } from '../../../services/people/bulk.js';
import { localisedErrors } from '../../field-errors.js';
import { formBody, ObjectIdString, Text } from '../../form-schema.js';
import { requireUser } from '../../guards.js';
import { FilterFields, filtersOf } from './list-query.js';

const StartBody = formBody({
  action: Type.Union(BULK_ACTIONS.map((a) => Type.Literal(a))),
  // Ticked people (a page's worth at most); none ticked: everyone the filters match.
  ids: Type.Optional(Type.Union([ObjectIdString, Type.Array(ObjectIdString, { maxItems: 200 })])),
  ...FilterFields,
});
const ConfirmBody = formBody({
  courseId: Type.Optional(Text(80)),
  dueDate: Type.Optional(Text(20)),
  reason: Type.Optional(Text(500)),
});
const JobParams = Type.Object({ id: ObjectIdString }, { additionalProperties: false });
/** `refresh=off`: the running job's page stops refreshing itself (WCAG 2.2.1: a refresh can be turned off). */
const JobQuery = Type.Object(
  { refresh: Type.Optional(Type.Literal('off')) },
  { additionalProperties: false },
);

/** Seconds between refreshes of a running job's page (no JavaScript needed). */
const REFRESH_SECONDS = 3;

/** The preview (with its confirm form) or the progress and outcome of a bulk action. */
async function renderJob(
  reply: FastifyReply,
  data: { job: BulkJobView; errors: FieldError[]; form: BulkForm; refreshOff?: boolean },
) {
  if (data.errors.length) reply.code(400);
  const app = reply.server;
  const { job } = data;
  const action = job.action as BulkAction;
  const i18n = reply.request.i18n!;
  const titles = new Map([...app.courses.values()].map((c) => [c.id, c.title]));
  const courses = job.courses.flatMap((c) => {
    const title = titles.get(c.courseId);
    return title ? [{ ...c, id: c.courseId, title }] : [];
  });
  return reply.viewAsync('hr/people/bulk', {
    ...data,
    errors: localisedErrors(i18n, data.errors),
    action,
    what: bulkWhat(action, i18n),
    heading: bulkHeading(action, i18n),
    people: peopleCount(job.total, i18n),
    courseItems: bulkCourseChoices(
      action,
      courses,
      data.form.courseId ?? listCourseOf(job.filterQuery),
      i18n,
    ),
    outcome: bulkOutcome(action, job.changed, job.skipped, i18n),
    failure: job.error && i18n.has(job.error) ? i18n.t(job.error) : job.error,
    listUrl: `/hr/people${job.filterQuery ? `?${job.filterQuery}` : ''}`,
    today: utcDay(app.clock.now()).toISOString().slice(0, 10),
    refreshSeconds: job.status === 'running' && !job.interrupted && !data.refreshOff ? REFRESH_SECONDS : 0,
  });
}

/** Bulk actions on people from the people list: start (preview), confirm, follow. */
const bulkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/hr/people/bulk',
    { config: { access: HR_ROLES }, schema: { body: StartBody } },
    async (request, reply) => {
      const actor = requireUser(request);
      const { action, ids, ...filterFields } = request.body;
      const { jobId } = await app.services.people.previewBulk({
        actorId: actor.id,
        action: action as BulkAction,
        filters: filtersOf(filterFields),
        ids: ids === undefined ? [] : [ids].flat(),
        now: app.clock.now(),
      });
      return reply.redirect(`/hr/people/bulk/${jobId}`, 303);
    },
  );

  app.get(
    '/hr/people/bulk/:id',
    { config: { access: HR_ROLES }, schema: { params: JobParams, querystring: JobQuery } },
    async (request, reply) => {
      const job = await app.services.people.bulkJob({ jobId: request.params.id, now: app.clock.now() });
      const refreshOff = request.query.refresh === 'off';
      return renderJob(reply, { job, errors: [], form: {}, refreshOff });
    },
  );

  app.post(
    '/hr/people/bulk/:id',
    { config: { access: HR_ROLES }, schema: { params: JobParams, body: ConfirmBody } },
    async (request, reply) => {
      const actor = requireUser(request);
      const form = request.body as BulkForm;
      const result = await app.services.people.confirmBulk({
        jobId: request.params.id,
        actorId: actor.id,
        form,
        now: app.clock.now(),
        onBackgroundError: (err, jobId) => app.log.error({ err, jobId }, 'bulk action failed'),
      });
      if (!result.ok) return renderJob(reply, { job: result.job, errors: result.errors, form });
      if (result.csv !== undefined) {
        const name = attachmentDisposition(
          `people-${utcDay(app.clock.now()).toISOString().slice(0, 10)}.csv`,
        );
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', name)
          .send(result.csv);
      }
      return reply.redirect(`/hr/people/bulk/${request.params.id}`, 303);
    },
  );
};

export default bulkRoutes;
