import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../src/content/index.js';
import { readTranslations } from '../../src/content/translation/index.js';
import { auditSentence } from '../../src/domain/audit-sentences.js';
import { translator } from '../../src/i18n/translator.js';
import { REFRESH_MS } from '../../src/services/courses/index.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { fixturesDir } from '../unit/content/temp-course.js';

/**
 * The way back for a translation after HR publishes a policy version in the app: HR enters the
 * translated text of each clause the published versions changed, and once every changed clause has
 * a translation made for the latest English text, learners in that language get the translated course
 * with those clause texts (fixture: tests/fixtures/courses/translated, Spanish complete).
 */
const ID = 'translated';
const form = `/hr/courses/${ID}/policy/translations/es`;
let t: TestApp;
let hr: Session;

beforeAll(async () => {
  const dir = path.join(fixturesDir, ID);
  const courses = new Map([[ID, await loadCourse(dir)]]);
  const translations = new Map([[ID, (await readTranslations(dir)).translations]]);
  t = await createTestApp({ label: 'policy-translations', courses, translations });
  t.clock.set('2026-03-02T09:00:00Z');
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

const idOf = async (email: string) => String((await t.app.db.models.User.findOne({ email }).lean())!._id);

/** Publishes a version through the policy service: HR edits a clause, submits, an admin approves. */
async function publish(clauseId: string, wording: { title: string; summary: string; text: string }) {
  const services = t.app.services.policy;
  const now = t.clock.now();
  const hrId = await idOf('hr@demo.test');
  const edited = await services.editClause({
    actorId: hrId,
    courseId: ID,
    clauseId,
    wording,
    kind: 'minor',
    now,
  });
  if (!edited.ok) throw new Error(JSON.stringify(edited.errors));
  const submitted = await services.submitDraft({ actorId: hrId, courseId: ID, note: 'Clearer', now });
  if (!submitted.ok) throw new Error(JSON.stringify(submitted.errors));
  const draft = await t.app.db.models.PolicyDraft.findById(ID).lean();
  await services.approveAndPublish({
    approver: { id: await idOf('admin@demo.test'), role: 'admin' },
    courseId: ID,
    revision: draft!.revision,
    dueAt: new Date(now.getTime() + 30 * 86_400_000),
    now,
  });
  t.clock.advance(REFRESH_MS);
}

let counter = 0;
async function spanishLesson() {
  counter += 1;
  const email = `policy-tr-es-${counter}@example.com`;
  await createUser(t.app, { email, locale: 'es' });
  const session = await loginAs(t.app, email);
  return (await session.get(`/learn/${ID}/lessons/basics`, { 'accept-language': 'es' })).body;
}

const NOTICE = 'La política cambió después de traducir este curso al español';
const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

describe('translating the clauses a published policy version changed', () => {
  it('after a publish the Spanish learner gets English with the notice; HR is told what to translate, with a link', async () => {
    await publish('MP-01', {
      title: 'Think twice',
      summary: 'Think before you post.',
      text: 'Before posting, think twice about who will read it.',
    });
    const lesson = await spanishLesson();
    expect(lesson).toContain('Think twice');
    expect(lesson).toContain(NOTICE);
    const settings = await hr.get(`/hr/courses/${ID}/settings`);
    expect(settings.body).toContain('Spanish: out of date: translate the clauses changed in version 2');
    expect(settings.body).toContain(`href="${form}"`);
  });

  it('the form shows the clause the version changed (the new English) and asks only for the fields it changed', async () => {
    const page = await hr.get(form);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Think twice');
    expect(page.body).toContain('Before posting, think twice about who will read it.');
    expect(page.body).toContain('name="title"');
    expect(page.body).toContain('name="text"');
    expect(page.body).not.toContain('name="summary"'); // unchanged: the Spanish file's summary is kept
    expect(page.body).not.toContain('Keep secrets'); // MP-02 was not changed
  });

  it('hostile input gets a clear 400: a clause no version changed, a language without a translation, oversized text, a field not changed', async () => {
    const page = (await hr.get(form)).body;
    const base = { clauseId: 'MP-01', sourceHash: hidden(page, 'sourceHash'), rev: '0' };
    const good = { ...base, title: 'Piensa dos veces', text: 'Antes de publicar, piensa dos veces.' };
    const notChanged = await hr.post(form, { ...good, clauseId: 'MP-02' }, form);
    expect(notChanged.statusCode).toBe(400);
    expect(notChanged.body).toContain('No published policy version changed this clause');
    const wrongLanguage = await hr.post(`/hr/courses/${ID}/policy/translations/de`, good, form);
    expect(wrongLanguage.statusCode).toBe(400);
    expect(wrongLanguage.body).toContain('has no complete translation');
    const english = await hr.post(`/hr/courses/${ID}/policy/translations/en`, good, form);
    expect(english.statusCode).toBe(400);
    const oversized = await hr.post(form, { ...good, text: 'x'.repeat(60_000) }, form);
    expect(oversized.statusCode).toBe(400);
    const missingField = await hr.post(form, { ...base, title: 'Piensa dos veces' }, form);
    expect(missingField.statusCode).toBe(400);
    expect(missingField.body).toContain('Enter the translated text');
    const extraField = await hr.post(form, { ...good, summary: 'Otra cosa.' }, form);
    expect(extraField.statusCode).toBe(400);
    const employee = await loginAs(t.app, 'employee@demo.test');
    expect((await employee.get(form)).statusCode).toBe(403);
  });

  it('HR saves the Spanish text of the changed clause: the Spanish learner gets Spanish with it (audited)', async () => {
    const page = (await hr.get(form)).body;
    const saved = await hr.post(
      form,
      {
        clauseId: 'MP-01',
        sourceHash: hidden(page, 'sourceHash'),
        rev: '0',
        title: 'Piensa dos veces',
        text: 'Antes de publicar, piensa dos veces en quién lo leerá.',
      },
      form,
    );
    expect(saved.statusCode).toBe(303);
    t.clock.advance(REFRESH_MS);
    const lesson = await spanishLesson();
    expect(lesson).toContain('Piensa dos veces');
    expect(lesson).toContain('Haz una pausa antes de publicar');
    expect(lesson).not.toContain('Think twice');
    expect(lesson).not.toContain(NOTICE);
    // The attestation binds to the served course's version: the Spanish one hashes the Spanish clause text.
    const served = t.app.catalogue.inLanguage(ID, 'es').course!;
    expect(served.policyVersion).toBe(2);
    expect(served.clauses.find((c) => c.id === 'MP-01')?.text).toBe(
      'Antes de publicar, piensa dos veces en quién lo leerá.',
    );
    expect(served.version).not.toBe(t.app.courses.get(ID)!.version);
    const settings = await hr.get(`/hr/courses/${ID}/settings`);
    expect(settings.body).toContain('Spanish: complete · up to date; learners who use Spanish get it.');
    const event = await t.app.db.models.AuditEvent.findOne({ action: 'policy.translation.saved' }).lean();
    expect(event?.details).toMatchObject({ courseId: ID, language: 'es', clauseId: 'MP-01' });
    const sentence = auditSentence(event!, {}, translator('en'));
    expect(sentence.text).toBe('Saved the Spanish translation of clause MP-01 (policy version 2).');
  });

  it('a stale form (saved again from the old page) is refused with 409', async () => {
    const page = (await hr.get(form)).body;
    const again = await hr.post(
      form,
      { clauseId: 'MP-01', sourceHash: hidden(page, 'sourceHash'), rev: '0', title: 'A', text: 'B' },
      form,
    );
    expect(again.statusCode).toBe(409);
  });

  it('publishing another version makes it out of date again until that clause is translated', async () => {
    await publish('MP-01', {
      title: 'Think twice',
      summary: 'Think before you post.',
      text: 'Before posting, always think twice about who will read it.',
    });
    const lesson = await spanishLesson();
    expect(lesson).toContain(NOTICE);
    expect(lesson).toContain('Think twice');
    const settings = await hr.get(`/hr/courses/${ID}/settings`);
    expect(settings.body).toContain('Spanish: out of date: translate the clauses changed in version 3');
  });
});
