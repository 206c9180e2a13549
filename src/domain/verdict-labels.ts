import { POST_VERDICTS, type PostVerdict } from './course.js';

/**
 * What each post verdict is called on every page that shows one (example posts, quiz questions,
 * reviews, the SCORM package): one definition, so a verdict never reads two ways.
 */
export const POST_VERDICT_LABELS: Record<PostVerdict, string> = {
  acceptable: 'Acceptable',
  'ask-first': 'Ask first',
  unacceptable: 'Not acceptable',
};

/** The same verdicts as choices, with the short explanation a learner needs to pick one. */
export const POST_VERDICT_CHOICE_TEXT: Record<PostVerdict, string> = {
  acceptable: 'Acceptable: fine to post as it is',
  'ask-first': 'Ask first: it depends on something to check before posting',
  unacceptable: 'Not acceptable: breaks the policy',
};

/** The reveal's headline after "Correct: " or "Not quite: " on an example post. */
export const POST_VERDICT_HEADLINES: Record<PostVerdict, string> = {
  acceptable: 'this post is acceptable',
  'ask-first': 'check first before posting this',
  unacceptable: 'this post is unacceptable',
};

/** The badge and notice tone of each verdict (ok / warn / bad classes in the stylesheet). */
export const POST_VERDICT_TONES: Record<PostVerdict, 'ok' | 'warn' | 'bad'> = {
  acceptable: 'ok',
  'ask-first': 'warn',
  unacceptable: 'bad',
};

/** The verdicts in the order they are offered (the model's order: acceptable, ask first, not). */
export function verdictChoices(): Array<{ value: PostVerdict; label: string; text: string }> {
  return POST_VERDICTS.map((value) => ({
    value,
    label: POST_VERDICT_LABELS[value],
    text: POST_VERDICT_CHOICE_TEXT[value],
  }));
}
