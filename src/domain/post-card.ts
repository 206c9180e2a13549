import type { Persona, Platform, SocialPost } from './course.js';

/**
 * A piece of card text: data shown as it is (`text`: a name, the post's own place), or words of the
 * interface as a catalogue key with values, which the partial translates into the page's (or the
 * SCORM package's) language. The domain names the words; it never holds a translation.
 */
export type CardText = { text: string } | { key: string; values: Record<string, CardValue> };
/** A value put into a message: data as written, or itself words of the interface (a platform's name). */
export type CardValue = string | CardText;

/**
 * Card text in words, given the page's translate function: what the partial's `say` does, for code
 * that words a card outside the partial (page titles, tests).
 */
export function wordCard(
  m: CardValue | null,
  t: (key: string, values: Record<string, string>) => string,
): string {
  if (!m) return '';
  if (typeof m === 'string') return m;
  if (!('key' in m)) return m.text;
  return t(m.key, Object.fromEntries(Object.entries(m.values).map(([k, v]) => [k, wordCard(v, t)])));
}

const say = (text: string): CardText => ({ text });
const message = (key: string, values: Record<string, CardValue> = {}): CardText => ({ key, values });

/**
 * What each platform is called on every page and in the SCORM package: one definition. Brand names
 * are the same in every language; a platform named by a description (internal chat) is a
 * learn.post.platform.* key the partial words in the page's language.
 */
export const PLATFORM_NAMES: Record<Platform, CardText> = {
  linkedin: say('LinkedIn'),
  x: say('X'),
  facebook: say('Facebook'),
  instagram: say('Instagram'),
  tiktok: say('TikTok'),
  youtube: say('YouTube'),
  'internal-chat': message('learn.post.platform.internalChat'),
  reddit: say('Reddit'),
  glassdoor: say('Glassdoor'),
  whatsapp: say('WhatsApp'),
  slack: say('Slack'),
  teams: say('Microsoft Teams'),
  github: say('GitHub'),
  threads: say('Threads'),
  bluesky: say('Bluesky'),
};

/**
 * Where a post appears when the author did not say: cards of these platforms always show a place.
 * Channel, subreddit and repository names are data (kept as written); the Teams channel and the
 * WhatsApp group are named in the reader's language, as the apps do.
 */
const DEFAULT_PLACES: Partial<Record<Platform, CardText>> = {
  'internal-chat': say('#general'),
  slack: say('#general'),
  teams: message('learn.post.place.teamsGeneral'),
  reddit: say('r/AskUK'),
  whatsapp: message('learn.post.place.groupChat'),
  github: say('team/handbook'),
};

/** Platforms whose card is all picture: it shows this when the post describes no image. */
const MEDIA_PLACEHOLDERS: Partial<Record<Platform, CardText>> = {
  tiktok: message('learn.post.media.shortVideo'),
  youtube: message('learn.post.video'),
  instagram: message('learn.post.photo'),
};

/** Platforms drawn as a chat message in a channel rather than as a feed post. */
const CHAT_PLATFORMS: ReadonlySet<Platform> = new Set(['internal-chat', 'slack']);

/** The number of avatar colours in public/css/posts.css (`avatar-tone-0` … `-5`). */
const AVATAR_TONES = 6;

/**
 * The organisation as a card draws it where the real platform shows the company: a Teams or Slack
 * workspace, Glassdoor's company line. The partial's `org` input; without one it names no company.
 */
export interface PostCardOrg {
  name: string;
  /** A small logo beside the name (decorative, alt=""), or null. */
  logoUrl: string | null;
}

/**
 * The web app's card organisation from the saved profile (view locals' `org`): the logo at the
 * same URL as the header's, so the browser fetches it once.
 */
export function postCardOrg(
  profile: { name: string; logo: { sha256: string } | null } | null | undefined,
): PostCardOrg | null {
  if (!profile) return null;
  return {
    name: profile.name,
    logoUrl: profile.logo ? `/organisation/logo?v=${profile.logo.sha256.slice(0, 12)}` : null,
  };
}

/** Everything views/partials/post-card.eta prints, so the partial holds no logic. */
export interface PostCardView {
  platform: Platform;
  /** "LinkedIn" as written; "Internal chat" in the page's language (learn.post.platform.*). */
  platformName: CardText;
  /** Accessible name of the card: "<Platform> post by <name>" (learn.post.label) unless given. */
  label: CardText;
  /**
   * The subreddit, channel, group or repository shown; null where the platform shows none. A Glassdoor
   * card without one shows the organisation's name (the partial's `org`).
   */
  where: CardText | null;
  /** Drawn as a chat message (internal chat, Slack). */
  chatLike: boolean;
  persona: Persona;
  /** Up to two capital letters for the avatar ("?" for a nameless persona). */
  initials: string;
  /** A username made from the name: lowercase letters and digits, at most 15. */
  handle: string;
  /** Avatar colour class, the same for the same name on every card. */
  tone: string;
  text: string;
  /** The attached image's description, or null. */
  image: string | null;
  /** The description a video or photo card shows: the image's, else a placeholder (null elsewhere). */
  media: CardText | null;
  /** The audience line of a LinkedIn-style card, "2h · Public" (Facebook posts go to friends). */
  audience: CardText;
}

/** "LinkedIn post by Priya Shah" (learn.post.label): a post's name for screen readers. */
function postLabel(post: SocialPost): CardText {
  return message('learn.post.label', {
    platform: PLATFORM_NAMES[post.platform] ?? say(post.platform),
    name: post.persona.name,
  });
}

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/);
  const first = (words[0] || '?')[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

function handleOf(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 15) || 'user'
  );
}

/** A small string hash, so a persona keeps its colour wherever it appears. */
function toneOf(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) % 997;
  return `avatar-tone-${hash % AVATAR_TONES}`;
}

/**
 * A post as its card shows it. Built field by field from the post (never spread), so whatever else
 * the object carries (an example's verdict, a question's key) cannot reach the page.
 * `label` (already in the page's language) replaces the default accessible name when not empty.
 */
export function postCard(post: SocialPost, label?: string): PostCardView {
  const { name, role } = post.persona;
  return {
    platform: post.platform,
    platformName: PLATFORM_NAMES[post.platform] ?? say(post.platform),
    label: label ? say(label) : postLabel(post),
    where: post.where ? say(post.where) : (DEFAULT_PLACES[post.platform] ?? null),
    chatLike: CHAT_PLATFORMS.has(post.platform),
    persona: { name, role },
    initials: initialsOf(name),
    handle: handleOf(name),
    tone: toneOf(name),
    text: post.text,
    image: post.image || null,
    media: post.image ? say(post.image) : (MEDIA_PLACEHOLDERS[post.platform] ?? null),
    audience: message(
      post.platform === 'facebook' ? 'learn.post.audience.friends' : 'learn.post.audience.public',
    ),
  };
}
