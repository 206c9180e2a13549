import { DEMO_LOGO_SVG, DEMO_PROFILE } from '../../domain/demo-organisation.js';
import type { ServiceContext } from '../context.js';
import { checkLogo } from '../organisation/logo.js';
import { saveProfile } from '../organisation/profile.js';

/** The demo organisation's data lives in domain/demo-organisation.ts (content:check reads it too). */
export { DEMO_LOGO_SVG as KESTREL_LOGO_SVG, DEMO_PROFILE as KESTREL_PROFILE };

/** Saves Kestrel Works' profile and logo through the same command the admin's Save uses. */
export async function seedDemoProfile(ctx: ServiceContext, input: { actorId: string; now: Date }) {
  const logo = checkLogo(Buffer.from(DEMO_LOGO_SVG, 'utf8'));
  if (!logo.ok) throw new Error(`demo logo refused: ${logo.message}`);
  return saveProfile(ctx, {
    actorId: input.actorId,
    values: DEMO_PROFILE,
    logo: logo.logo,
    now: input.now,
  });
}
