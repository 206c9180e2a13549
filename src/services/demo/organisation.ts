import { createHash } from 'node:crypto';
import { DEMO_LOGO_SVG, DEMO_PROFILE } from '../../domain/demo-organisation.js';
import type { ServiceContext } from '../context.js';
import type { CheckedLogo } from '../organisation/logo.js';
import { saveProfile } from '../organisation/profile.js';

/** The demo organisation's data lives in domain/demo-organisation.ts (content:check reads it too). */
export { DEMO_LOGO_SVG as KESTREL_LOGO_SVG, DEMO_PROFILE as KESTREL_PROFILE };

/**
 * Kestrel Works' logo as the logo check would store it, without running the SVG sanitiser here: it
 * loads jsdom, about a second on every demo seed (and every test app). The unit test
 * tests/unit/organisation/demo-logo.test.ts proves these are exactly checkLogo's bytes and facts.
 */
export function demoLogo(): CheckedLogo {
  const data = Buffer.from(DEMO_LOGO_SVG, 'utf8');
  const sha256 = createHash('sha256').update(data).digest('hex');
  return { info: { contentType: 'image/svg+xml', sha256, bytes: data.length }, data };
}

/** Saves Kestrel Works' profile and logo through the same command the admin's Save uses. */
export async function seedDemoProfile(ctx: ServiceContext, input: { actorId: string; now: Date }) {
  return saveProfile(ctx, {
    actorId: input.actorId,
    values: DEMO_PROFILE,
    logo: demoLogo(),
    now: input.now,
  });
}
