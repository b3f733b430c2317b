// Values that must never be shown: a TLS key's `password` (also misspelt: an unknown key is still the user's
// secret), the secrets other modules read from the same config (`component_secret`, `ldap_password`,
// `sql = { password = … }`, `oauth2_registration_key`, `captcha_private_key`, …), and key material pasted where
// a path belongs. Hovers, the outline and diagnostic messages render values; each goes through here first.

// Broad on purpose (hiding a harmless value costs little, showing a secret cannot be undone): a password word
// (misspelt too) anywhere in the name, or a name that ends in another secret word — `turncredentials_host` and
// `oauth2_access_token_ttl` stay visible, `turncredentials_secret` and `recaptcha_private_key` do not.
// A name half typed or half deleted (`passwrd`, `component_ecret`) still holds the secret: each secret word
// also counts with any one letter missing.
import { clip } from './clip';

const SECRET_WORDS = ['password', 'passphrase', 'secret'];
const oneShort = (w: string): string[] => [...w].map((_, i) => w.slice(0, i) + w.slice(i + 1));
const SECRET_ANYWHERE = new RegExp(`pa?s+w|pwd|${[...new Set(SECRET_WORDS.flatMap((w) => [w, ...oneShort(w)]))].join('|')}`, 'i');
const SECRET_END = /(?:pass|pw|token|credentials?|_key|psk)$/i;
// …except keys that are public by nature (the `key` of an ssl table is a path, shown).
const NOT_SECRET = /(?:^key|public_?key)$/i;

/** Said (never the text itself) of a key or certificate pasted into `ciphers`: by its diagnostic and its hover. */
export const KEY_IN_CIPHERS = 'This is key material (a pasted key or certificate), not cipher words: OpenSSL ignores it. Remove it, and keep keys in files only Prosody can read.';

/** What is shown in place of a secret value. */
export const HIDDEN = '(hidden)';

/** True when an option or table key holds a secret (its value is never rendered). */
export function isSecretName(name: string | number): boolean {
  return typeof name === 'string' && (SECRET_ANYWHERE.test(name) || (SECRET_END.test(name) && !NOT_SECRET.test(name)));
}

/** A PEM armour line, damaged (`----BEGIN`) or alone (the END line of a paste that lost its first line). */
const PEM_ARMOUR = /----[- ]?(?:BEGIN|END)\b/; // fixed-length prefix: `-{4,}` backtracks quadratically on long dash runs

/** The label of the first PEM header (`PRIVATE KEY`, `X9.42 DH PARAMETERS`), if there is one. */
export function pemLabel(value: string): string | undefined {
  return /-----BEGIN ([A-Z0-9 .]+)-----/.exec(value)?.[1];
}

/**
 * True when a string is key material rather than a path: PEM text, or a PEM body pasted without its header —
 * base64 of one DER SEQUENCE whose encoded length fits the data (a path never decodes that way).
 */
export function looksLikeKeyMaterial(value: string): boolean {
  if (PEM_ARMOUR.test(value)) return true;
  if (value.length < 64) return false;
  // Base64 lines (64 or 76 characters) may be joined by newlines, indentation or spaces; a path with a space in
  // it ("MEGA Sync/Backups/…") has a short word before the space.
  const words = value.trim().split(/\s+/);
  if (words.slice(0, -1).some((w) => w.length < 40)) return false;
  const b64 = words.join('');
  if (b64.length < 64 || b64[0] !== 'M' || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return false;
  const bytes = base64Head(b64.slice(0, 8));
  const total = Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
  if (bytes[0] !== 0x30) return false;
  const len = bytes[1]!;
  // Short form (Ed25519, EC keys): the whole element or a paste cut short. Long form (`MIG…`, `MII…`): any
  // length, as several elements may follow each other (a key and its certificate); no path begins that way.
  return len < 0x80 ? 2 + len >= total : len === 0x81 || len === 0x82;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The first bytes of base64 text (whole groups of four characters only). */
function base64Head(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= text.length; i += 4) {
    const n = [0, 1, 2, 3].reduce((acc, k) => (acc << 6) | Math.max(0, B64.indexOf(text[i + k]!)), 0);
    out.push((n >> 16) & 255, (n >> 8) & 255, n & 255);
  }
  return out;
}

/** A string value as it may be shown: PEM text by its first line only, other key material not at all. */
export function shownString(value: string): string {
  const label = pemLabel(value);
  if (label !== undefined) return `"-----BEGIN ${label}-----…" (PEM text)`;
  return looksLikeKeyMaterial(value) ? '(hidden: key material)' : JSON.stringify(value);
}

/** A name shown as it is (a section's, a module's), unless it is key material pasted there. */
export function shownName(value: string): string {
  return pemLabel(value) !== undefined || looksLikeKeyMaterial(value) ? '(hidden: key material)' : value;
}

// Not from just after a backslash: the `n` of an escaped line break (`\\n`) in a quoted string stays with it.
const B64_RUN = /(?<!\\)[A-Za-z0-9+/]{20,}={0,2}/g;
const LONG_B64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;
/** A word this long is a value quoted back, not our own prose: shown cut (a 1 MB protocol name made a 1 MB message). */
const LONG_WORD = /\S{201,}/g;
/** Longest message text shown; our own sentences stay far below it. */
const MAX_TEXT = 2000;

/**
 * Text for a message, fix title or note, made safe whatever user value a rule quoted into it: key material goes
 * (PEM armour keeps its label; every base64 run is cut out once any of them, or an armour line, shows it is a key),
 * over-long words and texts are cut. The net under every rule's own care (shownString, HIDDEN): a rule quoting a
 * value it did not expect to be a key (`protocol = [[-----BEGIN PRIVATE KEY-----…]]`) still shows nothing of it.
 */
export function safeText(text: string): string {
  // Every message passes here: one pass over the characters decides whether the (slower) regexes are needed.
  const { word, b64 } = longestRuns(text);
  let s = text;
  if ((b64 >= 40 || s.includes('--')) && (PEM_ARMOUR.test(s) || [...s.matchAll(LONG_B64_RUN)].some((m) => looksLikeKeyMaterial(m[0])))) s = s.replace(B64_RUN, '…');
  if (word > 200) s = s.replace(LONG_WORD, (w) => clip(w, 200));
  return clip(s, MAX_TEXT);
}

/** The longest run of non-blank characters and of base64 characters in `s`. */
function longestRuns(s: string): { word: number; b64: number } {
  let word = 0;
  let b64 = 0;
  let w = 0;
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const blank = c === 32 || (c >= 9 && c <= 13);
    w = blank ? 0 : w + 1;
    const isB64 = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    b = isB64 ? b + 1 : 0;
    if (w > word) word = w;
    if (b > b64) b64 = b;
  }
  return { word, b64 };
}
