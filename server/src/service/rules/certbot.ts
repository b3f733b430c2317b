// A certificate or key path into certbot's archive (`/etc/letsencrypt/archive/<name>/fullchain1.pem`): each
// issuance gets a new number there and only the `live/<name>/` links move on renewal, so Prosody keeps the
// numbered copy until it expires (Let's Encrypt certificates last 90 days). Read from the path as written.
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { configPathRefs } from '../fileRefs';
import type { LuaValue } from '../model/values';
import { currentConfig, luaString, replaceFix } from './helpers';
import type { Finding, Rule, RuleContext } from './types';

const ARCHIVED = /^(.*\/letsencrypt\/)archive\/([^/]+)\/(cert|chain|fullchain|privkey)(\d+)\.pem$/;

function archivedPaths(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  // Typing runs the rules over a few sections: look in their values, not the whole text.
  if (!config || !config.settings.some((st) => holds(st.value, '/archive/'))) return [];
  const out: Finding[] = [];
  for (const ref of configPathRefs({ config, shift: () => 0 }, '/')) {
    const m = ARCHIVED.exec(ref.value);
    if (!m) continue;
    const live = `${m[1]}live/${m[2]}/${m[3]}.pem`;
    out.push({
      range: ref.range,
      message: `\`${m[3]}${m[4]}.pem\` in certbot's archive is the copy of one issuance: a renewal writes \`${m[3]}${Number(m[4]) + 1}.pem\` and moves only the links in \`live/\`, so Prosody keeps this certificate until it expires (Let's Encrypt's last 90 days). Use \`${live}\`, which always points at the current one.`,
      fixes: [replaceFix(ref.range, luaString(live), `Change to ${live}`)],
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
];
