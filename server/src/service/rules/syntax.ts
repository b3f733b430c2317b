// Syntax: luaparse's first error, with the range of the offending token. When a table is left
// open (the usual mistake while editing), the `{` that is never closed is pointed at too. And our own
// `-- prosody-ssl: version=…` comment, when it names no release line: silently ignored, it would leave
// every finding judged for another release than the user asked for.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../model/document';
import { endsValue, prevSignificant, tokenAt } from '../model/tokenize';
import type { Finding, Rule } from './types';

/** What follows Lua's own words: the consequence, and the usual cause where it is recognisable. */
const WONT_START = 'Prosody cannot load the file, so it does not start.';
const TEMPLATE = /\{\{|\{%|<%/;

/**
 * "'}' expected near 'certificate'" after a value: the separator between two table entries is missing (the README's
 * example of this rule; a reviewer saw Lua's words alone on a corpus file).
 */
function missingSeparator(model: ConfigDocument, message: string, at: number): boolean {
  if (!/'\}' expected/.test(message)) return false;
  const { tokens } = model.outline;
  const i = tokenAt(tokens, at);
  const before = i < 0 ? -1 : prevSignificant(tokens, i);
  if (before < 0) return false;
  return endsValue(tokens, before);
}

/** What a byte-order mark before the first line does; the CLI and the server add it for a file saved with one. */
export const BOM_MESSAGE =
  'The file starts with a UTF-8 byte-order mark (BOM). Prosody reads its config with Lua\'s load(), which refuses it ("unexpected symbol" at the first byte), so Prosody does not start. Save the file as UTF-8 without a BOM.';

const SHEBANG_MESSAGE =
  'A first line starting with `#` (such as `#!/usr/bin/env lua`) is skipped by the lua command, but Prosody loads its config with Lua\'s load(), which refuses it ("unexpected symbol near \'#\'"), so Prosody does not start. Remove the line, or make it a `--` comment.';

export const syntaxRules: readonly Rule[] = [
  {
    id: 'syntax-error',
    category: 'syntax',
    severity: DiagnosticSeverity.Error,
    stopsLoader: true,
    title: 'The file is not valid Lua',
    description: 'Prosody loads its configuration as Lua; a syntax error stops it from starting. Only the first error is reported, as Lua does.',
    check: ({ model }): Finding[] => {
      // Editors hide a byte-order mark; the CLI reads files as they are saved, with it.
      const lead: Finding[] = model.text.startsWith('\uFEFF') ? [{ range: [0, 1], message: BOM_MESSAGE }] : [];
      // The parser skips a `#!` first line as the lua command does; Prosody's load() of the text does not.
      const start = lead.length;
      if (model.text.charCodeAt(start) === 35) {
        const eol = model.text.slice(start, start + 4096).search(/[\r\n]|$/);
        lead.push({ range: [start, start + Math.max(1, eol)], message: SHEBANG_MESSAGE });
      }
      if (model.parse.ok) return lead;
      const { error } = model.parse;
      const open = /'\}' expected/.test(error.message) ? [...model.outline.frames].reverse().find((f) => f.closeIndex < 0 && f.start < error.range[0]) : undefined;
      return [
        ...lead,
        {
          range: error.range,
          message: `${error.message}.${missingSeparator(model, error.message, error.range[0]) ? ' A `,` or `;` is missing after the entry before it: Lua needs one between the entries of a table.' : ''}${TEMPLATE.test(model.text) ? ' (The file holds template markers such as `{{`, `{%` or `<%`: check the file the template renders instead.)' : ''} ${WONT_START}`,
          related: open ? [{ range: [open.start, open.start + 1], message: `This \`{\`${open.key ? ` (the value of \`${open.key}\`)` : ''} is never closed.` }] : undefined,
        },
      ];
    },
  },
  {
    id: 'unknown-version-directive',
    category: 'syntax',
    severity: DiagnosticSeverity.Warning,
    title: 'The version comment names no Prosody release line',
    description: 'A `-- prosody-ssl: version=…` comment sets the Prosody release the file is checked for. A value that names no known line (`0.8`, `14.0`) is ignored, so the file is checked for the `prosodyVersion` setting instead; this says so.',
    check: ({ model }): Finding[] => (model.directive?.problem ? [{ range: model.directive.range, message: model.directive.problem }] : []),
  },
];
