import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { assignmentKey, cycleKey, policyVersionKey } from '../../src/db/keys.js';
import type { AuditEventDoc } from '../../src/db/models/audit-event.js';
import type { OutboxDoc } from '../../src/db/models/hr.js';
import type { PolicyHeadDoc, PolicyVersionDoc } from '../../src/db/models/policy.js';
import type { AssignmentDoc, CycleDoc } from '../../src/db/models/training.js';
import { usersRepository } from '../../src/db/repositories/users.js';
import { buildAssignment, buildCycle, buildPerson, COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { commandsDuring, isWrite, monitoredUri } from '../helpers/db-commands.js';

/**
 * Policy versions through the real app: HR edits clause wording, an admin who did not edit approves,
 * and the approval publishes version n + 1 as an overlay on the course files with the renewal its
 * strongest change asks for (minor: none; re-attest: an attest-only cycle; retrain: a full one),
 * opened later by the sweep with its exactly-once reminders.
 */

const base = `/hr/courses/${COURSE_ID}/policy`;
const decode = (html: string) =>
  html
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The wording the edit form is pre-filled with (as written: placeholders unfilled). */
async function formWording(s: Session, clauseId: string) {
  const res = await s.get(`${base}/edit?clauseId=${clauseId}`);
  expect(res.statusCode).toBe(200);
  const value = (name: string) =>
    decode(new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(res.body)?.[1] ?? '');
  const text = decode(/<textarea[^>]*name="text"[^>]*>([\s\S]*?)<\/textarea>/.exec(res.body)?.[1] ?? '');
  return { title: value('title'), summary: value('summary'), text: text.replace(/^\n/, '') };
}

async function edit(s: Session, clauseId: string, change: Record<string, string>) {
  const current = await formWording(s, clauseId);
  return s.post(`${base}/edit`, { clauseId, kind: 'minor', ...current, ...change }, base);
}

const submit = (s: Session, note: string) => s.post(`${base}/submit`, { note }, base);
/** The approve form as `s` opened it: the draft revision shown (none when the page has no approve form). */
const revisionOn = async (s: Session) =>
  /name="revision" value="(\d+)"/.exec((await s.get(base)).body)?.[1] ?? '0';
const approve = async (s: Session, dueDate = '') =>
  s.post(`${base}/approve`, { dueDate, revision: await revisionOn(s) }, base);

async function userId(email: string) {
  return (await usersRepository(setup.t.app.db.models).findByEmail(email))!._id;
}

interface Setup {
  t: TestApp;
  /** Two people who completed the course in February (assignment and cycle 1 completed). */
  completed: string[];
  hr: Session;
  admin: Session;
  admin2: Session;
  admin3: Session;
}
const setup = {} as Setup;

async function start(label: string): Promise<Setup> {
  // Command monitoring on, so the publish can be shown to send a fixed handful of commands.
  const t = await createTestApp({ label, mongoUri: monitoredUri(inject('mongoUri')) });
  t.clock.set('2026-03-02T09:00:00Z');
  for (const n of [2, 3])
    await createUser(t.app, { email: `admin${n}@demo.test`, name: `Admin ${n}`, role: 'admin' });
  const completed: string[] = [];
  for (let i = 0; i < 2; i++) {
    const person = buildPerson();
    const done = {
      completedAt: new Date('2026-02-10T10:00:00Z'),
      expiresAt: new Date('2027-02-10T00:00:00Z'),
    };
    await t.app.db.models.User.create(person);
    const a = buildAssignment(person, { state: 'completed', ...done });
    await t.app.db.models.Assignment.create(a);
    await t.app.db.models.Cycle.create(buildCycle(a, 1, { ...done, attestedAt: done.completedAt }));
    completed.push(person._id);
  }
  return {
    t,
    completed,
    hr: await loginAs(t.app, 'hr@demo.test'),
    admin: await loginAs(t.app, 'admin@demo.test'),
    admin2: await loginAs(t.app, 'admin2@demo.test'),
    admin3: await loginAs(t.app, 'admin3@demo.test'),
  };
}

const version = (n: number) =>
  setup.t.app.db.models.PolicyVersion.findById(policyVersionKey(COURSE_ID, n)).lean<PolicyVersionDoc>();
const assignment = (id: string) =>
  setup.t.app.db.models.Assignment.findById(assignmentKey(id, COURSE_ID)).lean<AssignmentDoc>();
const sweep = (at: string) => setup.t.app.services.jobs.runSweep({ now: new Date(at) });
const mailFor = (id: string) =>
  setup.t.app.db.models.Outbox.find({ _id: new RegExp(`^${assignmentKey(id, COURSE_ID)}:`) }).lean<
    OutboxDoc[]
  >();

describe('policy versions: draft, two-person approval, publish with each kind of change', () => {
  beforeAll(async () => {
    Object.assign(setup, await start('policy-versions'));
  });
  afterAll(async () => setup.t.close());

  it('the policy page lists the clauses with Edit links and version 1 = the course files; the course page links to it', async () => {
    const page = await setup.hr.get(base);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Version 1');
    expect(page.body).toContain(`${base}/edit?clauseId=SMP-02`);
    expect(page.body).toContain(`${base}/versions/1`);
    const settings = await setup.hr.get(`/hr/courses/${COURSE_ID}/settings`);
    expect(settings.body).toContain(`href="${base}"`);
    const employee = await loginAs(setup.t.app, 'employee@demo.test');
    expect((await employee.get(base)).statusCode).toBe(403);
  });

  it('refuses bad edits with field messages: unknown placeholder, oversized, identical, operator keys', async () => {
    const unknown = await edit(setup.hr, 'SMP-02', { text: 'Ask {{org.ceo}} before posting.' });
    expect(unknown.statusCode).toBe(400);
    expect(decode(unknown.body)).toContain('{{org.ceo}}');
    expect(unknown.body).toContain('id="text-error"');
    const oversized = await edit(setup.hr, 'SMP-02', { summary: 'x'.repeat(301) });
    expect(oversized.statusCode).toBe(400);
    expect(oversized.body).toContain('keep it to 300');
    const same = await edit(setup.hr, 'SMP-02', {});
    expect(same.statusCode).toBe(400);
    expect(same.body).toContain('same as the published wording');
    const injected = await setup.hr.post(
      `${base}/edit`,
      { 'clauseId[$gt]': '', title: 'a', summary: 'b', text: 'c', kind: 'minor' },
      base,
    );
    expect(injected.statusCode).toBe(400);
    const badKind = await edit(setup.hr, 'SMP-02', { text: 'New words.', kind: 'urgent' });
    expect(badKind.statusCode).toBe(400);
    const noToken = await edit(setup.hr, 'SMP-02', { text: 'New words.', _csrf: null } as never);
    expect(noToken.statusCode).toBe(403);
    expect(await setup.t.app.db.models.PolicyDraft.findById(COURSE_ID).lean()).toBeNull();
  });

  it('the edit form shows placeholders as written, and the preview shows the draft as learners would see it without changing what they see', async () => {
    // SMP-01 names the organisation: the form shows the placeholder, not the profile's value.
    const scope = await formWording(setup.hr, 'SMP-01');
    expect(`${scope.summary}${scope.text}`).toContain('{{org.name}}');
    const wording = await formWording(setup.hr, 'SMP-02');
    const servedBefore = setup.t.app.courses.get(COURSE_ID)!;
    const res = await edit(setup.hr, 'SMP-02', {
      text: `${wording.text}\n\nPreviewed words for {{org.name}}.`,
      kind: 'minor',
    });
    expect(res.statusCode).toBe(303);
    const preview = await setup.hr.get(`${base}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Preview — not published');
    expect(preview.body).toContain('Previewed words for');
    expect(preview.body).not.toContain('{{org.name}}');
    expect(preview.body).not.toContain('action="/learn/');
    const served = setup.t.app.courses.get(COURSE_ID)!;
    expect(served.version).toBe(servedBefore.version);
    expect(served.clauses.find((c) => c.id === 'SMP-02')!.text).not.toContain('Previewed words');
    const draft = await setup.hr.get(base);
    expect(draft.body).toContain('Draft');
    expect(draft.body).toContain('SMP-02');
  });

  it('HR can revert a clause and discard the draft', async () => {
    await edit(setup.hr, 'SMP-03', { text: 'Short-lived wording.' });
    const reverted = await setup.hr.post(`${base}/revert`, { clauseId: 'SMP-03' }, base);
    expect(reverted.statusCode).toBe(303);
    const draft = await setup.t.app.db.models.PolicyDraft.findById(COURSE_ID).lean<{ edits: object }>();
    expect(Object.keys(draft!.edits)).toEqual(['SMP-02']);
    const discarded = await setup.hr.post(`${base}/discard`, {}, base);
    expect(discarded.statusCode).toBe(303);
    expect(await setup.t.app.db.models.PolicyDraft.findById(COURSE_ID).lean()).toBeNull();
  });

  it('two people: HR cannot approve (403), an admin who edited is refused, another admin publishes a minor version: no campaign, no new cycles', async () => {
    await sweep('2026-03-02T09:30:00Z');
    const cyclesBefore = await setup.t.app.db.models.Cycle.countDocuments();
    await edit(setup.hr, 'SMP-02', { text: 'Editorial rewording of the media clause.', kind: 'minor' });
    await edit(setup.admin, 'SMP-04', { title: 'Advocacy, retitled', kind: 'minor' });
    expect((await submit(setup.hr, 'Editorial tidy-up')).statusCode).toBe(303);
    expect((await approve(setup.hr)).statusCode).toBe(403);
    const own = await approve(setup.admin);
    expect(own.statusCode).toBe(403);
    expect(own.body).toContain('another admin');
    const page = await setup.admin2.get(base);
    expect(page.body).toContain(`action="${base}/approve"`);
    expect(page.body).toContain('type="date"');
    expect(page.body).toContain('value="2026-03-16"');
    const ok = await approve(setup.admin2);
    expect(ok.statusCode).toBe(303);
    const v2 = await version(2);
    expect(v2).toMatchObject({ n: 2, note: 'Editorial tidy-up', campaignId: null });
    expect(v2!.editedBy.sort()).toEqual(
      [await userId('admin@demo.test'), await userId('hr@demo.test')].sort(),
    );
    expect(v2!.approvedBy).toBe(await userId('admin2@demo.test'));
    expect(v2!.changes.map((c) => [c.clauseId, c.kind])).toEqual([
      ['SMP-02', 'minor'],
      ['SMP-04', 'minor'],
    ]);
    const head = await setup.t.app.db.models.PolicyHead.findById(COURSE_ID).lean<PolicyHeadDoc>();
    expect(head?.n).toBe(2);
    expect(await setup.t.app.db.models.PolicyDraft.findById(COURSE_ID).lean()).toBeNull();
    // Served at once: the catalogue was refreshed, and the hash is the one stored on the version.
    const served = setup.t.app.courses.get(COURSE_ID)!;
    expect(served.policyVersion).toBe(2);
    expect(served.version).toBe(v2!.contentHash);
    expect(served.clauses.find((c) => c.id === 'SMP-02')!.text).toBe(
      'Editorial rewording of the media clause.',
    );
    await sweep('2026-03-02T10:30:00Z');
    expect(await setup.t.app.db.models.Cycle.countDocuments()).toBe(cyclesBefore);
  });

  it('the audit log has policy.version.published with the changes, note, editors, approver and hash', async () => {
    const event = await setup.t.app.db.models.AuditEvent.findOne({ action: 'policy.version.published' })
      .sort({ seq: -1 })
      .lean<AuditEventDoc>();
    const v2 = await version(2);
    expect(event).toMatchObject({ actorId: v2!.approvedBy, targetType: 'course', targetId: COURSE_ID });
    expect(event!.details).toMatchObject({
      n: 2,
      note: 'Editorial tidy-up',
      contentHash: v2!.contentHash,
      changes: [
        { clauseId: 'SMP-02', kind: 'minor' },
        { clauseId: 'SMP-04', kind: 'minor' },
      ],
      approvedBy: v2!.approvedBy,
    });
  });

  it('the diff page shows old and new text side by side with word-level marks, kinds, note, people and hash', async () => {
    const res = await setup.hr.get(`${base}/versions/2`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<ins>');
    expect(res.body).toContain('<del>');
    expect(res.body).toMatch(/<ins>[^<]*Editorial[^<]*<\/ins>/);
    expect(res.body).toContain('Advocacy, retitled');
    expect(res.body).toContain('Editorial tidy-up');
    expect(res.body).toContain('Admin 2');
    expect(res.body).toContain((await version(2))!.contentHash);
    expect(res.body).toMatch(/Minor/);
    const first = await setup.hr.get(`${base}/versions/1`);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('course files');
    expect((await setup.hr.get(`${base}/versions/9`)).statusCode).toBe(404);
  });

  it('re-attest: the sweep gives everyone who completed an attest-only cycle and one reminder; a second sweep sends none', async () => {
    const ava = setup.completed[0]!;
    const beforeCycle = (await assignment(ava))!.cycleNo;
    await edit(setup.hr, 'SMP-05', { text: 'A substantive change to the clause.', kind: 're-attest' });
    await edit(setup.hr, 'SMP-06', { text: 'An editorial change.', kind: 'minor' });
    await submit(setup.hr, 'Clause 5 tightened');
    setup.t.clock.set('2026-03-03T09:00:00Z');
    let status = 0;
    const _csrf = await setup.admin2.csrf(base);
    const revision = await revisionOn(setup.admin2);
    const commands = await commandsDuring(setup.t.app, async () => {
      status = (await setup.admin2.post(`${base}/approve`, { dueDate: '2026-03-20', revision, _csrf }))
        .statusCode;
    });
    expect(status).toBe(303);
    const v3 = await version(3);
    expect(v3!.campaignId).toMatch(/^[a-f0-9]{16}$/);
    // O(1): a handful of commands whoever is in the organisation, none reading people or assignments.
    expect(commands.filter((c) => /users|assignments|cycles/.test(c))).toEqual([]);
    // 8, and the change feed's entry telling the other instances (number, claim, slot: 3 writes).
    expect(commands.filter((c) => isWrite(c as never)).length).toBeLessThanOrEqual(11);
    const mailBefore = (await mailFor(ava)).length;
    await sweep('2026-03-03T10:00:00Z');
    const a = (await assignment(ava))!;
    expect(a.cycleNo).toBe(beforeCycle + 1);
    const cycle = await setup.t.app.db.models.Cycle.findById(
      cycleKey(ava, COURSE_ID, a.cycleNo),
    ).lean<CycleDoc>();
    expect(cycle).toMatchObject({ requirement: 'attest-only' });
    expect(cycle!.dueAt?.toISOString()).toBe('2026-03-20T00:00:00.000Z');
    const mail = await mailFor(ava);
    expect(mail.length).toBe(mailBefore + 1);
    await sweep('2026-03-03T10:15:00Z');
    expect((await mailFor(ava)).length).toBe(mailBefore + 1);
    expect((await assignment(ava))!.cycleNo).toBe(beforeCycle + 1);
  });

  it('two concurrent approvals publish exactly one version; the other gets a clear 409', async () => {
    await edit(setup.hr, 'SMP-07', { text: 'Raced wording.', kind: 'minor' });
    await submit(setup.hr, 'Race');
    const [a, b] = await Promise.all([approve(setup.admin2), approve(setup.admin3)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([303, 409]);
    const refused = a.statusCode === 409 ? a : b;
    expect(refused.body).toMatch(/already/);
    expect(await setup.t.app.db.models.PolicyVersion.countDocuments({ courseId: COURSE_ID })).toBe(3);
    expect((await version(4))?.note).toBe('Race');
  });
});

describe('policy versions: retrain', () => {
  beforeAll(async () => {
    Object.assign(setup, await start('policy-retrain'));
  });
  afterAll(async () => setup.t.close());

  it('a retrain change asks for a full cycle, opened by the sweep', async () => {
    const ben = setup.completed[1]!;
    await sweep('2026-03-02T09:30:00Z');
    const beforeCycle = (await assignment(ben))!.cycleNo;
    await edit(setup.hr, 'SMP-05', { text: 'A new rule everyone must learn.', kind: 'retrain' });
    await edit(setup.hr, 'SMP-06', { text: 'A re-attest change too.', kind: 're-attest' });
    await submit(setup.hr, 'New rule');
    setup.t.clock.set('2026-03-03T09:00:00Z');
    expect((await approve(setup.admin)).statusCode).toBe(303);
    const settings = await setup.t.app.db.models.CourseSettings.findById(COURSE_ID).lean<{
      campaign: { id: string; requirement: string };
    }>();
    expect(settings!.campaign).toMatchObject({ requirement: 'full', id: (await version(2))!.campaignId });
    await sweep('2026-03-03T10:00:00Z');
    const a = (await assignment(ben))!;
    expect(a.cycleNo).toBe(beforeCycle + 1);
    const cycle = await setup.t.app.db.models.Cycle.findById(
      cycleKey(ben, COURSE_ID, a.cycleNo),
    ).lean<CycleDoc>();
    expect(cycle).toMatchObject({ requirement: 'full' });
    expect(cycle!.dueAt?.toISOString()).toBe('2026-03-17T00:00:00.000Z');
  });
});

describe('policy versions: a retrain published while a re-attest cycle is open', () => {
  beforeAll(async () => {
    Object.assign(setup, await start('policy-retrain-open'));
  });
  afterAll(async () => setup.t.close());

  it('opens a full cycle over the attest-only one, keeping its history, and reminds for the new one', async () => {
    const ann = setup.completed[0]!;
    await edit(setup.hr, 'SMP-06', { text: 'Clause six, reworded to re-attest.', kind: 're-attest' });
    await submit(setup.hr, 'Re-attest');
    setup.t.clock.set('2026-03-03T09:00:00Z');
    expect((await approve(setup.admin)).statusCode).toBe(303);
    await sweep('2026-03-03T10:00:00Z');
    expect(await assignment(ann)).toMatchObject({
      cycleNo: 2,
      requirement: 'attest-only',
      completedAt: null,
    });

    await edit(setup.hr, 'SMP-05', { text: 'A new rule everyone must learn.', kind: 'retrain' });
    await submit(setup.hr, 'New rule');
    setup.t.clock.set('2026-03-05T09:00:00Z');
    expect((await approve(setup.admin)).statusCode).toBe(303);
    await sweep('2026-03-05T10:00:00Z');
    await sweep('2026-03-05T10:15:00Z');

    expect(await assignment(ann)).toMatchObject({ cycleNo: 3, requirement: 'full', completedAt: null });
    const cycle = (n: number) =>
      setup.t.app.db.models.Cycle.findById(cycleKey(ann, COURSE_ID, n)).lean<CycleDoc>();
    expect(await cycle(2)).toMatchObject({ requirement: 'attest-only' });
    expect(await cycle(3)).toMatchObject({ requirement: 'full' });
    // The reminders follow the new cycle, each once.
    const mail = await mailFor(ann);
    expect(mail.filter((m) => m._id.includes(':3:'))).toHaveLength(1);
    expect(mail.filter((m) => m._id.includes(':3:'))[0]!.text).not.toContain(
      'only need to read what changed',
    );
    // A third sweep opens nothing more.
    await sweep('2026-03-05T10:30:00Z');
    expect((await assignment(ann))!.cycleNo).toBe(3);
  });
});
