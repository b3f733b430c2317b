// Settings the service honours, shared by the LSP server (from VS Code settings) and the CLI
// (from flags and a `.prosody-ssl.json` beside the config).

import type { ProsodyLine } from './catalog/versions';

export type RuleLevel = 'error' | 'warning' | 'information' | 'hint' | 'off';

export const RULE_LEVELS: readonly RuleLevel[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface ServiceSettings {
  /** Prosody release line the config is written for (a first-line directive in the file wins). */
  readonly prosodyVersion: ProsodyLine;
  /** Severity per rule id; `off` silences it. Rules not named keep their default. */
  readonly rules?: Readonly<Record<string, RuleLevel>>;
  /** False turns all diagnostics off. */
  readonly validate?: boolean;
  /**
   * How certificate/key/DH files named in the config are checked: `auto` (default) notes an absolute path that is
   * missing or a file that cannot be read as information only; `strict` warns; `off` reads no files for diagnostics.
   */
  readonly checkFiles?: 'auto' | 'strict' | 'off';
}

export function isRuleLevel(s: unknown): s is RuleLevel {
  return typeof s === 'string' && (RULE_LEVELS as readonly string[]).includes(s);
}

/** Keeps only well-formed rule entries from untrusted input (settings JSON, CLI flags). */
export function cleanRuleMap(input: unknown): Record<string, RuleLevel> {
  const out: Record<string, RuleLevel> = {};
  if (input && typeof input === 'object') {
    for (const [k, v] of Object.entries(input as Record<string, unknown>)) if (isRuleLevel(v)) out[k] = v;
  }
  return out;
}
