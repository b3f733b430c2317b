// Severity names and tallies shared by the output formats and the exit code.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { FileReport } from './check';

export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

export function severityName(d: Diagnostic): SeverityName {
  switch (d.severity) {
    case DiagnosticSeverity.Error:
      return 'error';
    case DiagnosticSeverity.Information:
      return 'information';
    case DiagnosticSeverity.Hint:
      return 'hint';
    default:
      return 'warning'; // LSP: a missing severity is the client's choice; warning is the safe reading
  }
}

export type Counts = Record<SeverityName, number>;

export function countFindings(reports: readonly FileReport[]): Counts {
  const c: Counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const r of reports) for (const d of r.diagnostics) c[severityName(d)]++;
  return c;
}

/** Errors always fail; warnings fail when more than `maxWarnings` (-1: never); information and hints never. */
export function failsThreshold(c: Counts, maxWarnings: number): boolean {
  return c.error > 0 || (maxWarnings >= 0 && c.warning > maxWarnings);
}

export function ruleId(d: Diagnostic): string {
  return typeof d.code === 'string' || typeof d.code === 'number' ? String(d.code) : 'unknown';
}

/** The message as plain text (LSP 3.18 allows markup; ours are strings, but stay total). */
export function messageText(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
