// `file:line:col severity rule message`, one finding per line (1-based line and column, the column
// in UTF-16 units as editors count), then a one-line summary. Colour only when asked or on a terminal.
import type { FileReport } from './check';
import { displayPath } from './check';
import { countFindings, messageText, ruleId, severityName, type Counts, type SeverityName } from './counts';

const COLOURS: Record<SeverityName, string> = { error: '31', warning: '33', information: '36', hint: '2' };

/**
 * Control characters written as escapes: a config's values reach the messages, and raw ESC or CR would let a file
 * clear the terminal, retitle it or overwrite a report line with a fake one. A line break becomes a space.
 */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\s*\n\s*/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `failed`: how many inputs could not be checked (their errors are on stderr); the summary says so. */
export function formatText(reports: readonly FileReport[], cwd: string, colour: boolean, failed = 0): string {
  const paint = (code: string, s: string): string => (colour ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const r of reports) {
    const file = printable(displayPath(r.file, cwd));
    for (const d of r.diagnostics) {
      const sev = severityName(d);
      // One line per finding, even if a message ever carries a newline.
      const message = printable(messageText(d));
      lines.push(`${paint('1', `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}`)} ${paint(COLOURS[sev], sev)} ${paint('2', ruleId(d))} ${message}`);
    }
  }
  const c = countFindings(reports);
  // "0 files checked: no problems" over an input that was never checked read as a pass (a reviewer).
  const notChecked = failed ? `; ${failed} ${failed === 1 ? 'input' : 'inputs'} could not be checked (${failed === 1 ? 'its error is' : 'their errors are'} on standard error)` : '';
  lines.push(summary(c, reports.length) + notChecked);
  return lines.join('\n') + '\n';
}

function summary(c: Counts, files: number): string {
  const total = c.error + c.warning + c.information + c.hint;
  const checked = `${files} file${files === 1 ? '' : 's'} checked`;
  if (total === 0) return `${checked}: no problems`;
  const parts = (['error', 'warning', 'information', 'hint'] as const).filter((k) => c[k]).map((k) => `${c[k]} ${k}${c[k] === 1 || k === 'information' ? '' : 's'}`);
  return `${checked}: ${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')})`;
}
