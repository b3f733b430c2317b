// Machine-readable report: one entry per file, positions 1-based like the text output.
import type { FileReport } from './check';
import { displayPath } from './check';
import { countFindings, messageText, ruleId, severityName } from './counts';

export function formatJson(reports: readonly FileReport[], cwd: string, toolVersion: string): string {
  const out = {
    tool: { name: 'prosody-ssl-check', version: toolVersion },
    files: reports.map((r) => ({
      file: displayPath(r.file, cwd),
      prosodyVersion: r.prosodyVersion,
      settingsFile: r.settingsFile ? displayPath(r.settingsFile, cwd) : null,
      diagnostics: r.diagnostics.map((d) => ({
        rule: ruleId(d),
        severity: severityName(d),
        message: messageText(d),
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        helpUri: d.codeDescription?.href ?? null,
      })),
    })),
    summary: countFindings(reports),
  };
  return JSON.stringify(out, null, 2) + '\n';
}
