// Syntax: luaparse's first error, with the range of the offending token.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { Rule } from './types';

export const syntaxRules: readonly Rule[] = [
  {
    id: 'syntax-error',
    category: 'syntax',
    severity: DiagnosticSeverity.Error,
    title: 'The file is not valid Lua',
    description: 'Prosody loads its configuration as Lua; a syntax error stops it from starting. Only the first error is reported, as Lua does.',
    check: ({ model }) => (model.parse.ok ? [] : [{ range: model.parse.error.range, message: model.parse.error.message }]),
  },
];
