import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifySchemaValidationError } from 'fastify';
import { Type } from 'typebox';
import { formBody, Slug, Text } from '../form-schema.js';
import { requireCourse, requireUser } from '../guards.js';
import { attestPageView } from './attest-view.js';

const Params = Type.Object({ courseId: Slug }, { additionalProperties: false });
const AttestBody = formBody({
  typedName: Text(200),
  agreed: Type.Optional(Type.Literal('yes')),
  // The text the page showed (hidden fields): the version hash and the kept-text key. Required: a
  // form without them would sign whatever is served now, not what the learner read.
  contentVersion: Type.String({ pattern: '^[a-f0-9]{1,64}$' }),
  textKey: Type.String({ pattern: '^[A-Za-z0-9:_-]{1,200}$' }),
});
const READ_FIELDS = new Set(['contentVersion', 'textKey']);

/**
 * Is the only thing wrong with the form that it lacks the text it was served with (a page from
 * before the form carried it)? Then the page is shown again to read and sign; any other invalid
 * body gets the app's 400 page.
 */
function lacksOnlyReadText(error: { validation?: FastifySchemaValidationError[] }): boolean {
  const problems = error.validation ?? [];
  return (
    problems.length > 0 &&
    problems.every((p) => p.keyword === 'required' && READ_FIELDS.has(String(p.params.missingProperty)))
  );
}

/** Typed-name policy attestation for the learner's current cycle (GET shows every state; POST signs). */
const attestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/learn/:courseId/attest',
    { config: { access: 'authenticated' }, schema: { params: Params } },
    async (request, reply) => {
      const user = requireUser(request);
      const course = requireCourse(app, request.params.courseId);
      const page = await app.services.records.attestationPage({
        learner: user,
        course,
        now: app.clock.now(),
      });
      // The page carries the region from the learner's assignment: no read of the person.
      const shown = await app.services.learning.courseForLearner({ region: page.region, course });
      const view = attestPageView(user, shown.course, page, {
        typedName: '',
        errors: [],
        i18n: request.i18n!,
      });
      return reply.viewAsync(view.template, view.data);
    },
  );

  app.post(
    '/learn/:courseId/attest',
    {
      config: { access: 'authenticated' },
      schema: { params: Params, body: AttestBody },
      attachValidation: true,
    },
    async (request, reply) => {
      const badForm = request.validationError;
      if (badForm && !lacksOnlyReadText(badForm)) throw badForm;
      const user = requireUser(request);
      const course = requireCourse(app, request.params.courseId);
      if (badForm) {
        const page = await app.services.records.attestationPage({
          learner: user,
          course,
          now: app.clock.now(),
        });
        const shown = await app.services.learning.courseForLearner({ region: page.region, course });
        const view = attestPageView(user, shown.course, page, {
          typedName: '',
          errors: ['unread'],
          i18n: request.i18n!,
        });
        return reply.code(400).viewAsync(view.template, view.data);
      }
      const { contentVersion, textKey } = request.body;
      const result = await app.services.records.signAttestation({
        learner: user,
        course,
        typedName: request.body.typedName,
        agreed: request.body.agreed === 'yes',
        read: { contentVersion, textKey },
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
        now: app.clock.now(),
      });
      if (result.ok) return reply.redirect(`/learn/${course.id}/attest`, 303);
      // A form to correct (400); not passed yet, the account vanished or the text changed since the
      // page was read (409): the page, with the text as it is now, says what to do.
      const invalid = result.reason === 'invalid';
      reply.code(invalid ? 400 : 409);
      const shown = await app.services.learning.courseForLearner({ region: result.page.region, course });
      const view = attestPageView(user, shown.course, result.page, {
        typedName: invalid ? request.body.typedName : '',
        errors: result.reason === 'changed' ? ['changed'] : result.fields,
        i18n: request.i18n!,
      });
      return reply.viewAsync(view.template, view.data);
    },
  );
};

export default attestRoutes;
