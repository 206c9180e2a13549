import type { Translator } from '../../i18n/translator.js';
import type { EvidencePack } from './evidence.js';

type EvidenceQuestion = EvidencePack['attempts'][number]['questions'][number];

/**
 * An answer in an evidence pack as a person reads it on the printable page: the verdict by the
 * label every page uses ("Ask first: …"), then the texts of the choices picked (an id only when the
 * content no longer has its text). `t` is the attempt's language (the language of the choice texts),
 * so the line never mixes two languages whatever the page's. The JSON file keeps the ids: it is for
 * machines and auditors' tools. Null when the question was left unanswered.
 */
export function answerGivenText(t: Translator, q: EvidenceQuestion): string | null {
  if (!q.answer) return null;
  const texts = new Map(q.choicesShown.map((c) => [c.id, c.text]));
  const choices = q.answer.choiceIds.map((id) => texts.get(id) || id).join('; ');
  if (!q.answer.verdict) return choices;
  return `${t.t(`learn.verdict.${q.answer.verdict}.label`)}: ${choices}`;
}
