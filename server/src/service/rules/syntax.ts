// Syntax: luaparse's first error, with the range of the offending token. When a table is left
// open (the usual mistake while editing), the `{` that is never closed is pointed at too. And our own
// `-- prosody-ssl: version=…` comment, when it names no release line: silently ignored, it would leave
// every finding judged for another release than the user asked for.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Finding, Rule } from './types';

export const syntaxRules: readonly Rule[] = [
  {
    id: 'syntax-error',
    category: 'syntax',
    severity: DiagnosticSeverity.Error,
    title: 'The file is not valid Lua',
    description: 'Prosody loads its configuration as Lua; a syntax error stops it from starting. Only the first error is reported, as Lua does.',
    check: ({ model }): Finding[] => {
      if (model.parse.ok) return [];
      const { error } = model.parse;
      const open = /'\}' expected/.test(error.message) ? [...model.outline.frames].reverse().find((f) => f.closeIndex < 0 && f.start < error.range[0]) : undefined;
      return [
        {
          range: error.range,
          message: error.message,
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
