// Hover on a `ciphers` / `ciphersuites` value: what OpenSSL 3.0 makes of it — the ordered suites,
// which lack forward secrecy or are weak — and, for the word under the cursor, what that word is
// and what it did to the list.

import { ALIASES, classify, describeWord, findSuite, legacyInfo, SPECIAL_WORDS, type Suite } from './ciphers';
import { REFUSED_FROM_SECLEVEL_1, usableWeaknesses } from './ciphers/classify';
import type { Step } from './ciphers/evaluate';
import { evaluateInput, MAX_CIPHER_TEXT } from './ciphers/inDocument';
import { evaluateCiphersuites } from './ciphers/tls13';

const MAX_ROWS = 30;

/** `input`: the string (or the list items Prosody joins); `word`: the word under the cursor, if any, and its part/offset. */
export function cipherMarkdown(key: 'ciphers' | 'ciphersuites', input: string | string[], word?: { text: string; offset: number; part?: number }): string {
  return key === 'ciphers' ? ciphersMarkdown(input, word) : ciphersuitesMarkdown(input);
}

function ciphersMarkdown(input: string | string[], word?: { text: string; offset: number; part?: number }): string {
  // The rules' memo: a hover over a string they judged costs nothing more. Past their length bound they judge
  // nothing, and the hover says so rather than spend seconds (a 1 MB string took 5 s a hover).
  const r = evaluateInput(input);
  if (!r) return `**Cipher string** — too long to evaluate here (over ${MAX_CIPHER_TEXT.toLocaleString('en')} characters); the cipher checks skip it too.`;
  const parts: string[] = [];
  if (word) {
    // A step's offset points at its word or at its prefix character.
    const w = wordMarkdown(word.text, r.steps.filter((s) => (s.part ?? 0) === (word.part ?? 0) && s.offset >= word.offset - 1 && s.offset <= word.offset));
    if (w) parts.push(w, '---');
  }
  if (r.error) {
    // OpenSSL's own reason, as Prosody logs it (a reviewer: a syntax error was said as "no cipher match").
    parts.push(`**Cipher string** — OpenSSL 3.0 ${r.error === 'invalid-command' ? 'rejects this string (syntax error)' : 'selects no suite from it'}: LuaSec fails with \`error setting cipher list (${r.error === 'invalid-command' ? 'invalid command' : 'no cipher match'})\`.`);
    return parts.join('\n\n');
  }
  const fs = r.suites.filter((s) => !classify(s).forwardSecrecy);
  // As cipher-weak-suites counts them: what the security level refuses is never used (a reviewer: 12 "weak" here
  // were mostly anonymous suites OpenSSL's default level drops, which the rule rightly leaves out).
  const classes = r.suites.map(classify);
  const weak = classes.filter((c) => usableWeaknesses(c, r.seclevel).length);
  const unused = classes.filter((c) => c.weak.length && !usableWeaknesses(c, r.seclevel).length);
  const refused = [...REFUSED_FROM_SECLEVEL_1];
  parts.push(
    `**Cipher string** — selects ${r.suites.length} TLS 1.2-and-older suite${r.suites.length === 1 ? '' : 's'} on OpenSSL 3.0, most preferred first.` +
      (fs.length ? ` ${fs.length} without forward secrecy.` : ' All with forward secrecy.') +
      (weak.length ? ` ⚠ ${weak.length} weak.` : '') +
      (unused.length ? ` ${unused.length} that OpenSSL's security level never uses (${refused.slice(0, -1).join(', ')} or ${refused.at(-1)}; only \`@SECLEVEL=0\` lets them in).` : ''),
  );
  parts.push(suiteTable(r.suites, r.seclevel));
  if (r.seclevel !== undefined) parts.push(`\`@SECLEVEL=${r.seclevel}\`: at connection time OpenSSL also drops suites and keys below that security level.`);
  parts.push(`TLS 1.3 suites are not chosen by \`ciphers\`; the \`ciphersuites\` key sets them (OpenSSL's default: ${r.tls13.map((s) => `\`${s.stdName}\``).join(', ')}).`);
  return parts.join('\n\n');
}

function ciphersuitesMarkdown(input: string | string[]): string {
  const r = evaluateCiphersuites(input);
  if (r.error) return '**TLS 1.3 suites** — none of these names is a TLS 1.3 suite: LuaSec fails with `error setting cipher list (no cipher match)`.';
  // A TLS 1.2 suite's standard name is taken too (tls13.ts), for TLS 1.2 only: listed apart (a reviewer saw one
  // counted among the TLS 1.3 suites).
  const tls13 = r.suites.filter((s) => s.protocol === 'TLSv1.3');
  const tls12 = r.suites.filter((s) => s.protocol !== 'TLSv1.3');
  const out = tls13.length
    ? [`**TLS 1.3 suites** — ${tls13.length} offered, in this order:`, tls13.map((s) => `- \`${s.stdName}\` (${s.enc}, ${s.encBits} bits)`).join('\n')]
    : ['**TLS 1.3 suites** — none: where TLS 1.3 is allowed, OpenSSL then refuses every handshake, TLS 1.2 ones too ("no ciphers available").'];
  if (tls12.length) out.push(`TLS 1.2 suites named by their standard names, which OpenSSL takes here and offers to TLS 1.2 clients ahead of the \`ciphers\` list: ${tls12.map((s) => `\`${s.stdName}\` (\`${s.name}\`)`).join(', ')}.`);
  if (r.unknownWords.length) out.push(`Ignored by OpenSSL: ${r.unknownWords.map((w) => `\`${w.word}\``).join(', ')}.`);
  return out.join('\n\n');
}

function suiteTable(suites: readonly Suite[], seclevel: number | undefined): string {
  if (!suites.length) return '';
  const rows = suites.slice(0, MAX_ROWS).map((s, i) => {
    const c = classify(s);
    const usable = usableWeaknesses(c, seclevel);
    const weakNote = usable.length ? `⚠ ${usable.join(', ')}` : c.weak.length ? `${c.weak.join(', ')}: never used at this security level` : '';
    const note = [weakNote, c.forwardSecrecy ? '' : 'no forward secrecy'].filter(Boolean).join('; ');
    return `| ${i + 1} | \`${s.name}\` | ${s.protocol} | ${s.kx} | ${s.au} | ${s.enc} | ${s.encBits} | ${note} |`;
  });
  const more = suites.length > MAX_ROWS ? `\n\n… and ${suites.length - MAX_ROWS} more.` : '';
  return `| # | suite | since | kx | auth | enc | bits | notes |\n|---|---|---|---|---|---|---|---|\n${rows.join('\n')}${more}`;
}

function wordMarkdown(text: string, steps: readonly Step[]): string | undefined {
  const bare = text.replace(/^[!+-]/, '');
  const what = describeWord(bare.split('+')[0]!.replace(/=.*$/, ''));
  const lines: string[] = [];
  const suite = findSuite(bare);
  if (suite) {
    const c = classify(suite);
    lines.push(`**${bare}** — cipher suite \`${suite.stdName}\`: ${suite.kx} key exchange, ${suite.au} authentication, ${suite.enc} (${suite.encBits} bits), MAC ${suite.mac}${c.forwardSecrecy ? '' : ' — no forward secrecy'}${c.weak.length ? ` — ⚠ weak (${c.weak.join(', ')})` : ''}.`);
    // `ciphers` only chooses TLS 1.2-and-older suites (wrong-suite-kind / suite-skipped say so too).
    if (suite.protocol === 'TLSv1.3') lines.push('A TLS 1.3 suite: `ciphers` never selects it (OpenSSL skips the name); it belongs in `ciphersuites`.');
  } else if ((what.kind === 'alias' || what.kind === 'unavailable-alias') && bare.includes('+')) {
    // `HIGH+kEDH` selects the suites every part selects (a reviewer: the hover described `HIGH` alone).
    const parts = bare.split('+').filter(Boolean).map((p) => `\`${p}\` (${ALIASES.find((a) => a.name === p)?.doc ?? describeWord(p).doc ?? 'unknown to OpenSSL'})`);
    lines.push(`**${bare}** — the suites that match every part: ${parts.join('; ')}.`);
  } else if (what.kind === 'alias' || what.kind === 'unavailable-alias') {
    const alias = ALIASES.find((a) => a.name === bare);
    lines.push(`**${bare}** — ${alias?.doc ?? what.doc ?? 'cipher alias'}${what.kind === 'unavailable-alias' ? ' (this OpenSSL build has no such suites, so it selects nothing)' : ''}.`);
  } else if (what.kind === 'special') {
    const key = (Object.keys(SPECIAL_WORDS) as Array<keyof typeof SPECIAL_WORDS>).find((k) => bare.startsWith(k));
    lines.push(`**${bare}** — ${key ? SPECIAL_WORDS[key] : 'a command word'}.`);
  } else {
    const legacy = legacyInfo(bare);
    lines.push(legacy ? `**${bare}** — selects nothing on OpenSSL 3: ${legacy.reason}.` : `**${bare}** — OpenSSL does not know this word and ignores it.`);
  }
  const prefix = text[0];
  if (prefix === '!') lines.push('`!` removes the matching suites for good: later words cannot add them back.');
  else if (prefix === '-') lines.push('`-` removes the matching suites; later words may add them again.');
  else if (prefix === '+') lines.push('`+` moves the matching suites that are already selected to the end of the list.');
  for (const s of steps) {
    if (s.fromDefault) continue;
    const n = s.affected.length;
    const verb = s.op === 'add' ? 'added' : s.op === 'remove' || s.op === 'kill' ? 'removed' : s.op === 'moveToEnd' ? 'moved to the end' : '';
    if (verb) lines.push(`Here it ${verb} ${n} suite${n === 1 ? '' : 's'}${n ? `: ${s.affected.slice(0, 6).map((x) => `\`${x}\``).join(', ')}${n > 6 ? ` and ${n - 6} more` : ''}` : ''}.`);
  }
  return lines.join('\n\n');
}
