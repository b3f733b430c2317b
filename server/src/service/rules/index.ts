// The rule table: every diagnostic the extension can produce, in one list.
import { syntaxRules } from './syntax';
import type { Rule } from './types';

export const rules: readonly Rule[] = [...syntaxRules];

const byId = new Map(rules.map((r) => [r.id, r]));
export function getRule(id: string): Rule | undefined {
  return byId.get(id);
}
export type { Rule, Finding, RuleContext, RuleCategory } from './types';
