import { describe, expect, it } from 'vitest';
import { PLATFORMS, type SocialPost } from '../../../src/domain/course.js';
import { type CardText, PLATFORM_NAMES, postCard, wordCard } from '../../../src/domain/post-card.js';
import { translator } from '../../../src/i18n/translator.js';

// What a post card shows, worked out once in code so the partial only prints it: data as written,
// interface words as learn.post.* keys the partial words in the page's language (here English).
const en = translator('en');
const words = (m: CardText | null): string => wordCard(m, (key, values) => en.t(key, values));

const post = (over: Partial<SocialPost> = {}): SocialPost => ({
  platform: 'linkedin',
  persona: { name: 'Priya Shah', role: 'Account manager' },
  text: 'Great kick-off today.',
  ...over,
});

describe('postCard', () => {
  it('takes the initials from the first and last name, or the one name, or "?"', () => {
    expect(postCard(post()).initials).toBe('PS');
    expect(postCard(post({ persona: { name: '  ana maria de la cruz ', role: 'r' } })).initials).toBe('AC');
    expect(postCard(post({ persona: { name: 'Cher', role: 'r' } })).initials).toBe('C');
    expect(postCard(post({ persona: { name: '', role: 'r' } })).initials).toBe('?');
  });

  it('makes a handle of lowercase letters and digits, at most 15, "user" when none is left', () => {
    expect(postCard(post()).handle).toBe('priyashah');
    expect(postCard(post({ persona: { name: 'Zoë O’Brien-Smythe the 3rd', role: 'r' } })).handle).toBe(
      'zoeobriensmythe',
    );
    expect(postCard(post({ persona: { name: '李雷', role: 'r' } })).handle).toBe('user');
  });

  it('gives the same person the same avatar tone, one of six', () => {
    const tone = postCard(post()).tone;
    expect(tone).toMatch(/^avatar-tone-[0-5]$/);
    expect(postCard(post({ platform: 'x', text: 'other' })).tone).toBe(tone);
    const tones = new Set(
      ['Ann Lee', 'Bo Chan', 'Cy Dunn', 'Di Egan', 'Ed Fox', 'Flo Gray', 'Gus Hart'].map(
        (name) => postCard(post({ persona: { name, role: 'r' } })).tone,
      ),
    );
    expect(tones.size).toBeGreaterThan(1);
  });

  it('names every platform, and labels the card by platform and author unless given a label', () => {
    for (const platform of PLATFORMS) {
      expect(words(PLATFORM_NAMES[platform]), platform).toMatch(/\S/);
      expect(postCard(post({ platform })).platformName).toBe(PLATFORM_NAMES[platform]);
    }
    // A description, not a brand: worded in the page's language, also inside the accessible name.
    expect(PLATFORM_NAMES['internal-chat']).toEqual({ key: 'learn.post.platform.internalChat', values: {} });
    const es = translator('es');
    const chat = postCard(post({ platform: 'internal-chat' }));
    expect(wordCard(chat.platformName, (key, values) => es.t(key, values))).toBe('Chat interno');
    expect(wordCard(chat.label, (key, values) => es.t(key, values))).toBe(
      'Publicación de Chat interno de Priya Shah',
    );
    expect(words(postCard(post({ platform: 'teams' })).label)).toBe('Microsoft Teams post by Priya Shah');
    expect(words(postCard(post(), 'A better version of the post').label)).toBe(
      'A better version of the post',
    );
    expect(words(postCard(post(), '').label)).toBe('LinkedIn post by Priya Shah');
  });

  it('places a post where it says, else where its platform usually shows one, else nowhere', () => {
    expect(words(postCard(post({ platform: 'reddit', where: 'r/DataEngineering' })).where)).toBe(
      'r/DataEngineering',
    );
    expect(words(postCard(post({ platform: 'reddit' })).where)).toBe('r/AskUK');
    expect(words(postCard(post({ platform: 'slack' })).where)).toBe('#general');
    expect(words(postCard(post({ platform: 'teams' })).where)).toBe('General');
    expect(words(postCard(post()).where)).toBe('');
  });

  it('draws internal chat and Slack as chat, the rest not', () => {
    const chat = PLATFORMS.filter((platform) => postCard(post({ platform })).chatLike);
    expect(chat.sort()).toEqual(['internal-chat', 'slack']);
  });

  it('copies only what the card prints, with a placeholder where a video or photo has no description', () => {
    const card = postCard({ ...post({ platform: 'tiktok' }), verdict: 'unacceptable' } as SocialPost);
    expect(card).not.toHaveProperty('verdict');
    expect(card.image).toBeNull();
    expect(words(card.media)).toBe('Short video');
    expect(words(postCard(post({ platform: 'youtube' })).media)).toBe('Video');
    expect(words(postCard(post({ platform: 'instagram', image: 'A team photo' })).media)).toBe(
      'A team photo',
    );
    expect(card.persona).toEqual({ name: 'Priya Shah', role: 'Account manager' });
    expect(card.text).toBe('Great kick-off today.');
    expect(words(postCard(post({ platform: 'facebook' })).audience)).toBe('2 h · Friends');
    expect(words(postCard(post()).audience)).toBe('2h · Public');
    expect(translator('es').t('learn.post.audience.public')).toBe('2 h · Público');
  });
});
