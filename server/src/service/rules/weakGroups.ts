// A `curveslist` of groups below 112 bits only (`secp160r1:sect163k1`): LuaSec builds the context, but TLS 1.3 has no
// group it may use (RFC 8446 keeps X25519, X448, the NIST P curves and the ffdhe groups) and OpenSSL builds at security
// level 2 skip them for TLS 1.2 too, so no ECDHE key exchange is left (review 151: real LuaSec 1.2 on OpenSSL 3.0,
// TLS 1.3 "no suitable key share", and the intermediate preset's TLS 1.2 suites "no shared cipher").
import { sslKeyReadOn, WEAK_GROUPS } from '../catalog';
import { appliedTables, currentConfig, joinedList, liveField } from './helpers';
import type { Finding, RuleContext } from './types';

const WEAK_LOWER: ReadonlySet<string> = new Set([...WEAK_GROUPS].map((g) => g.toLowerCase()));

export function weakGroupFindings(ctx: RuleContext): Finding[] {
  const config = currentConfig(ctx);
  if (!config || !sslKeyReadOn('curveslist', ctx.line)) return [];
  const out: Finding[] = [];
  for (const t of appliedTables(config, ctx.line)) {
    const f = liveField(t, 'curveslist');
    const joined = f && joinedList(f.value);
    if (!f || !joined) continue;
    const names = joined.parts.map((p) => p.name.trim()).filter((n) => n !== '');
    if (!names.length || !names.every((n) => WEAK_LOWER.has(n.toLowerCase()))) continue;
    out.push({
      range: f.value.range,
      message: `Every group here gives less than 112 bits of security, so no ECDHE key exchange is left: TLS 1.3 may use none of them (its groups are X25519, X448, P-256, P-384, P-521 and the ffdhe ones), so its handshakes fail ("no suitable key share"), and OpenSSL builds at security level 2 (Debian's and Ubuntu's, and OpenSSL's own default from 3.2) skip them for TLS 1.2 as well; LuaSec still builds the context and Prosody starts. Write \`curveslist = "X25519:P-256:P-384"\`, or remove it to keep the default.`,
    });
  }
  return out;
}
