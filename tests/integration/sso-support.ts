/** What the single sign-on tests share: an app on the real clock with an SSO key, and HR's group mapping. */
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';

/**
 * The app with demo data, its clock at the real time (the providers stamp tokens and node-saml checks
 * assertion times with it), and the admin who saves the connections; `logErrors` prints the app's error log.
 */
export async function createSsoTestApp(
  label: string,
  { encryptionKey, logErrors = true }: { encryptionKey: string; logErrors?: boolean },
): Promise<{ t: TestApp; adminId: string }> {
  const t = await createTestApp({
    label,
    clock: new TestClock(new Date()),
    config: { SSO_ENCRYPTION_KEY: encryptionKey },
    ...(logErrors ? { onErrorLog: (line: string) => console.error(line.slice(0, 1500)) } : {}),
  });
  const adminId = (await t.app.db.models.User.findOne({ email: 'admin@demo.test' }).lean())!._id;
  return { t, adminId };
}

/** The mapping both protocols' tests use: LMS-HR and LMS-Admins give roles, Dept-Finance a department. */
export function saveGroupMapping(
  t: TestApp,
  actorId: string,
  claims: { groupsClaim: string; departmentClaim: string; employeeIdClaim: string },
) {
  return t.app.services.identity.saveSsoMapping({
    actorId,
    form: {
      ...claims,
      managerClaim: '',
      roleGroups: 'LMS-HR = hr\nLMS-Admins = admin',
      departmentGroups: 'Dept-Finance = Finance',
    },
    now: t.clock.now(),
  });
}
