// A rule is one row: id, default severity, what it checks, and a function that finds it.
// Diagnostics, quick fixes, rule settings and the README rule reference all read these rows.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import type { ProsodyLine, VersionRange } from '../catalog';
import type { ConfigDocument } from '../model/document';
import type { Range } from '../model/values';

export type RuleCategory = 'syntax' | 'invalid' | 'unsafe' | 'pitfall' | 'files' | 'ciphers';

export interface Related {
  readonly range: Range;
  readonly message: string;
}

/** A quick fix: text edits in the same document, computed by the rule when it finds the problem. */
export interface Fix {
  readonly title: string;
  readonly edits: ReadonlyArray<{ readonly range: Range; readonly newText: string }>;
  /** The fix the editor may apply on its own (one per finding at most). */
  readonly preferred?: boolean;
}

export interface Finding {
  readonly range: Range;
  /** What is wrong, why, and what to write instead — in one or two sentences. */
  readonly message: string;
  readonly related?: readonly Related[];
  readonly fixes?: readonly Fix[];
  /**
   * Other places the fixes are right only while unchanged (a later line that makes this one dead): they are offered
   * no longer once one changes. Only places in this finding's own section or the global one, which the incremental
   * path moves with it.
   */
  readonly dependsOn?: readonly Range[];
  /** Extra diagnostic tags for this finding (e.g. Unnecessary for a no-op flag). */
  readonly tags?: readonly DiagnosticTag[];
  /** Replaces the rule's default severity for this finding (a fact surer on some lines than others); a level the user set still wins. */
  readonly severity?: DiagnosticSeverity;
}

export interface RuleContext {
  readonly doc: TextDocument;
  readonly model: ConfigDocument;
  readonly line: ProsodyLine;
  /** Only the global section's findings are kept (a `readsOtherChunks: 'global'` run): the rest may be skipped. */
  readonly globalOnly?: boolean;
}

export interface Rule {
  readonly id: string;
  readonly category: RuleCategory;
  readonly severity: DiagnosticSeverity;
  /** One line for the README rule reference. */
  readonly title: string;
  /** Longer explanation for the README (markdown, our own words). */
  readonly description: string;
  /** Prosody releases in which the rule applies (undefined = all). */
  readonly prosody?: VersionRange;
  readonly tags?: readonly DiagnosticTag[];
  /**
   * Whether, in this version, its findings in one chunk may depend on another host chunk's settings (a global line
   * judged by what hosts write, a host's by another host's, a `local` declared in a host above): then after an edit
   * in a host the incremental path runs it over the whole config, for every chunk (incrementalValidation.ts). Asked
   * on every keystroke: it reads the chunks (`model.parts`, `model.globalConfig`), never the assembled `model.config`.
   * `'global'`: only its findings in the global section read the hosts (a host's read its own chunk, the global one and
   * its parent and child domains'), so after a host edit only the global section's are worked out over the whole
   * config again (RuleContext.globalOnly).
   */
  readonly readsOtherChunks?: (model: ConfigDocument, line: ProsodyLine) => boolean | 'global';
  /**
   * What it reports stops Prosody's config loader itself, which reads every line whatever a host's `enabled` says:
   * kept at its level in a host Prosody never activates (diagnostics.ts quietDormantHosts).
   */
  readonly stopsLoader?: true;
  readonly check: (ctx: RuleContext) => readonly Finding[];
}
