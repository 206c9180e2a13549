import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptDoc } from '../../../src/db/models/quiz.js';
import type { Course, Question } from '../../../src/domain/course.js';
import type { EvidencePack } from '../../../src/services/records/evidence.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../../helpers/app.js';
import { addCourseVariant, htmlText, loadAttempt, newLearner, start } from '../quiz-support.js';

/**
 * Issue #21, item 3: while an attempt is open, nothing of its questions may leave the server except
 * the attempt page, and the option ids that page sends are opaque per attempt (never the bank's
 * option ids, which give the key away: the right option is usually "a").
 */

// Serves every question of the bank in each attempt, so every question type is checked.
const COURSE = 'open-secrecy';
const quiz = `/learn/${COURSE}/quiz`;
let t: TestApp;
let course: Course;
let hr: Session;

beforeAll(async () => {
  t = await createTestApp({ label: 'open-attempt-secrecy' });
  course = addCourseVariant(t.app, COURSE, { questionsPerAttempt: 1000, cooldownMinutes: 0 });
  // At most one recall question is drawn per attempt: unmarked here, so every question is served.
  course.questions = course.questions.map(({ recall: _recall, ...q }) => q as Question);
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

/** The answer fields of an attempt page, as a browser sees them: form key → values in page order. */
function pageChoices(html: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of html.matchAll(/<input[^>]*\sname="answers\[([^"\]]+)\]"[^>]*\svalue="([^"]*)"/g)) {
    out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

const questionOf = (id: string): Question => course.questions.find((q) => q.id === id)!;

function choicesOf(q: Question): Array<{ id: string; text: string; right: boolean }> {
  if (q.type === 'classify') return q.reasons.map((r) => ({ id: r.id, text: r.text, right: r.correct }));
  if (q.type === 'spot') return q.segments.map((s) => ({ id: s.id, text: s.text, right: s.problem }));
  return q.options.map((o) => ({ id: o.id, text: o.text, right: o.correct }));
}

/**
 * The right answers, ticked on the page: the page lists each question's choices in the order the
 * attempt stored, so the value at position j is the stored choice j.
 */
function rightForm(html: string, attempt: AttemptDoc): Record<string, string | string[]> {
  const shown = pageChoices(html);
  const form: Record<string, string | string[]> = {};
  attempt.draw.forEach((drawn, i) => {
    const key = `q${i + 1}`;
    const q = questionOf(drawn.questionId);
    const right = new Set(
      choicesOf(q)
        .filter((c) => c.right)
        .map((c) => c.id),
    );
    const values = shown.get(key)!;
    form[`answers[${key}]`] = drawn.choiceIds.flatMap((id, j) => (right.has(id) ? [values[j]!] : []));
    if (q.type === 'classify') form[`verdicts[${key}]`] = q.verdict;
  });
  return form;
}

/** Every string (keys and values) anywhere in a JSON document. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  return out;
}

describe('while an attempt is open', () => {
  let learner: Awaited<ReturnType<typeof newLearner>>;
  let attempt: AttemptDoc;

  beforeAll(async () => {
    learner = await newLearner(t.app, 'open');
    await start(learner.session, COURSE);
    const page = await learner.session.get(`${quiz}/attempts/1`);
    attempt = await loadAttempt(t.app, learner.id, COURSE, 1);
    // Saved answers, so the attempt holds answers in bank ids too.
    const saved = await learner.session.post(
      `${quiz}/attempts/1/answers`,
      rightForm(page.body, attempt),
      `${quiz}/attempts/1`,
    );
    expect(saved.statusCode).toBe(303);
    // The event as versions before this fix wrote it, with the drawn question ids in its details.
    await t.app.audit.append(
      {
        actorId: learner.id,
        action: 'attempt.started',
        targetType: 'attempt',
        targetId: attempt._id,
        subjectId: learner.id,
        details: { courseId: COURSE, n: 1, questions: attempt.draw.map((d) => d.questionId) },
      },
      t.clock.now(),
    );
  });

  it('no learner or HR page or download names its questions or options', async () => {
    const drawnIds = new Set(attempt.draw.flatMap((d) => [d.questionId, ...d.choiceIds]));
    const texts = attempt.draw.flatMap((d) => {
      const q = questionOf(d.questionId);
      return [q.prompt, ...choicesOf(q).map((c) => c.text)].filter((text) => text.length >= 12);
    });
    const uid = learner.id;
    const views: Array<[Session, string]> = [
      [learner.session, '/'],
      [learner.session, `/learn/${COURSE}`],
      [learner.session, quiz],
      [learner.session, `/learn/${COURSE}/evidence`],
      [learner.session, `/learn/${COURSE}/evidence.json`],
      [hr, `/hr/people/${uid}/courses/${COURSE}/attempts`],
      [hr, `/hr/employees/${uid}`],
      [hr, `/hr/people/${uid}/evidence/${COURSE}/1`],
      [hr, `/hr/people/${uid}/evidence/${COURSE}/1.json`],
      [hr, `/hr/employees/${uid}/history.csv`],
      [hr, `/hr/people/${uid}/privacy/export.json`],
    ];
    for (const [session, url] of views) {
      const res = await session.get(url);
      expect(res.statusCode, url).toBe(200);
      if (url.endsWith('.json')) {
        const leaked = strings(JSON.parse(res.body)).filter((s) => drawnIds.has(s));
        expect(leaked, url).toEqual([]);
      } else {
        const text = htmlText(res.body.replace(/<[^>]*>/g, ' '));
        for (const secret of texts) expect(text.includes(secret), `${url}: "${secret}"`).toBe(false);
        for (const d of attempt.draw)
          expect(text, `${url}: ${d.questionId}`).not.toMatch(
            new RegExp(`(^|[^\\w-])${d.questionId}($|[^\\w-])`),
          );
      }
    }
  });

  it('shows that the attempt is open, when it started, and nothing else of it', async () => {
    const pack = JSON.parse(
      (await learner.session.get(`/learn/${COURSE}/evidence.json`)).body,
    ) as EvidencePack;
    expect(pack.attempts).toHaveLength(1);
    expect(pack.attempts[0]).toMatchObject({ n: 1, status: 'not submitted', score: null, questions: [] });
    expect(new Date(pack.attempts[0]!.startedAt).getTime()).toBe(new Date(attempt.startedAt).getTime());
    const page = await hr.get(`/hr/people/${learner.id}/courses/${COURSE}/attempts`);
    expect(page.body).toContain('In progress');
  });
});

describe('option ids on the attempt page', () => {
  const learners: Array<{ session: Session; attempt: AttemptDoc; html: string }> = [];

  beforeAll(async () => {
    for (const label of ['ids-a', 'ids-b']) {
      const l = await newLearner(t.app, label);
      await start(l.session, COURSE);
      const html = (await l.session.get(`${quiz}/attempts/1`)).body;
      learners.push({ session: l.session, attempt: await loadAttempt(t.app, l.id, COURSE, 1), html });
    }
  });

  /** (question id, option id) → the value the page sends for it. */
  function valuesByChoice(entry: (typeof learners)[number]): Map<string, string> {
    const shown = pageChoices(entry.html);
    const out = new Map<string, string>();
    entry.attempt.draw.forEach((d, i) => {
      const values = shown.get(`q${i + 1}`)!;
      expect(values, d.questionId).toHaveLength(d.choiceIds.length);
      for (const [j, id] of d.choiceIds.entries()) out.set(`${d.questionId}/${id}`, values[j]!);
    });
    return out;
  }

  it('are neither bank option ids nor positions, and differ between two attempts of the same question', () => {
    const [a, b] = learners.map(valuesByChoice) as [Map<string, string>, Map<string, string>];
    const bankIds = new Set(course.questions.flatMap((q) => choicesOf(q).map((c) => c.id)));
    expect(a.size).toBe(course.questions.reduce((n, q) => n + choicesOf(q).length, 0));
    for (const [choice, value] of a) {
      expect(bankIds.has(value), `${choice} → ${value}`).toBe(false);
      expect(value, choice).not.toMatch(/^\d+$/);
      expect(value, choice).toMatch(/^[A-Za-z0-9_-]{8,}$/);
      expect(b.get(choice), choice).not.toBe(value);
    }
    for (const entry of learners)
      for (const values of pageChoices(entry.html).values()) expect(new Set(values).size).toBe(values.length);
  });

  it('refuses a submission in bank option ids, and grades one made from the page', async () => {
    const { session, attempt, html } = learners[0]!;
    const raw: Record<string, string | string[]> = {};
    attempt.draw.forEach((d, i) => {
      const q = questionOf(d.questionId);
      raw[`answers[q${i + 1}]`] = choicesOf(q)
        .filter((c) => c.right)
        .map((c) => c.id);
      if (q.type === 'classify') raw[`verdicts[q${i + 1}]`] = q.verdict;
    });
    const refused = await session.post(`${quiz}/attempts/1/submit`, raw, `${quiz}/attempts/1`);
    expect(refused.statusCode).toBe(400);
    expect(await t.app.db.models.AttemptResult.findById(attempt._id).lean()).toBeNull();

    const graded = await session.post(
      `${quiz}/attempts/1/submit`,
      rightForm(html, attempt),
      `${quiz}/attempts/1`,
    );
    expect(graded.statusCode).toBe(303);
    const result = await t.app.db.models.AttemptResult.findById(attempt._id).lean();
    expect(result).toMatchObject({ passed: true, score: 100 });
  });

  it('after grading, the result and the evidence show the questions and answers as before', async () => {
    const { session, attempt } = learners[0]!;
    const result = await session.get(`${quiz}/attempts/1/result`);
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('You passed');

    const pack = JSON.parse((await session.get(`/learn/${COURSE}/evidence.json`)).body) as EvidencePack;
    const graded = pack.attempts[0]!;
    expect(graded).toMatchObject({ status: 'graded', score: 100, passed: true });
    expect(graded.questions.map((q) => q.questionId)).toEqual(attempt.draw.map((d) => d.questionId));
    graded.questions.forEach((q, i) => {
      const bank = questionOf(q.questionId);
      expect(q.prompt).toBe(bank.prompt);
      expect(q.choicesShown.map((c) => c.id)).toEqual(attempt.draw[i]!.choiceIds);
      expect(q.answer?.choiceIds).toEqual(
        choicesOf(bank)
          .filter((c) => c.right)
          .map((c) => c.id)
          .filter((id) => attempt.draw[i]!.choiceIds.includes(id))
          .sort((x, y) => attempt.draw[i]!.choiceIds.indexOf(x) - attempt.draw[i]!.choiceIds.indexOf(y)),
      );
      expect(q.correct).toBe(true);
    });
    const page = htmlText((await session.get(`/learn/${COURSE}/evidence`)).body);
    for (const d of attempt.draw) expect(page).toContain(questionOf(d.questionId).prompt);
    // The questions served are in the audit log once the attempt is graded.
    const submitted = pack.auditEvents.find((e) => e.action === 'attempt.submitted');
    expect(submitted?.details).toMatchObject({ questions: attempt.draw.map((d) => d.questionId) });
  });
});

describe('an attempt started before option ids were keyed per attempt', () => {
  it('is still answered from its page, with opaque ids', async () => {
    const l = await newLearner(t.app, 'legacy');
    await start(l.session, COURSE);
    const stored = await loadAttempt(t.app, l.id, COURSE, 1);
    // What an attempt written by the previous version holds: every field but the per-attempt key.
    const legacy: Record<string, unknown> = { ...stored };
    for (const key of Object.keys(legacy))
      if (
        ![
          '_id',
          'userId',
          'courseId',
          'cycleId',
          'n',
          'contentVersion',
          'seed',
          'draw',
          'answers',
          'startedAt',
          'deadline',
          'savedAt',
          'status',
        ].includes(key)
      )
        delete legacy[key];
    await t.app.db.models.Attempt.collection.replaceOne({ _id: stored._id } as never, legacy);
    const attempt = await loadAttempt(t.app, l.id, COURSE, 1);
    expect(Object.keys(attempt).sort()).toEqual(Object.keys(legacy).sort());

    const html = (await l.session.get(`${quiz}/attempts/1`)).body;
    const bankIds = new Set(course.questions.flatMap((q) => choicesOf(q).map((c) => c.id)));
    for (const values of pageChoices(html).values())
      for (const value of values) {
        expect(bankIds.has(value)).toBe(false);
        expect(value).not.toMatch(/^\d+$/);
      }
    const res = await l.session.post(
      `${quiz}/attempts/1/submit`,
      rightForm(html, attempt),
      `${quiz}/attempts/1`,
    );
    expect(res.statusCode).toBe(303);
    expect(await t.app.db.models.AttemptResult.findById(attempt._id).lean()).toMatchObject({ passed: true });
  });
});
