import type { OrgProfileValues } from './org-profile.js';

/**
 * The demo organisation, Kestrel Works, as profile data: `seed:demo` saves it
 * (services/demo/organisation.ts) and `content:check` proves it fills every placeholder the course
 * uses. Pure data, so the content layer can read it without importing services. No course file names it.
 */
export const DEMO_PROFILE: OrgProfileValues = {
  name: 'Kestrel Works',
  shortName: 'Kestrel',
  brandColour: '#1d4e5f',
  contacts: {
    comms: { name: 'Communications team', channel: 'comms@kestrelworks.example' },
    hr: { name: 'People team', channel: '#people-questions' },
    security: { name: 'Security team', channel: 'security@kestrelworks.example' },
    privacy: { name: 'Data protection officer', channel: 'privacy@kestrelworks.example' },
    whistleblowing: { name: 'Speak-up line', channel: 'https://speakup.kestrelworks.example' },
  },
  clientListUrl: 'https://intranet.kestrelworks.example/approved-client-references',
  // Headquartered in the UK, with staff in the US and the EU (in the order the profile form saves).
  regions: ['us', 'uk', 'eu'],
};

/**
 * A kestrel's wing over a sun disc, drawn by hand: plain shapes only. Written exactly as the SVG
 * sanitiser outputs it (no trailing newline), so the demo seed can store it as it is.
 */
export const DEMO_LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Kestrel Works">
  <circle cx="32" cy="32" r="30" fill="#f4a259"/>
  <path d="M8 38 C20 22 34 18 56 14 C46 24 40 30 36 40 C30 36 20 36 8 38 Z" fill="#ffffff"/>
  <path d="M36 40 L44 52 L30 44 Z" fill="#ffffff"/>
  <circle cx="47" cy="19" r="2" fill="#1d4e5f"/>
</svg>`;
