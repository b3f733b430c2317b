// SARIF 2.1.0, the format GitHub code scanning (and other dashboards) ingest. Every rule of the table
// is listed so a dashboard can show rules without findings; results point at it by id and index.
// Artifact URIs are relative to %SRCROOT% (the working directory), which is what code scanning expects.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { RULES_DOC_URL } from '../service/diagnostics';
import { rules } from '../service/rules';
import type { FileReport } from './check';
import { messageText, ruleId, severityName, type SeverityName } from './counts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFO_URI = 'https://github.com/prosody-ssl/prosody-ssl';

const LEVEL: Record<SeverityName, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function levelOf(s: DiagnosticSeverity): 'error' | 'warning' | 'note' {
  return s === DiagnosticSeverity.Error ? 'error' : s === DiagnosticSeverity.Warning ? 'warning' : 'note';
}

/** `problems`: what went wrong with the run itself; `errors` (a file not read, a bad input) make it unsuccessful, as exit code 2 does. */
export function formatSarif(reports: readonly FileReport[], cwd: string, toolVersion: string, problems: { readonly warnings: readonly string[]; readonly errors: readonly string[] }): string {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = reports.flatMap((r) =>
    r.diagnostics.map((d) => {
      const id = ruleId(d);
      const i = index.get(id);
      return {
        ruleId: id,
        ...(i !== undefined ? { ruleIndex: i } : {}),
        level: LEVEL[severityName(d)],
        message: { text: messageText(d) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifact(r.file, cwd),
              region: {
                startLine: d.range.start.line + 1,
                startColumn: d.range.start.character + 1,
                endLine: d.range.end.line + 1,
                endColumn: d.range.end.character + 1,
              },
            },
          },
        ],
      };
    }),
  );
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'prosody-ssl-check',
            version: toolVersion,
            semanticVersion: toolVersion,
            informationUri: INFO_URI,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              helpUri: RULES_DOC_URL + r.id,
              help: { text: `${r.description}\n\nSee ${RULES_DOC_URL + r.id}`, markdown: `${r.description}\n\n[Rule reference](${RULES_DOC_URL + r.id})` },
              defaultConfiguration: { level: levelOf(r.severity) },
              properties: { tags: ['prosody', 'tls', r.category] },
            })),
          },
        },
        // Lines and columns as LSP counts them: CR, LF and CRLF end lines; columns are UTF-16 code units.
        // (SARIF's default line ends omit a lone CR, which Lua and editors also treat as a line end.)
        columnKind: 'utf16CodeUnits',
        newlineSequences: ['\r\n', '\n', '\r'],
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
        invocations: [
          {
            executionSuccessful: problems.errors.length === 0,
            toolExecutionNotifications: [...problems.warnings.map((text) => ({ level: 'warning', message: { text } })), ...problems.errors.map((text) => ({ level: 'error', message: { text } }))],
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function artifact(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const rel = path.relative(cwd, file);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(file).href };
}
