// `lsec_continue` taken out of the `verifyext` server-to-server connections use (0.9–0.12). Those contexts verify the
// remote server's certificate (0.9–0.11's default `verify`, 0.12's s2s layer in mod_tls), and `lsec_continue` is what
// lets a certificate that does not verify through to Prosody, which then falls back to dialback. Without it the TLS
// handshake itself fails (review 151: LuaSec 1.2 on OpenSSL 3.0, "certificate verify failed" for a self-signed peer
// certificate, a working handshake with the flag). 13.0's mod_tls adds the flag for s2s itself.
import { effectiveSettings } from '../model/layering';
import { currentConfig, layerContextsOf, liveField, nameRefs, readTables, removeEntriesFix } from './helpers';
import type { Finding, RuleContext } from './types';

export function s2sNoContinueFindings(ctx: RuleContext): Finding[] {
  if (ctx.line === '13.0') return [];
  const config = currentConfig(ctx);
  if (!config) return [];
  const out: Finding[] = [];
  for (const t of readTables(config, ctx.line)) {
    if (t.sub !== undefined || !layerContextsOf(config, t).includes('s2s')) continue;
    const f = liveField(t, 'verifyext');
    if (!f || f.value.kind === 'expression') continue;
    const refs = nameRefs(f.value);
    // 0.10+ merge the set over the defaults (only `lsec_continue = false` takes it out); 0.9 takes the list whole.
    const off = ctx.line === '0.9' ? f.value.kind === 'table' && !f.value.fields.length && !refs.some((r) => r.name === 'lsec_continue' && r.on) : refs.some((r) => r.name === 'lsec_continue' && !r.on);
    if (!off) continue;
    const layers = effectiveSettings(config, t.section, 's2s', ctx.line);
    const ext = layers.find((e) => e.key === 'verifyext');
    if (!ext?.flags || ext.flags.get('lsec_continue') === true) continue; // a layer above puts it back, or computed
    // Only where the certificate is asked for: a `verify` without "peer" is verify-none-s2s's.
    const verify = layers.find((e) => e.key === 'verify');
    if (verify && verify.range && !verify.value.includes('"peer"')) continue;
    const written = refs.find((r) => r.name === 'lsec_continue' && !r.on);
    out.push({
      range: written ? written.range : f.value.range,
      message: `${ctx.line === '0.9' ? 'This `verifyext` replaces Prosody 0.9\'s default list, which holds `lsec_continue`: without it' : 'Without `lsec_continue`'}, a server connecting to this one whose certificate does not verify (self-signed, from an unknown CA, expired) fails the TLS handshake ("certificate verify failed"), where Prosody would otherwise let it through and fall back to dialback: such servers can no longer federate with this one. ${written ? 'Remove `lsec_continue = false`' : 'Add `"lsec_continue"` to the list'} to keep Prosody's default.`,
      fixes: written ? [removeEntriesFix(ctx.doc.getText(), [written.entry], 'Remove lsec_continue = false', true)] : [],
    });
  }
  return out;
}
