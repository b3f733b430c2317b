// Prosody release lines and version comparison. A user picks a line (setting or first-line comment);
// the analysis treats it as the newest release of that line, since that is what a maintained server runs.

export type ProsodyLine = '0.9' | '0.10' | '0.11' | '0.12' | '13.0';

export const PROSODY_LINES: readonly ProsodyLine[] = ['0.9', '0.10', '0.11', '0.12', '13.0'];

export const DEFAULT_LINE: ProsodyLine = '13.0';

/** The newest release of each line that the facts were read from. */
export const NEWEST_RELEASE: Readonly<Record<ProsodyLine, string>> = {
  '0.9': '0.9.14',
  '0.10': '0.10.3',
  '0.11': '0.11.14',
  '0.12': '0.12.5',
  '13.0': '13.0.1',
};

/**
 * The oldest OpenSSL a line's servers commonly ran, from the distributions that shipped it: 0.9 on Debian 8 (1.0.1),
 * 0.10 on Debian 9 backports and Ubuntu 18.04 (1.1.0), 0.11 on Debian 10/11 and Ubuntu 20.04 (1.1.1), 0.12 and 13.0
 * on Debian 12 (3.0). LuaSec knows only the option flags of the OpenSSL it was built against and OpenSSL only its own
 * groups, so what came in a later OpenSSL may be refused there: findings that depend on it warn, never err.
 */
export const USUAL_OPENSSL: Readonly<Record<ProsodyLine, string>> = {
  '0.9': '1.0.1',
  '0.10': '1.1.0',
  '0.11': '1.1.1',
  '0.12': '3.0',
  '13.0': '3.0',
};

/** "OpenSSL 1.1.1, the oldest Prosody 0.11 commonly ran on": how messages name USUAL_OPENSSL. */
export function usualOpensslSaid(line: ProsodyLine): string {
  return `OpenSSL ${USUAL_OPENSSL[line]}, the oldest Prosody ${line} commonly ran on`;
}

/** The OpenSSL the line's servers commonly ran predates `since` (a feature it added is then refused there). */
export function usualOpensslBefore(line: ProsodyLine, since: string): boolean {
  return compareVersions(USUAL_OPENSSL[line], since) < 0;
}

/** The lines whose usual OpenSSL predates `since`, each with that OpenSSL: for rule descriptions. */
export function linesBeforeOpenssl(since: string): Array<{ line: ProsodyLine; openssl: string }> {
  return PROSODY_LINES.filter((l) => usualOpensslBefore(l, since)).map((line) => ({ line, openssl: USUAL_OPENSSL[line] }));
}

export function isProsodyLine(s: unknown): s is ProsodyLine {
  return typeof s === 'string' && (PROSODY_LINES as readonly string[]).includes(s);
}

/** "13" and "0.12.4" as their line names (a release maps to its line); anything else as written. */
function normaliseLine(s: string): string {
  const t = s.trim();
  if (t === '13' || /^13\.0(\.\d+)?$/.test(t)) return '13.0';
  const m = /^(0\.\d+)(\.\d+)?$/.exec(t);
  return m ? m[1]! : t;
}

/**
 * The line a setting names (`"0.12"`, `"13"`, `"0.12.4"`), or undefined when it names none. The one reading of a
 * version for the CLI's --prosody-version, the file's version comment, .prosody-ssl.json and the editor settings.
 */
export function lineOf(v: unknown): ProsodyLine | undefined {
  if (typeof v !== 'string') return undefined;
  const line = normaliseLine(v);
  return isProsodyLine(line) ? line : undefined;
}

/** Compares dotted versions numerically: compareVersions("0.10.1", "0.9.14") > 0. */
export function compareVersions(a: string, b: string): number {
  // Asked for the same few release pairs thousands of times a run: answered from memory (bounded: a directive's
  // version is the user's text).
  const key = `${a}\0${b}`;
  let d = compared.get(key);
  if (d === undefined) {
    if (compared.size >= 4096) compared.clear();
    compared.set(key, (d = compareParts(a, b)));
  }
  return d;
}

const compared = new Map<string, number>();

function compareParts(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** True when the release `version` lies within [since, removed). */
export function inRange(version: string, range: { since?: string; removed?: string } | undefined): boolean {
  if (!range) return true;
  if (range.since && compareVersions(version, range.since) < 0) return false;
  if (range.removed && compareVersions(version, range.removed) >= 0) return false;
  return true;
}

/** True when the line's newest release lies within the range. */
export function lineInRange(line: ProsodyLine, range: { since?: string; removed?: string } | undefined): boolean {
  return inRange(NEWEST_RELEASE[line], range);
}

/** Human text for a range: "since 0.12.0", "0.10.0 – 0.11.x", "". */
export function describeRange(range: { since?: string; removed?: string } | undefined): string {
  if (!range || (!range.since && !range.removed)) return '';
  if (range.since && range.removed) return `Prosody ${range.since} up to (not including) ${range.removed}`;
  if (range.since) return `since Prosody ${range.since}`;
  return `until Prosody ${range.removed} (removed there)`;
}

/** A deprecation as it stands on a line: none before the release that deprecated it. */
export function deprecatedOn<D extends { readonly since?: string }>(deprecated: D | undefined, line: ProsodyLine): D | undefined {
  return deprecated && (!deprecated.since || lineInRange(line, { since: deprecated.since })) ? deprecated : undefined;
}

/** The line reads the replacement with `or` (`new or old`), so a false new name does not take the old one's place. */
export function readsThroughFalse(deprecated: { readonly readThroughFalse?: { since?: string; removed?: string } } | undefined, line: ProsodyLine): boolean {
  return deprecated?.readThroughFalse !== undefined && lineInRange(line, deprecated.readThroughFalse);
}
