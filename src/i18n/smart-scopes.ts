// A SMART scope's sentence in the request's language, from what src/smart/scope-text.ts says to say
// (a key and its parts): the verbs joined as the language joins a list, the resource type named as
// the language names it ("your patients' Observations", "los registros Observation de sus pacientes").
import { t } from './request.js';

/** What src/smart/scope-text.ts says to say (its ScopeText; written here so i18n imports nothing from smart). */
type ScopeText = { key: string } | { key: string; verbs: string[]; resource: string; resourcePlural: string; conditions: string[] };

export function scopeSentence(text: ScopeText): string {
  if (!('verbs' in text)) return t(text.key);
  const action = list(text.verbs.map((verb) => t(`smart:verbs.${verb}`)));
  const sentence = t(text.key, {
    action: action.charAt(0).toUpperCase() + action.slice(1),
    resource: text.resource,
    resourcePlural: text.resourcePlural,
  });
  return text.conditions.length ? `${sentence} ${t('smart:only_where', { conditions: list(text.conditions) })}` : sentence;
}

/** "a", "a and b", "a, b and c" in the request's language. */
function list(items: string[]): string {
  if (items.length < 2) return items[0] ?? '';
  return t('smart:list', { items: items.slice(0, -1).join(', '), last: items.at(-1) });
}
