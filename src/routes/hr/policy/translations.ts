import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { formBody, Slug, Text } from '../../form-schema.js';
import { requireUser } from '../../guards.js';
import { ClauseId } from './schemas.js';

/** A translated language (never the source): anything else is a 400 from the schema. */
const TranslatedLanguage = Type.Union([Type.Literal('es'), Type.Literal('de'), Type.Literal('ar')]);
const LangParams = Type.Object({ courseId: Slug, lang: TranslatedLanguage }, { additionalProperties: false });
const FormQuery = Type.Object(
  { done: Type.Optional(Type.Union([Type.Literal('saved'), Type.Literal('complete')])) },
  { additionalProperties: false },
);
/** Only the fields the clause's change touched are sent; the service refuses missing or other ones. */
const SaveBody = formBody({
  clauseId: ClauseId,
  sourceHash: Type.String({ pattern: '^[a-f0-9]{64}$' }),
  rev: Type.String({ pattern: '^[0-9]{1,9}$' }),
  title: Type.Optional(Text(2000)),
  summary: Type.Optional(Text(4000)),
  text: Type.Optional(Text(50_000)),
});

/**
 * HR's translations of the clauses a published policy version changed, per translated language: the
 * way a course translation becomes current again after a publish (services/policy/translation.ts).
 */
export const policyTranslationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const access = { access: HR_ROLES };
  const path = '/hr/courses/:courseId/policy/translations/:lang';
  app.get(
    path,
    { config: access, schema: { params: LangParams, querystring: FormQuery } },
    async (request, reply) => {
      const { courseId, lang } = request.params;
      const page = await app.services.policy.translationForm({ courseId, lang });
      return reply.viewAsync('hr/policy/translations', {
        ...page,
        languageName: new Intl.DisplayNames([request.i18n!.lang], { type: 'language' }).of(lang) ?? lang,
        done: request.query.done ?? null,
        complete: request.query.done === 'complete',
      });
    },
  );
  app.post(
    path,
    { config: access, schema: { params: LangParams, body: SaveBody } },
    async (request, reply) => {
      const { courseId, lang } = request.params;
      const { clauseId, sourceHash, rev, title, summary, text } = request.body;
      const { complete } = await app.services.policy.saveClauseTranslation({
        actorId: requireUser(request).id,
        courseId,
        lang,
        clauseId,
        sourceHash,
        rev: Number(rev),
        fields: { title, summary, text },
        now: app.clock.now(),
      });
      const done = complete ? 'complete' : 'saved';
      return reply.redirect(`/hr/courses/${courseId}/policy/translations/${lang}?done=${done}`, 303);
    },
  );
};
