import { enabledJurisdictions } from '../../domain/jurisdictions.js';
import type { ScormBranding } from '../../scorm/index.js';
import type { ServiceContext } from '../context.js';
import { currentProfile, logoFile } from '../organisation/profile.js';

/**
 * Whose a SCORM package is: the profile's name and, when one is saved, its logo's bytes to package.
 * Read per export (the logo is one small document), so a new profile gives a new package at once.
 */
export async function scormBranding(
  ctx: ServiceContext,
  _input: Record<string, never> = {},
): Promise<ScormBranding> {
  const profile = await currentProfile(ctx);
  // A package has no person: it carries the notices and questions of every region the profile enables.
  const jurisdictions = enabledJurisdictions(profile.regions);
  if (!profile.logo) return { organisation: profile.name, logo: null, jurisdictions };
  const logo = await logoFile(ctx, {});
  return {
    organisation: profile.name,
    logo: { contentType: logo.contentType, sha256: logo.sha256, data: logo.data },
    jurisdictions,
  };
}
