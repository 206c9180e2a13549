import { describe, expect, it } from 'vitest';
import { DEMO_LOGO_SVG } from '../../../src/domain/demo-organisation.js';
import { demoLogo } from '../../../src/services/demo/organisation.js';
import { checkLogo } from '../../../src/services/organisation/logo.js';

// The demo seed stores Kestrel Works' logo without running the SVG sanitiser (which loads jsdom, about a
// second on every demo seed and every test app): these must be exactly the bytes an admin's upload of
// the same SVG would give, and the sanitiser must accept it.
describe('the demo logo', () => {
  it('is what the logo check makes of the demo SVG', () => {
    const checked = checkLogo(Buffer.from(DEMO_LOGO_SVG, 'utf8'));
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const seeded = demoLogo();
    expect(seeded.data.toString('utf8')).toBe(checked.logo.data.toString('utf8'));
    expect(seeded.info).toEqual(checked.logo.info);
  });
});
