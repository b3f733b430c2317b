// The rule table: every diagnostic the extension can produce, in one list.
import { cipherRules } from './ciphers';
import { invalidRules } from './invalid';
import { newerFunctionRules } from './newerFunctions';
import { optionIndexedRules } from './optionIndexed';
import { passwordFileRules } from './passwordFile';
import { pitfallRules } from './pitfalls';
import { portRules } from './ports';
import { readBackRules } from './readBack';
import { certbotRules } from './certbot';
import { fileRules } from './files';
import { syntaxRules } from './syntax';
import { tls13SuiteRules } from './tls13Suites';
import type { Rule } from './types';
import { unknownOptionRules } from './unknownOptions';
import { unsafeRules } from './unsafe';

export const rules: readonly Rule[] = [...syntaxRules, ...invalidRules, ...unknownOptionRules, ...newerFunctionRules, ...optionIndexedRules, ...readBackRules, ...unsafeRules, ...pitfallRules, ...tls13SuiteRules, ...passwordFileRules, ...portRules, ...certbotRules, ...cipherRules, ...fileRules];

const byId = new Map(rules.map((r) => [r.id, r]));
export function getRule(id: string): Rule | undefined {
  return byId.get(id);
}
export type { Rule, Finding, RuleContext, RuleCategory } from './types';
