// Runs the rule table over a document version and turns findings into LSP diagnostics.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { lineInForce, type ConfigDocument } from './model/document';
import { rules } from './rules';
import type { RuleLevel, ServiceSettings } from './settings';
import { readSuppressions } from './suppression';

const LEVELS: Readonly<Record<Exclude<RuleLevel, 'off'>, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'prosody-ssl';
export const RULES_DOC_URL = 'https://github.com/prosody-ssl/prosody-ssl#rule-';

export function doValidation(doc: TextDocument, model: ConfigDocument, settings: ServiceSettings): Diagnostic[] {
  if (settings.validate === false) return [];
  const line = lineInForce(model, settings.prosodyVersion);
  const suppressed = readSuppressions(model.outline.tokens, (o) => doc.positionAt(o).line);
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    const level = settings.rules?.[rule.id];
    if (level === 'off') continue;
    const severity = level ? LEVELS[level] : rule.severity;
    let findings;
    try {
      findings = rule.check({ doc, model, line });
    } catch {
      continue; // a rule that fails on odd input must not take the others down
    }
    for (const f of findings) {
      const start = doc.positionAt(f.range[0]);
      if (suppressed.isSuppressed(rule.id, start.line)) continue;
      out.push({
        range: { start, end: doc.positionAt(f.range[1]) },
        severity,
        code: rule.id,
        codeDescription: { href: RULES_DOC_URL + rule.id },
        source: DIAGNOSTIC_SOURCE,
        message: f.message,
        tags: rule.tags || f.tags ? [...new Set([...(rule.tags ?? []), ...(f.tags ?? [])])] : undefined,
        relatedInformation: f.related?.map((r) => ({ location: { uri: doc.uri, range: { start: doc.positionAt(r.range[0]), end: doc.positionAt(r.range[1]) } }, message: r.message })),
        data: f.fixes?.length ? { fixes: f.fixes.map((x) => ({ title: x.title, preferred: x.preferred ?? false, edits: x.edits.map((e) => ({ range: { start: doc.positionAt(e.range[0]), end: doc.positionAt(e.range[1]) }, newText: e.newText })) })) } : undefined,
      });
    }
  }
  return out;
}
