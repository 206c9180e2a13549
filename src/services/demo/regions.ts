import type { Region } from '../../domain/org-profile.js';

/**
 * Where a few demo people work, by e-mail: Kestrel Works is headquartered in the UK with staff in
 * the US and the EU, so HR sees people whose jurisdiction notices are narrowed to their region.
 * Everyone else (the demo logins among them) has no region and sees every notice the profile enables.
 */
export const DEMO_PEOPLE_REGIONS: Readonly<Record<string, Region>> = {
  'grace.garcia@demo.test': 'us',
  'hiro.hughes@demo.test': 'uk',
  'jonas.jensen@demo.test': 'eu',
  'kara.khan@demo.test': 'uk',
};
