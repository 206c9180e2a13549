/**
 * The re-attestation "what changed" page in the learner's course-text language (issue #26): after a
 * published policy version, and HR's translation of the clauses it changed, a Spanish or German
 * learner re-attesting reads the wording they attested before in their language, with the
 * placeholders filled in it (a fresh organisation: no profile saved, so stand-ins), and the minor
 * change's title in it too, never the English stand-ins or the English recorded wording.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_PROFILE_ID } from '../../src/db/keys.js';
import { PLACEHOLDER_FALLBACKS } from '../../src/domain/course-resolve.js';
import type { Language } from '../../src/domain/i18n/languages.js';
import { runSweep } from '../../src/services/jobs/sweep/index.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type TestApp } from '../helpers/app.js';
import { postAttestForm } from '../helpers/attest-form.js';
import { jobContext } from '../helpers/jobs.js';
import { completeWithCertificate } from './records-helpers.js';

let t: TestApp;
const NEW_SMP04 =
  'Treat everyone you meet online with courtesy. Harassment, doxxing and pile-ons are never acceptable.';
const TRANSLATED_SMP04: Record<'es' | 'de', string> = {
  es: 'Trata con cortesía a todas las personas que encuentres en internet. El acoso nunca es aceptable.',
  de: 'Begegnen Sie allen Menschen online höflich. Belästigung ist nie akzeptabel.',
};
const TRANSLATED_SMP08: Record<'es' | 'de', string> = {
  es: 'Si dudas, pregunta antes a Comunicación.',
  de: 'Fragen Sie im Zweifel zuerst die Kommunikation.',
};

const idOf = async (email: string) => String((await t.app.db.models.User.findOne({ email }).lean())!._id);
const wording = (clauseId: string) => {
  const c = t.app.catalogue.templates.get(COURSE_ID)!.clauses.find((x) => x.id === clauseId)!;
  return { title: c.title, summary: c.summary, text: c.text };
};

async function publishVersion2(now: Date) {
  const policy = t.app.services.policy;
  const hrId = await idOf('hr@demo.test');
  const edits = [
    { clauseId: 'SMP-04', text: NEW_SMP04, kind: 're-attest' as const },
    {
      clauseId: 'SMP-08',
      text: wording('SMP-08').text.replace('hold it back', 'keep it back'),
      kind: 'minor' as const,
    },
  ];
  for (const { clauseId, text, kind } of edits) {
    const edited = await policy.editClause({
      actorId: hrId,
      courseId: COURSE_ID,
      clauseId,
      wording: { ...wording(clauseId), text },
      kind,
      now,
    });
    expect(edited).toEqual({ ok: true });
  }
  expect(
    await policy.submitDraft({
      actorId: hrId,
      courseId: COURSE_ID,
      note: 'Clause 4 names doxxing; clause 8 reworded.',
      now,
    }),
  ).toEqual({
    ok: true,
  });
  const approver = { id: await idOf('admin@demo.test'), role: 'admin' as const };
  await policy.approveAndPublish({ approver, courseId: COURSE_ID, dueAt: new Date('2026-04-15'), now });
}

/** HR translates the text of each clause version 2 changed, as the policy translation page does. */
async function translate(lang: 'es' | 'de', now: Date) {
  const policy = t.app.services.policy;
  const form = await policy.translationForm({ courseId: COURSE_ID, lang });
  const texts: Record<string, string> = {
    'SMP-04': TRANSLATED_SMP04[lang],
    'SMP-08': TRANSLATED_SMP08[lang],
  };
  for (const clause of form.clauses) {
    await policy.saveClauseTranslation({
      actorId: await idOf('hr@demo.test'),
      courseId: COURSE_ID,
      lang,
      clauseId: clause.clauseId,
      sourceHash: clause.sourceHash,
      rev: clause.rev,
      fields: { text: texts[clause.clauseId]! },
      now,
    });
  }
}

const learners: Record<'es' | 'de', string> = {
  es: 'reattest-es@example.com',
  de: 'reattest-de@example.com',
};

beforeAll(async () => {
  t = await createTestApp({ label: 'reattest-languages' });
  // The demo seed saves Kestrel Works' profile: back to a fresh organisation, whose placeholders say stand-ins.
  await t.app.db.models.OrgProfile.deleteOne({ _id: ORG_PROFILE_ID });
  t.clock.set('2026-03-02T09:00:00Z');
  await t.app.catalogue.refresh({ force: true });
  for (const [lang, email] of Object.entries(learners)) {
    const user = await createUser(t.app, { email, locale: lang as Language });
    await completeWithCertificate(t.app, { id: user._id, name: user.name, department: user.department });
  }
  t.clock.set('2026-03-10T09:00:00Z');
  await publishVersion2(t.clock.now());
  await translate('es', t.clock.now());
  await translate('de', t.clock.now());
  await t.app.catalogue.refresh({ force: true });
  await runSweep(jobContext(t), { now: new Date('2026-03-10T10:00:00Z') });
});
afterAll(async () => t.close());

const ENGLISH = [...new Set(PLACEHOLDER_FALLBACKS.values())];
const flat = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

async function whatChanged(lang: 'es' | 'de') {
  const session = await loginAs(t.app, learners[lang]);
  const res = await session.get(`/learn/${COURSE_ID}/attest`, { 'accept-language': lang });
  expect(res.statusCode).toBe(200);
  const before = /<details class="clause-before">([\s\S]*?)<\/details>/.exec(res.body)?.[1] ?? '';
  // The wording attested before says its own language (here the course's).
  expect(before).toContain(`<div class="clause-text" lang="${lang}" dir="ltr">`);
  return { page: flat(res.body), before: flat(before) };
}

describe('re-attesting in the course-text language', () => {
  it('Spanish: the wording attested before, with its stand-ins, and the minor change in Spanish', async () => {
    const { page, before } = await whatChanged('es');
    expect(page).toContain(TRANSLATED_SMP04.es);
    expect(before).toContain('Criticar cómo tu organización o un responsable trata al personal');
    expect(page).toContain('Si tienes dudas, pregunta primero');
    for (const phrase of ENGLISH) expect(page.toLowerCase()).not.toContain(phrase.toLowerCase());
    expect(before).not.toContain('Respect people');
  });

  it('German: the same in German', async () => {
    const { page, before } = await whatChanged('de');
    expect(page).toContain(TRANSLATED_SMP04.de);
    expect(before).toContain('wie Ihre Organisation oder eine Führungskraft mit Mitarbeitenden umgeht');
    expect(page).toContain('Im Zweifel zuerst fragen');
    for (const phrase of ENGLISH) expect(page.toLowerCase()).not.toContain(phrase.toLowerCase());
    expect(before).not.toContain('Respect people');
  });

  it("a refused signature's messages are in the learner's language too", async () => {
    for (const [lang, expected] of [
      ['es', 'El nombre que has escrito no coincide con el de tu perfil.'],
      ['de', 'Der eingegebene Name stimmt nicht mit dem Namen in Ihrem Profil überein.'],
    ] as const) {
      const session = await loginAs(t.app, learners[lang]);
      const res = await postAttestForm(session, `/learn/${COURSE_ID}/attest`, { typedName: 'Someone Else' });
      expect(res.statusCode).toBe(400);
      const page = flat(res.body);
      expect(page).toContain(expected);
      expect(page).not.toContain('The name you typed');
      expect(page).not.toContain('Tick the box');
    }
  });

  it('once signed, the attest page says the version attested in Spanish', async () => {
    const session = await loginAs(t.app, learners.es);
    const user = await t.app.db.models.User.findOne({ email: learners.es }).lean();
    const res = await postAttestForm(session, `/learn/${COURSE_ID}/attest`, {
      typedName: user!.name,
      agreed: 'yes',
    });
    expect(res.statusCode).toBe(303);
    const page = flat((await session.get(`/learn/${COURSE_ID}/attest`)).body);
    expect(page).toContain('Política: versión 2 confirmada de nuevo, que sustituye a la versión 1');
    expect(page).not.toContain('re-attested version');
  });
});
