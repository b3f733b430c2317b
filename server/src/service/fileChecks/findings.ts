// A file check's finding, and how findings of an earlier version are moved and absent paths folded together.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { PathRef } from '../fileRefs';
import type { Range } from '../model/values';
import { ABSENT_LISTED, FILE_RULE_IDS as R } from '../rules/files';
import type { Finding } from '../rules/types';

export interface FileFinding extends Finding {
  readonly rule: string;
  /** Replaces the rule's default severity (auto-mode downgrades); an explicit user level still wins. */
  readonly severity?: DiagnosticSeverity;
  /** An absolute path not on this machine, noted in `auto` mode (see summariseAbsent): the path, and the file as named. */
  readonly absent?: { readonly path: string; readonly subject: string };
}

/**
 * A missing absolute path in `auto` mode. A config written for another machine names thousands, and all but
 * the first are folded into one note (summariseAbsent), so the sentences are only written when read.
 */
export class AbsentFinding implements FileFinding {
  readonly rule: string;
  readonly range: Range;
  readonly severity: DiagnosticSeverity;

  constructor(
    readonly ref: PathRef,
    readonly what: string,
    range: Range = ref.range,
  ) {
    this.rule = R.missing;
    this.range = range;
    this.severity = DiagnosticSeverity.Information;
  }

  get absent(): { readonly path: string; readonly subject: string } {
    return this;
  }

  moved(range: Range): AbsentFinding {
    return new AbsentFinding(this.ref, this.what, range);
  }

  get path(): string {
    return this.ref.resolved;
  }

  get subject(): string {
    return `${this.what} ${JSON.stringify(this.ref.value)}`;
  }

  get message(): string {
    return `${this.subject} is not found on this machine (fine if the config is deployed elsewhere).`;
  }
}

/** A finding of an earlier version at its place in this one. */
export function moveFinding(f: FileFinding, at: (r: Range) => Range): FileFinding {
  if (f instanceof AbsentFinding) return f.moved(at(f.range));
  return {
    ...f,
    range: at(f.range),
    ...(f.related ? { related: f.related.map((r) => ({ ...r, range: at(r.range) })) } : {}),
    ...(f.fixes ? { fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, range: at(e.range) })) })) } : {}),
  };
}

// Made once: toLocaleString builds a formatter per call, which cost more than the rest of this on every keystroke.
const COUNT = new Intl.NumberFormat('en-US');

/**
 * A config that names many absolute paths none of which are here was written for another machine (edited on a
 * laptop, deployed on the server). One note per path would bury the config's real problems under thousands of
 * identical ones, so past ABSENT_LISTED the first absent path carries a note for all of them (the next few as
 * related locations); `strict` still reports each path.
 */
export function summariseAbsent(findings: readonly FileFinding[]): readonly FileFinding[] {
  // Paths, not mentions: hosts often share one certificate, written once per host.
  const firstMention = new Map<string, FileFinding>();
  for (const f of findings) if (f.absent && !firstMention.has(f.absent.path)) firstMention.set(f.absent.path, f);
  if (firstMention.size <= ABSENT_LISTED) return findings;
  const [first, ...others] = firstMention.values();
  const summary: FileFinding = {
    rule: first!.rule,
    range: first!.range,
    severity: first!.severity,
    message: `${first!.absent!.subject} is not found on this machine, nor are ${COUNT.format(others.length)} other absolute paths this config names: it was probably written for another machine (fine if it is deployed there). With checkFiles set to strict each one is reported.`,
    related: others.slice(0, 5).map((f) => ({ range: f.range, message: 'also not on this machine' })),
  };
  return findings.flatMap((f) => (f === first ? [summary] : f.absent ? [] : [f]));
}
