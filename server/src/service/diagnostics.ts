// Runs the rule table over a document version and turns findings into LSP diagnostics.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { lineInForce, type ConfigDocument } from './model/document';
import { surelyDormant } from './model/layering';
import { safeText } from './model/secrets';
import { getRule, rules } from './rules';
import { BOM_MESSAGE } from './rules/syntax';
import type { Finding, Rule } from './rules';
import type { RuleLevel, ServiceSettings } from './settings';
import { NO_SUPPRESSIONS, suppressionsOf, withDirectivesAbove } from './suppression';
import { fixSpan, type FixSpan } from './fixSpan';

const LEVELS: Readonly<Record<Exclude<RuleLevel, 'off'>, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'prosody-ssl';
export const RULES_DOC_URL = 'https://github.com/prosody-ssl/prosody-ssl#rule-';

/** One rule run over the whole version: what the per-chunk validation (incrementalValidation.ts) must equal. */
export function doValidation(doc: TextDocument, model: ConfigDocument, settings: ServiceSettings): Diagnostic[] {
  return applySuppressions(doc, model, quietDormantHosts(doc, model, ruleDiagnostics(doc, model, settings), settings));
}

/** Every rule's diagnostics for this version, before suppression comments. */
export function ruleDiagnostics(doc: TextDocument, model: ConfigDocument, settings: ServiceSettings, which: readonly Rule[] = rules, globalOnly = false): Diagnostic[] {
  if (settings.validate === false) return [];
  const line = lineInForce(model, settings.prosodyVersion);
  const out: Diagnostic[] = [];
  for (const rule of which) {
    const severity = ruleSeverity(rule, settings);
    if (severity === undefined) continue;
    let findings;
    try {
      findings = rule.check(globalOnly ? { doc, model, line, globalOnly } : { doc, model, line });
    } catch {
      continue; // a rule that fails on odd input must not take the others down
    }
    // A table literal shared through a `local` (model/sharedTables.ts) is judged once per option it is assigned to:
    // the same finding on the same text is said once.
    const said = findings.length > 1 ? new Map<number, Finding[]>() : undefined;
    for (const f of findings) {
      if (said) {
        const here = said.get(f.range[0]);
        if (here?.some((g) => g.range[1] === f.range[1] && g.message === f.message)) continue;
        if (here) here.push(f);
        else said.set(f.range[0], [f]);
      }
      // A finding's own severity stands in for the rule's default; a level the user set still wins (ruleSeverity).
      out.push(findingToDiagnostic(doc, rule, f.severity === undefined ? severity : (ruleSeverity(rule, settings, f.severity) ?? severity), f));
    }
  }
  return out;
}

const DORMANT_NOTE = '(This host has `enabled = false`: Prosody does not load it or its TLS settings now; this applies once it is enabled.)';

/**
 * In a host Prosody surely never activates nothing fails or weakens now: its findings become hints that say so,
 * unless the user set the rule's level. Worked out on the whole version's config after the rules (which may have
 * run over some chunks only), so an edit elsewhere, or a subdomain added below the host, judges it afresh.
 */
export function quietDormantHosts(doc: TextDocument, model: ConfigDocument, diagnostics: Diagnostic[], settings: ServiceSettings): Diagnostic[] {
  const placed = model.placed;
  if (!placed || !diagnostics.length) return diagnostics;
  const { config, shift } = placed;
  // Most configs set no `enabled = false`: nothing more to work out.
  if (!config.settings.some((o) => o.name === 'enabled' && o.value.kind === 'boolean' && !o.value.value)) return diagnostics;
  const spans: Array<[number, number]> = [];
  // After the table form (`VirtualHost "x" { enabled = false }`) the lines are global again (a reviewer): a span
  // ends at the first global setting past its header.
  const globals = config.settings.filter((o) => o.section === 0).map((o) => o.range[0] + shift(0));
  config.sections.forEach((sec, i) => {
    if (i === 0 || !surelyDormant(config, i)) return;
    const next = config.sections[i + 1];
    const start = sec.range[0] + shift(i);
    const end = next ? next.range[0] + shift(i + 1) : Infinity;
    const global = globals.find((g) => g > start);
    spans.push([start, global !== undefined && global < end ? global : end]);
  });
  if (!spans.length) return diagnostics;
  // A table shared through a `local` (model/sharedTables.ts) is written where it is declared, maybe in a dormant host,
  // and judged for every option it is given to: an active host taking it keeps its findings as they are (a reviewer).
  const active: Array<[number, number]> = config.settings
    .filter((s) => s.value.kind === 'table' && (s.value.range[0] < s.range[0] || s.value.range[0] >= s.range[1]) && !surelyDormant(config, s.section))
    .map((s) => [s.value.range[0] + shift(s.section), s.value.range[1] + shift(s.section)]);
  return diagnostics.map((d) => {
    const code = String(d.code);
    if (getRule(code)?.stopsLoader || settings.rules?.[code] !== undefined) return d;
    const at = doc.offsetAt(d.range.start);
    if (active.some(([a, b]) => at >= a && at < b)) return d;
    return spans.some(([a, b]) => at >= a && at < b) ? { ...d, severity: DiagnosticSeverity.Hint, message: `${String(d.message)} ${DORMANT_NOTE}` } : d;
  });
}

/** Drops what `-- prosody-ssl: disable…` comments turn off. */
export function applySuppressions(doc: TextDocument, model: ConfigDocument, diagnostics: Diagnostic[]): Diagnostic[] {
  const suppressed = suppressionsOf(model, (o) => doc.positionAt(o).line);
  return suppressed === NO_SUPPRESSIONS ? diagnostics : diagnostics.filter((d) => !suppressed.isSuppressed(String(d.code), d.range.start.line));
}

/** The severity a rule reports at under these settings; undefined when the user turned it off. */
export function ruleSeverity(rule: Rule, settings: ServiceSettings, fallback: DiagnosticSeverity = rule.severity): DiagnosticSeverity | undefined {
  const level = settings.rules?.[rule.id];
  if (level === 'off') return undefined;
  return level ? LEVELS[level] : fallback;
}

// One link object per rule, shared by its diagnostics (a large config has thousands of them).
const links = new Map<string, { readonly href: string }>();
function codeDescription(id: string): { readonly href: string } {
  let link = links.get(id);
  if (!link) links.set(id, (link = Object.freeze({ href: RULES_DOC_URL + id })));
  return link;
}

/** One finding of a rule as an LSP diagnostic: code, rule link, source, related locations and quick-fix data. */
export function findingToDiagnostic(doc: TextDocument, rule: Rule, severity: DiagnosticSeverity, f: Finding): Diagnostic {
  return {
    range: { start: doc.positionAt(f.range[0]), end: doc.positionAt(f.range[1]) },
    severity,
    code: rule.id,
    codeDescription: codeDescription(rule.id),
    source: DIAGNOSTIC_SOURCE,
    message: safeText(f.message),
    tags: rule.tags || f.tags ? [...new Set([...(rule.tags ?? []), ...(f.tags ?? [])])] : undefined,
    relatedInformation: f.related?.map((r) => ({ location: { uri: doc.uri, range: { start: doc.positionAt(r.range[0]), end: doc.positionAt(r.range[1]) } }, message: safeText(r.message) })),
    data: f.fixes?.length ? fixData(doc, f) : undefined,
  };
}

/**
 * The fixes with LSP ranges, the span of text they were computed on (fixSpan.ts), and the spans of the places they
 * depend on (`also`, Finding.dependsOn: a later line that overrides this one; a reviewer saw "Remove" still offered
 * after that later line was deleted, which would have removed the only one left).
 */
function fixData(doc: TextDocument, f: Finding): { fixes: unknown[]; span: FixSpan; also?: FixSpan[] } {
  let [start, end] = f.range;
  const fixes = f.fixes!.map((x) => ({
    // A menu entry is one line: a flag name with an escaped line break or a pasted PEM block would break it.
    title: safeText(x.title).replace(/\s+/g, ' '),
    preferred: x.preferred ?? false,
    edits: x.edits.map((e) => {
      const [s, t] = e.newText === '' ? withDirectivesAbove(doc.getText(), e.range) : e.range;
      start = Math.min(start, s);
      end = Math.max(end, t);
      return { range: { start: doc.positionAt(s), end: doc.positionAt(t) }, newText: e.newText };
    }),
  }));
  // (Short ones only: each is hashed on every publication.)
  const also = f.dependsOn?.filter((r) => r[1] - r[0] <= 4096).map((r) => fixSpan(doc, r[0], r[1]));
  return { fixes, span: fixSpan(doc, start, end), ...(also?.length ? { also } : {}) };
}

/**
 * The syntax error of a file saved with a UTF-8 byte-order mark, at its start. Editors hide the BOM (and the CLI
 * drops it, so columns count as the editor's do), so whoever read the bytes adds this; undefined when turned off.
 */
export function bomDiagnostic(doc: TextDocument, settings: ServiceSettings): Diagnostic | undefined {
  const rule = getRule('syntax-error')!;
  const severity = ruleSeverity(rule, settings);
  return severity === undefined ? undefined : findingToDiagnostic(doc, rule, severity, { range: [0, 0], message: BOM_MESSAGE });
}
