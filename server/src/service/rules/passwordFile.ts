// A key's `password` read with 13.0's FileContents() or Credential(): both read the whole file ("*a"), its final
// line break included, and a password file written with `echo` or an editor ends with one — then the key does not
// decrypt ("bad decrypt", a reviewer's 13.0.1 run). FileLine() reads the first line without its line break.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { getConfigFunction, lineInRange } from '../catalog';
import { currentConfig, readTables } from './helpers';
import type { Finding, Rule, RuleContext } from './types';

// Where the loader has these functions (catalog/configFunctions.ts); before, function-too-new reports the call.
const SINCE = getConfigFunction('FileContents')!.prosody;
// The call alone, with one string argument: `FileContents("pw"):gsub("\n$", "")` strips the line break itself.
const WHOLE_FILE = /^(FileContents|Credential)\s*(?:\(\s*(?:"[^"\n]*"|'[^'\n]*')\s*\)|"[^"\n]*"|'[^'\n]*')$/;

function passwordFileFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config || !lineInRange(ctx.line, SINCE)) return [];
  const text = ctx.doc.getText();
  const out: Finding[] = [];
  for (const t of readTables(config, ctx.line)) {
    const f = t.table.fields.filter((x) => x.key === 'password').at(-1);
    if (!f || f.value.kind !== 'expression' || f.value.what !== 'call') continue;
    const call = WHOLE_FILE.exec(text.slice(f.value.range[0], f.value.range[1]));
    if (!call) continue;
    const fn = call[1]!;
    const start = f.value.range[0];
    out.push({
      range: [start, start + fn.length],
      message: `\`${fn}()\` returns the whole file, its final line break included: if the file ends with one (as \`echo\` and most editors write it), that line break becomes part of the password and the key does not decrypt ("bad decrypt"). ${fn === 'FileContents' ? 'Use `FileLine(…)`, which reads the first line without its line break.' : 'Store the credential without a final line break (`printf \'%s\' "…"`), or keep the password in a file read with `FileLine(…)`.'}`,
      fixes: fn === 'FileContents' ? [{ title: 'Change to FileLine', preferred: true, edits: [{ range: [start, start + fn.length], newText: 'FileLine' }] }] : [],
    });
  }
  return out;
}

export const passwordFileRules: readonly Rule[] = [
  {
    id: 'password-file-newline', category: 'pitfall', severity: DiagnosticSeverity.Information, prosody: SINCE,
    title: 'Key password read with FileContents() or Credential(), final line break included',
    description: '13.0\'s `FileContents()` and `Credential()` return a file whole, so a password file that ends with a line break gives a password with one, and the key fails to decrypt. `FileLine()` reads the first line without it.',
    check: passwordFileFindings,
  },
];
