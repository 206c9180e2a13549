import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entraUserSequence, type ReplayStep } from '../fixtures/scim/entra.js';
import { oktaSequence } from '../fixtures/scim/okta.js';
import { ACTOR_EMAILS, userIdOf } from '../helpers/actors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { ENTERPRISE, newToken, type ScimJson, scimClient } from './scim-support.js';

let t: TestApp;
let scim: ReturnType<typeof scimClient>;

beforeAll(async () => {
  t = await createTestApp({ label: 'scim-clients' });
  scim = scimClient(t.app, (await newToken(t.app)).token);
});
afterAll(() => t.close());

const fill = (value: unknown, vars: Record<string, string>): unknown =>
  JSON.parse(JSON.stringify(value).replace(/\{\{(\w+)\}\}/g, (_m, k: string) => vars[k] ?? `{{${k}}}`));

/** Sends each step in order; returns each response body by step name, and fails at the first unexpected status. */
async function replay(steps: ReplayStep[], vars: Record<string, string>) {
  const bodies = new Map<string, ScimJson>();
  for (const step of steps) {
    const res = await scim(
      step.method,
      fill(step.url, vars) as string,
      step.body === undefined ? undefined : fill(step.body, vars),
    );
    expect(res.statusCode, `${step.name}: ${res.body.slice(0, 300)}`).toBe(step.status);
    if (step.save) vars[step.save] = res.data.id;
    bodies.set(step.name, res.data);
  }
  return bodies;
}

describe('Microsoft Entra ID request sequence', () => {
  it('provisions, updates with string booleans and path-less replaces, groups, and deletes', async () => {
    const managerId = await userIdOf(t.app, ACTOR_EMAILS.manager);
    const vars: Record<string, string> = { managerId };
    const r = await replay(entraUserSequence, vars);
    expect(r.get('match by userName (none yet)')).toMatchObject({ totalResults: 0, Resources: [] });
    expect(r.get('get by externalId')!.Resources[0].id).toBe(vars.id);
    expect(r.get('update multi-valued: work e-mail and family name')).toMatchObject({
      userName: 'alex.wu-king@contoso.test',
      displayName: 'Alex Wu-King',
    });
    expect(r.get('update department and manager (bare id) in one path-less replace')![ENTERPRISE]).toEqual({
      department: 'Treasury',
      employeeNumber: 'E-4711',
      manager: { value: managerId },
    });
    expect(r.get('disable with a string boolean')!.active).toBe(false);
    expect(r.get('enable with a path-less replace and a string boolean')!.active).toBe(true);
    expect(r.get('match group')!.totalResults).toBe(1);
    expect(r.get('add member')!.members.map((m: { value: string }) => m.value)).toEqual([vars.id]);
    expect(r.get('remove member by value')!.members).toEqual([]);
    expect(r.get('rename group')!.displayName).toBe('Treasury team');
    const person = await t.app.db.models.User.findById(vars.id).lean();
    expect(person).toMatchObject({
      email: 'alex.wu-king@contoso.test',
      name: 'Alex Wu-King',
      department: 'Treasury',
      managerId,
      active: false,
    });
    expect(await t.app.db.models.ScimGroup.countDocuments({})).toBe(0);
  });
});

describe('Okta request sequence', () => {
  it('provisions, updates by PUT, deactivates and reactivates by PATCH, and manages a group', async () => {
    const vars: Record<string, string> = {};
    const r = await replay(oktaSequence, vars);
    expect(r.get('lookup (none yet)')).toMatchObject({ totalResults: 0, startIndex: 1 });
    expect(r.get('create user')).toMatchObject({
      userName: 'test.user@okta.local',
      displayName: 'Test User',
      active: true,
      externalId: '00ujl29u0le5T6Aj10h7',
    });
    expect(r.get('profile update by PUT')!.displayName).toBe('Another User');
    expect(r.get('deactivate')!.active).toBe(false);
    expect(r.get('reactivate')!.active).toBe(true);
    expect(r.get('lookup of an unknown user')!.totalResults).toBe(0);
    expect(r.get('get unknown id')).toMatchObject({ status: '404' });
    expect(r.get('rename group (path-less, with its id)')).toMatchObject({
      id: vars.groupId,
      displayName: 'Test SCIMv2 renamed',
    });
    expect(r.get('add member')!.members.map((m: { value: string }) => m.value)).toEqual([vars.id]);
    expect(r.get('remove member by filter')!.members).toEqual([]);
    const person = await t.app.db.models.User.findById(vars.id).lean();
    expect(person).toMatchObject({ name: 'Another User', active: true });
    // Okta's password is not stored: people sign in through single sign-on.
    expect(person!.passwordHash).toBeUndefined();
    const actions = (
      await t.app.db.models.AuditEvent.find({ targetId: vars.groupId }).sort({ seq: 1 }).lean()
    ).map((e) => e.action);
    expect(actions).toEqual([
      'scim.group.created',
      'scim.group.updated',
      'scim.group.updated',
      'scim.group.updated',
      'scim.group.deleted',
    ]);
  });
});
