// A certificate or key path into certbot's archive (`/etc/letsencrypt/archive/<name>/fullchain1.pem`): each
// issuance gets a new number there and only the `live/<name>/` links move on renewal, so Prosody keeps the
// numbered copy until it expires (Let's Encrypt certificates last 90 days). Read from the path as written.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { configPathRefs, type PathRef } from '../fileRefs';
import { getField, type LuaValue } from '../model/values';
import { currentConfig, luaString, replaceFix } from './helpers';
import type { Finding, Rule, RuleContext } from './types';

const ARCHIVED = /^(.*\/letsencrypt\/)archive\/([^/]+)\/(cert|chain|fullchain|privkey)(\d+)\.pem$/;

/** The paths the config names that match `re`, with the match; `part` a text every such path holds. */
function pathsMatching(ctx: RuleContext, part: string, re: RegExp): Array<{ ref: PathRef; m: RegExpExecArray }> {
  const config = currentConfig(ctx);
  // Typing runs the rules over a few sections: look in their values, not the whole text.
  if (!config || !config.settings.some((st) => holds(st.value, part))) return [];
  return configPathRefs({ config, shift: () => 0 }, '/').flatMap((ref) => {
    const m = re.exec(ref.value);
    return m ? [{ ref, m }] : [];
  });
}

function archivedPaths(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const { ref, m } of pathsMatching(ctx, '/archive/', ARCHIVED)) {
    // The server certificate alone would lose its chain (certbot-cert-without-chain): the full chain's link instead.
    const kind = m[3] === 'cert' ? 'fullchain' : m[3];
    const live = `${m[1]}live/${m[2]}/${kind}.pem`;
    out.push({
      range: ref.range,
      message: `\`${m[3]}${m[4]}.pem\` in certbot's archive is the copy of one issuance: a renewal writes \`${m[3]}${Number(m[4]) + 1}.pem\` and moves only the links in \`live/\`, so Prosody keeps this certificate until it expires (Let's Encrypt's last 90 days). Use \`${live}\`, which always points at the current one${kind !== m[3] ? ' (with the intermediate certificate clients need, which `cert.pem` leaves out)' : ''}.`,
      fixes: [replaceFix(ref.range, luaString(live), `Change to ${live}`)],
    });
  }
  return out;
}

const LIVE_CERT = /^(.*\/letsencrypt\/live\/[^/]+\/)cert\.pem$/;

/**
 * certbot's `live/<name>/cert.pem` is the server certificate without its intermediate: clients that do not hold the
 * intermediate already cannot build a path to the root (review 141: against a real 0.12.3, `openssl s_client
 * -verify_hostname` gave "unable to verify the first certificate", and fullchain.pem verified).
 */
function leafOnlyPaths(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const { ref, m } of pathsMatching(ctx, '/live/', LIVE_CERT)) {
    if (ref.role !== 'certificate' && ref.role !== 'host-certificate' && ref.role !== 'service-certificate') continue;
    // A `cafile` or `capath` beside it gives OpenSSL the intermediate to send (review 142: real 0.11.9, 0.12.3 and 13.0.1
    // sent the chain built from it).
    if (ref.tls && (getField(ref.tls.table, 'cafile') || getField(ref.tls.table, 'capath'))) continue;
    const full = `${m[1]}fullchain.pem`;
    out.push({
      range: ref.range,
      message: `certbot's \`cert.pem\` holds the server certificate alone, without the intermediate certificate of Let's Encrypt that links it to a root clients trust: clients and servers that do not have that intermediate already fail to verify it ("unable to verify the first certificate"). Use \`${full}\`, which holds both (the key stays \`privkey.pem\`).`,
      fixes: [replaceFix(ref.range, luaString(full), `Change to ${full}`, true)],
    });
  }
  return out;
}

function holds(v: LuaValue, part: string): boolean {
  if (v.kind === 'string') return v.value.includes(part);
  return v.kind === 'table' && (v.items.some((i) => holds(i, part)) || v.fields.some((f) => holds(f.value, part)));
}

export const certbotRules: readonly Rule[] = [
  {
    id: 'certbot-archive-path', category: 'pitfall', severity: DiagnosticSeverity.Warning,
    title: 'Certificate path into certbot\'s archive',
    description: 'certbot keeps each issuance as a numbered file in `/etc/letsencrypt/archive/<name>/` and on renewal moves only the links in `live/<name>/`. A config naming `fullchain1.pem` or `privkey1.pem` keeps serving that certificate until it expires; point it at the `live/` path.',
    check: archivedPaths,
  },
  {
    id: 'certbot-cert-without-chain', category: 'pitfall', severity: DiagnosticSeverity.Warning,
    title: 'certbot\'s cert.pem named as the certificate (no intermediate)',
    description: 'In `/etc/letsencrypt/live/<name>/`, `cert.pem` is the server certificate alone and `fullchain.pem` the same certificate followed by its intermediate. OpenSSL sends what the file holds, so with `cert.pem` clients that do not already hold the intermediate cannot verify the server ("unable to verify the first certificate"). Name `fullchain.pem` as the certificate. Not said where a `cafile` or `capath` in the same table lets OpenSSL find the intermediate and send it.',
    check: leafOnlyPaths,
  },
];
