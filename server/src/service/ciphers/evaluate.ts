// Evaluates an OpenSSL cipher string exactly like OpenSSL 3.0's ssl_create_cipher_list /
// ssl_cipher_process_rulestr, but pure (no openssl at runtime) and with positions for diagnostics.
import { ALIASES, type AliasDef } from './aliases';
import { DEFAULT_MASK, STRONG_MASK } from './bits';
import { CipherList, type Pred } from './cipherList';
import { evaluateCiphersuites } from './tls13';
import { RECOGNIZED_ALIASES, SUITES } from './suites.generated';
import type { Suite } from './types';

export interface WordRef {
  readonly word: string;
  /** Offset in the input string, or in `input[part]` when a list was given. */
  readonly offset: number;
  readonly length: number;
  readonly part?: number;
}
export interface Malformed extends WordRef {
  readonly message: string;
  /** True when OpenSSL rejects the whole string because of it ("invalid command"). */
  readonly fatal: boolean;
}
export type StepOp = 'add' | 'remove' | 'kill' | 'moveToEnd' | 'strength' | 'seclevel' | 'suiteb';
export interface Step extends WordRef {
  readonly op: StepOp;
  /** True for the steps DEFAULT expands to (no position of their own: offset/length point at DEFAULT; SUITEB steps likewise point at the SUITEB word). */
  readonly fromDefault?: boolean;
  /** Suites whose state this step changed (added, moved, removed). */
  readonly affected: readonly string[];
  /** Set when an alias combination (`A+B`) can match nothing, so OpenSSL drops the step. */
  readonly emptyCombination?: boolean;
}
export interface EvaluateOptions {
  /** TLS 1.3 list (LuaSec `ciphersuites`); OpenSSL's default when absent. */
  readonly ciphersuites?: string | readonly string[];
}
export interface EvaluateResult {
  /** The string OpenSSL sees (a list input joined with ':'). */
  readonly text: string;
  /** TLS <= 1.2 suites in order, as `openssl ciphers -v -ciphersuites "" TEXT` prints them; [] on error. */
  readonly suites: readonly Suite[];
  /** TLS 1.3 suites (offered before `suites`); controlled by `ciphersuites`, not by this string. */
  readonly tls13: readonly Suite[];
  readonly unknownWords: readonly WordRef[];
  readonly malformed: readonly Malformed[];
  readonly seclevel?: number;
  /** Why OpenSSL would reject the string: a syntax error, or nothing selected. */
  readonly error?: 'invalid-command' | 'no-cipher-match';
  readonly steps: readonly Step[];
}

export const DEFAULT_RULES = 'ALL:!COMPLEMENTOFDEFAULT:!eNULL';
const SUITEB: ReadonlyArray<[string, string]> = [
  ['SUITEB128ONLY', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  ['SUITEB128C2', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['SUITEB128', 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['SUITEB192', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
];

const suiteByName = new Map(SUITES.map((s) => [s.name, s]));
const recognized = new Set(RECOGNIZED_ALIASES);
const aliasByName = new Map(ALIASES.filter((a) => recognized.has(a.name)).map((a) => [a.name, a]));

const isSep = (c: string | undefined): boolean => c === ':' || c === ' ' || c === ';' || c === ',';
// ssl_cipher_process_rulestr's word characters: `_` is not one (a reviewer's runs on 3.0.22: "HIGH:AES_X" and
// "DEFAULT_X" fail with "invalid command" after a known word, while "HIGH:A_B" skips the unknown word "A").
const isNameChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9\-.=]/.test(c);
/** How far an unknown word is shown: with the `_` parts OpenSSL skips along with it (`TLS_AES_128_GCM_SHA256`). */
const isShownChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9\-_.=]/.test(c);

/** A selector built from one term (`A` or `A+B+…`), mirroring the locals of ssl_cipher_process_rulestr. */
interface Selector { cipher?: string; mkey: number; auth: number; enc: number; mac: number; minTls: number; strength: number }

function selectorPred(sel: Selector): Pred {
  return (s) => {
    if (sel.cipher !== undefined && sel.cipher !== s.name) return false;
    if (sel.mkey && !(sel.mkey & s.mkey)) return false;
    if (sel.auth && !(sel.auth & s.auth)) return false;
    if (sel.enc && !(sel.enc & s.encMask)) return false;
    if (sel.mac && !(sel.mac & s.macMask)) return false;
    if (sel.minTls && sel.minTls !== s.minTls) return false;
    if (sel.strength & STRONG_MASK && !(sel.strength & STRONG_MASK & s.strength)) return false;
    if (sel.strength & DEFAULT_MASK && !(sel.strength & DEFAULT_MASK & s.strength)) return false;
    return true;
  };
}

/** AND one table entry into the selector; false when a category becomes empty (OpenSSL then ignores the term). */
function combine(sel: Selector, e: Suite | AliasDef, isSuite: boolean): boolean {
  const mkey = isSuite ? (e as Suite).mkey : (e as AliasDef).mkey ?? 0;
  const auth = isSuite ? (e as Suite).auth : (e as AliasDef).auth ?? 0;
  const enc = isSuite ? (e as Suite).encMask : (e as AliasDef).enc ?? 0;
  const mac = isSuite ? (e as Suite).macMask : (e as AliasDef).mac ?? 0;
  const strength = (isSuite ? (e as Suite).strength : (e as AliasDef).strength) ?? 0;
  const and = (cur: number, v: number): number | null => (v === 0 ? cur : cur === 0 ? v : (cur & v) === 0 ? null : cur & v);
  const m = and(sel.mkey, mkey), a = and(sel.auth, auth), en = and(sel.enc, enc), ma = and(sel.mac, mac);
  if (m === null || a === null || en === null || ma === null) return false;
  Object.assign(sel, { mkey: m, auth: a, enc: en, mac: ma });
  const strong = strength & STRONG_MASK;
  if (strong) {
    if (sel.strength & STRONG_MASK) {
      sel.strength &= strong | ~STRONG_MASK;
      if (!(sel.strength & STRONG_MASK)) return false;
    } else sel.strength = strong; // as in OpenSSL: this drops a NOT_DEFAULT bit set earlier
  }
  const def = strength & DEFAULT_MASK;
  if (def) {
    if (sel.strength & DEFAULT_MASK) {
      sel.strength &= def | ~DEFAULT_MASK;
      if (!(sel.strength & DEFAULT_MASK)) return false;
    } else sel.strength |= def;
  }
  if (isSuite) sel.cipher = (e as Suite).name; // an explicit suite's version is not part of the pattern
  else {
    const v = (e as AliasDef).minTls ?? 0;
    if (v) {
      if (sel.minTls !== 0 && sel.minTls !== v) return false;
      sel.minTls = v;
    }
  }
  return true;
}

interface Ctx {
  list: CipherList;
  unknown: WordRef[];
  malformed: Malformed[];
  steps: Step[];
  seclevel?: number;
  /** Maps an offset in the processed text back to the caller's coordinates; null for DEFAULT's own text. */
  at: ((offset: number, length: number, word: string) => WordRef) | null;
  defaultRef: WordRef;
}

const OPS = { '-': 'remove', '+': 'moveToEnd', '!': 'kill' } as const;

/** ssl_cipher_process_rulestr: returns false when OpenSSL would fail with "invalid command". */
function processRules(str: string, base: number, ctx: Ctx): boolean {
  const ref = (off: number, len: number): WordRef =>
    ctx.at ? ctx.at(base + off, len, str.slice(off, off + len)) : { ...ctx.defaultRef };
  const fromDefault = ctx.at === null ? { fromDefault: true } : {};
  let ok = true;
  let l = 0;
  for (;;) {
    if (l >= str.length) break;
    const first = str[l]!;
    const start = l;
    let op: StepOp | 'special' = 'add';
    if (first === '-' || first === '+' || first === '!') { op = OPS[first]; l++; }
    else if (first === '@') { op = 'special'; l++; }
    if (isSep(first)) { l++; continue; }

    const sel: Selector = { mkey: 0, auth: 0, enc: 0, mac: 0, minTls: 0, strength: 0 };
    let found = false;
    let word = '';
    let emptyCombination = false;
    for (;;) {
      const wstart = l;
      while (isNameChar(str[l])) l++;
      word = str.slice(wstart, l);
      if (word.length === 0) {
        // A whole character, not half of a surrogate pair.
        const cp = str.codePointAt(l);
        const bad = cp === undefined ? undefined : String.fromCodePoint(cp);
        ctx.malformed.push({
          ...ref(l, bad === undefined ? 0 : bad.length),
          message: bad === undefined ? 'the string ends where a cipher word is expected' : `unexpected character ${JSON.stringify(bad)} where a cipher word is expected`,
          fatal: true,
        });
        return false;
      }
      if (op === 'special') break;
      const multi = str[l] === '+';
      if (multi) l++;
      const suite = suiteByName.get(word);
      const alias = suite ? undefined : aliasByName.get(word);
      if (!suite && !alias) {
        let shown = wstart + word.length;
        while (isShownChar(str[shown])) shown++;
        ctx.unknown.push(ref(wstart, shown - wstart));
        found = false;
        break;
      }
      found = combine(sel, (suite ?? alias)!, suite !== undefined);
      if (!found) { emptyCombination = true; break; }
      if (!multi) break;
    }

    if (op === 'special') {
      const r = ref(start, l - start);
      if (word === 'STRENGTH') {
        const before = ctx.list.active().map((s) => s.name).join(':');
        ctx.list.strengthSort();
        const after = ctx.list.active();
        ctx.steps.push({ ...r, ...fromDefault, op: 'strength', affected: after.map((s) => s.name).join(':') === before ? [] : after.map((s) => s.name) });
      } else if (word.length === 10 && word.startsWith('SECLEVEL=')) {
        const level = word.charCodeAt(9) - 48;
        if (level < 0 || level > 5) {
          ctx.malformed.push({ ...r, message: `security level must be 0 to 5, not ${JSON.stringify(word.slice(9))}`, fatal: true });
          ok = false;
        } else {
          ctx.seclevel = level;
          ctx.steps.push({ ...r, ...fromDefault, op: 'seclevel', affected: [] });
        }
      } else {
        ctx.malformed.push({ ...r, message: `unknown command @${word} (only @STRENGTH and @SECLEVEL=n exist)`, fatal: true });
        ok = false;
      }
      const restStart = l;
      while (l < str.length && !isSep(str[l])) l++;
      if (l > restStart) ctx.malformed.push({ ...ref(restStart, l - restStart), message: 'ignored: nothing may follow an @ command before the next separator', fatal: false });
    } else if (found) {
      const pred = selectorPred(sel);
      const affected = op === 'add' ? ctx.list.add(pred) : op === 'remove' ? ctx.list.remove(pred) : op === 'kill' ? ctx.list.kill(pred) : ctx.list.order(pred);
      ctx.steps.push({ ...ref(start, l - start), ...fromDefault, op, affected: affected.map((s) => s.name) });
    } else {
      // OpenSSL skips the rest of a term it cannot use, up to the next separator.
      while (l < str.length && !isSep(str[l])) l++;
      if (emptyCombination) {
        ctx.steps.push({ ...ref(start, l - start), ...fromDefault, op, affected: [], emptyCombination: true });
      }
    }
    if (l >= str.length) break;
  }
  return ok;
}

/** Evaluate a cipher string (or a Lua list of them, joined with ':' as Prosody does). */
export function evaluateCipherString(input: string | readonly string[], opts: EvaluateOptions = {}): EvaluateResult {
  const parts = typeof input === 'string' ? null : [...input];
  const text = parts ? parts.join(':') : (input as string);
  const starts: number[] = [];
  if (parts) { let o = 0; for (const p of parts) { starts.push(o); o += p.length + 1; } }
  const at = (offset: number, length: number, word: string): WordRef => {
    if (!parts) return { word, offset, length };
    let i = starts.length - 1;
    while (i > 0 && starts[i]! > offset) i--;
    return { word, offset: offset - starts[i]!, length, part: i };
  };
  const ctx: Ctx = { list: new CipherList(SUITES), unknown: [], malformed: [], steps: [], at, defaultRef: at(0, 0, '') };
  let ok = true;

  const suiteb = SUITEB.find(([prefix]) => text.startsWith(prefix));
  if (suiteb) {
    const [prefix, rules] = suiteb;
    const ref = at(0, prefix.length, prefix);
    const before = ctx.steps.length;
    ctx.at = null; ctx.defaultRef = ref;
    processRules(rules, 0, ctx);
    for (let i = before; i < ctx.steps.length; i++) {
      const { fromDefault: _drop, ...step } = ctx.steps[i]!;
      ctx.steps[i] = { ...step, op: 'suiteb' };
    }
    if (text.length > prefix.length) ctx.malformed.push({ ...at(prefix.length, text.length - prefix.length, text.slice(prefix.length)), message: `ignored: ${prefix} replaces the whole cipher string`, fatal: false });
  } else {
    let rest = text, restBase = 0;
    if (text.startsWith('DEFAULT')) {
      ctx.at = null; ctx.defaultRef = at(0, 7, 'DEFAULT');
      ok = processRules(DEFAULT_RULES, 0, ctx);
      ctx.at = at;
      restBase = text[7] === ':' ? 8 : 7;
      rest = text.slice(restBase);
    }
    if (ok && rest.length > 0) ok = processRules(rest, restBase, ctx);
  }

  const active = ok ? ctx.list.active() : [];
  const error = !ok ? 'invalid-command' as const : active.length === 0 ? 'no-cipher-match' as const : undefined;
  return {
    text,
    suites: active,
    tls13: evaluateCiphersuites(opts.ciphersuites).suites,
    unknownWords: ctx.unknown,
    malformed: ctx.malformed,
    ...(ctx.seclevel !== undefined ? { seclevel: ctx.seclevel } : {}),
    ...(error ? { error } : {}),
    steps: ctx.steps,
  };
}
