// Real configs by other people (../shared/corpus, never copied here): every plain file and template is validated
// with the Prosody line its notes name (else 0.12), and the diagnostics of this rules (syntax, invalid,
// unsafe, pitfall) must be exactly the expected ones — no others. Cipher-string and file rules belong to other
// issues and are not asserted here. Templates that are not Lua give one syntax error and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, type ProsodyLine } from '../../server/src/service';
import { getRule } from '../../server/src/service/rules';
import { REPO_ROOT } from '../helpers/snippets';

const CORPUS = process.env.PROSODY_CORPUS ?? path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
const MINE = new Set(['syntax', 'invalid', 'unsafe', 'pitfall']);

/** Lines named by SOURCES.tsv notes (shipped version, "0.9 config", "0.9-0.11-era", "Prosody 13", "modern (0.12+)"). */
const LINES: Readonly<Record<string, ProsodyLine>> = {
  '001-prosody-dist-0.7.cfg.lua': '0.9',
  '003-prosody-dist-0.12.0.cfg.lua': '0.12',
  '005-prosody-spec-tls-config3.cfg.lua': '13.0',
  '007-chicagolug.cfg.lua': '0.9',
  '013-ari-lt.cfg.lua': '0.12',
  '017-ilkkaya-best-configs.cfg.lua': '0.11',
  '049-atl-chat-13-features.cfg.lua': '13.0',
  // Snikket bundles its own Prosody: the file uses 13.0's config loader (FileLine(), Lua.*, option:append), which 0.12 refuses.
  '059-snikket.cfg.lua': '13.0',
};

/** file → `rule@line:covered text`, in the order the rule table reports them. */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
// (0.9 takes a table that writes no protocol with its default "sslv23": TLS 1.0 and 1.1 on, review 131.)
  '001-prosody-dist-0.7.cfg.lua': ['unsafe-protocol@82:ssl'],
  '003-prosody-dist-0.12.0.cfg.lua': [],
  // Prosody's own spec config: *_ssl under a host are read for SNI (0.12+ portmanager add_sni_host), check calls them misplaced
  '005-prosody-spec-tls-config3.cfg.lua': ['check-says-misplaced@16:https_ssl', 'check-says-misplaced@21:c2s_direct_tls_ssl'],
  '007-chicagolug.cfg.lua': ['unsafe-protocol@176:ssl'],
  // Prosody-default no-op flags copied in; legacy_ssl_* renamed in 0.12
  '009-eseifert-trashserver.cfg.lua': ['noop-option@58:no_sslv2', 'noop-option@58:single_dh_use', 'noop-option@58:single_ecdh_use', 'deprecated-option@157:legacy_ssl_interfaces', 'deprecated-option@158:legacy_ssl_ports'],
  // notes: c2s_require_encryption=false
  // …and certbot archive paths, which a renewal leaves behind (a reviewer)
  '011-chrobid.cfg.lua': ['insecure-setting@108:false', 'certbot-archive-path@176:"/etc/letsencrypt/archive/im.chro.bid/privkey1.pem"', 'certbot-archive-path@177:"/etc/letsencrypt/archive/im.chro.bid/fullchain1.pem"'],
  // notes: deprecated legacy_ssl_ports
  '013-ari-lt.cfg.lua': ['deprecated-option@200:legacy_ssl_ports'],
  '015-jjj333-p.cfg.lua': [],
  // notes: curve = "secp521r1" (ignored: default curveslist); tls_policy table stays quiet
  // (Its hosts' own `ssl` write no protocol and no global one gives it: 0.11's default "tlsv1+", TLS 1.0 on a real 0.11.9.)
  '017-ilkkaya-best-configs.cfg.lua': ['unsafe-protocol@63:ssl', 'unsafe-protocol@69:ssl', 'curve-ignored@74:curve', 'noop-option@73:no_sslv2'],
  '019-decent-im.cfg.lua': [],
  '021-xmpp-is-main.cfg.lua': [],
  // notes: curve = "secp256k1" ignored where the default curveslist applies
  '023-nsakey-paranoid.cfg.lua': ['curve-ignored@97:curve', 'noop-option@95:no_sslv2'],
  '025-dev-xmpp-is.cfg.lua': ['deprecated-option@6:legacy_ssl_ports'],
  // notes: derived from 023, same curve
  '027-xmpp-server-tor.cfg.lua': ['curve-ignored@93:curve', 'noop-option@91:no_sslv2'],
  '029-k0ral-2016.cfg.lua': [],
  '031-lqdn-jabberservice.cfg.lua': ['noop-option@161:no_sslv2', 'noop-option@162:single_dh_use', 'noop-option@162:single_ecdh_use'],
  '033-darklajid-ansible.cfg.lua': [],
  '035-sarasmiseth-05-vhost.cfg.lua': ['deprecated-option@9:legacy_ssl_ssl', 'deprecated-option@13:legacy_ssl_ports'],
  '037-tob1as-docker.cfg.lua': [],
  // notes: protocol = "tlsv1_1+"
  '039-datafeedsllc.cfg.lua': ['unsafe-protocol@42:"tlsv1_1+"', 'noop-option@40:no_sslv2', 'noop-option@40:single_dh_use', 'noop-option@40:single_ecdh_use'],
  // c2s_ssl_ports: no such service (c2s_ssl is a TLS table), so 5223 never opens (a reviewer)
  '041-vilgosha.cfg.lua': ['ports-not-read@218:c2s_ssl_ports', 'ports-not-read@219:c2s_ssl_interfaces'],
  '043-ichuan.cfg.lua': ['deprecated-option@163:legacy_ssl_ports', 'deprecated-option@164:legacy_ssl_ssl'],
  // notes: SYNTAX ERROR, missing separator in the ssl table
  '045-sanpii-joseph.pro.cfg.lua': ['syntax-error@6:certificate'],
  '047-atl-chat-production.cfg.lua': [],
  '049-atl-chat-13-features.cfg.lua': [],
  '051-yunohost-prosody-domain-tpl.cfg.lua': [],
  // notes: c2s_require_encryption=false on the main host
  '053-jitsi-meet-jvb-example.cfg.lua': ['insecure-setting@67:false'],
  '055-docker-jitsi-meet-main.cfg.lua': ['syntax-error@1:{'],
  // notes: c2s_require_encryption=false on host
  '057-jitsi-freebsd.cfg.lua': ['insecure-setting@76:false'],
  '059-snikket.cfg.lua': [],
  '061-citronalco-role.cfg.lua': ['syntax-error@176:{'],
  '063-librenet-role.cfg.lua': ['syntax-error@1:%'],
  '065-sv0-role.cfg.lua': ['syntax-error@17:%'],
  '067-computerlyrik-chef-erb.cfg.lua': ['syntax-error@12:<'],
  '069-michik-host.cfg.lua': ['noop-option@10:no_sslv2', 'noop-option@15:single_dh_use', 'noop-option@16:single_ecdh_use'],
  // same ssl as upstream Jitsi; c2s_require_encryption=false
  '071-coderbunker-jitsi-host.cfg.lua': ['insecure-setting@58:false'],
  // notes: s2s_require_encryption/s2s_secure_auth after VirtualHost (mod_s2s reads s2s_secure_auth only globally)
  // consider_bosh_secure under the host: mod_bosh is global (module:set_global), so BOSH there is not treated as secure.
  '073-onioncomms-vhost.cfg.lua': ['global-option-in-host@53:s2s_secure_auth', 'global-option-in-host@156:consider_bosh_secure', 'check-says-misplaced@52:s2s_require_encryption'],
  '075-meonwax-docker.cfg.lua': [],
  // `VirtualHost = "localhost"` (and "example.com"): assignments, so the config declares no host at all
  '077-sfoxdev-docker.cfg.lua': ['section-assigned@166:VirtualHost', 'section-assigned@168:VirtualHost'],
  '079-tbox.cfg.lua': [],
};

interface Source { file: string; kind: string; luaParses: string; notes: string }

function sources(): Source[] {
  const tsv = fs.readFileSync(path.join(CORPUS, 'SOURCES.tsv'), 'utf8').trim().split('\n').slice(1);
  return tsv.map((l) => l.split('\t')).map((c) => ({ file: c[0]!, kind: c[4]!, luaParses: c[6]!, notes: c[7] ?? '' }));
}

const service = createLanguageService();

test('the corpus is there and every file has an expectation', () => {
  assert.ok(fs.existsSync(CORPUS), `corpus not found at ${CORPUS} (set PROSODY_CORPUS)`);
  const files = sources().map((s) => s.file);
  assert.ok(files.length >= 30, `${files.length} files`);
  assert.deepEqual([...files].sort(), Object.keys(EXPECTED).sort());
});

for (const src of sources()) {
  test(`corpus ${src.file} (${src.kind}, lua ${src.luaParses})`, () => {
    const text = fs.readFileSync(path.join(CORPUS, src.file), 'utf8');
    const doc = TextDocument.create(`file:///corpus/${src.file}`, 'prosody', 1, text);
    const line = LINES[src.file] ?? '0.12';
    const all = service.doValidation(doc, { prosodyVersion: line });
    const got = all.filter((d) => MINE.has(getRule(String(d.code))?.category ?? '')).map((d) => `${String(d.code)}@${d.range.start.line + 1}:${doc.getText(d.range)}`);
    console.log(`${src.file} [${line}]: ${got.length ? got.join(' | ') : 'no findings'}`);
    assert.deepEqual(got, EXPECTED[src.file]);
    const syntax = all.filter((d) => d.code === 'syntax-error');
    if (src.luaParses.endsWith('fail')) assert.equal(syntax.length, 1, 'a non-Lua file gives exactly one syntax error');
    else assert.equal(syntax.length, 0, 'a file that parses as Lua gives no syntax error');
    if (syntax.length) assert.deepEqual(all.filter((d) => getRule(String(d.code))?.category !== 'files').map((d) => d.code), ['syntax-error'], 'nothing but the syntax error on a file that does not parse');
  });
}
