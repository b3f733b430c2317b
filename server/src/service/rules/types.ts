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

export interface Finding {
  readonly range: Range;
  readonly message: string;
  readonly related?: readonly Related[];
  /** Data a quick fix needs (e.g. the suggested replacement). */
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface RuleContext {
  readonly doc: TextDocument;
  readonly model: ConfigDocument;
  readonly line: ProsodyLine;
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
  readonly check: (ctx: RuleContext) => readonly Finding[];
}
