// fast-check generators of realistic Prosody config text (sections, options, TLS tables with
// keys, values, option lists and maps, per-port tables, comments, odd strings) and of edits to it.
import fc from 'fast-check';

const name = fc.constantFrom('protocol', 'ciphers', 'ciphersuites', 'curveslist', 'options', 'verify', 'verifyext', 'key', 'certificate', 'dhparam', 'cafile', 'capath', 'password', 'depth', 'curve', 'alpn', 'mode', 'bogus_key', 'Protocol');
const word = fc.constantFrom('tlsv1_2+', 'tlsv1_3', 'sslv23', 'tlsv1', 'HIGH:!aNULL', 'DEFAULT', 'X25519:P-256', 'prime256v1', 'no_ticket', 'no_sslv3', 'peer', 'none', 'client_once', '/etc/prosody/certs/a.key', 'certs', '', 'x"y', 'a\\nb');
const stringLit = fc.oneof(
  word.map((w) => JSON.stringify(w)),
  word.map((w) => `'${w.replace(/'/g, "\\'")}'`),
  word.map((w) => `[[${w}]]`),
  word.map((w) => `[==[${w}]==]`),
);
const scalar = fc.oneof(stringLit, fc.constantFrom('true', 'false', 'nil', '2', '-1', '0x10', 'some_var', 'os.getenv("X")', '"a" .. "b"'));
const list = fc.array(stringLit, { maxLength: 4 }).chain((xs) => fc.constantFrom(',', ';').map((sep) => `{ ${xs.join(sep + ' ')} }`));
const map = fc.array(fc.tuple(fc.constantFrom('no_ticket', 'no_sslv3', 'single_dh_use', 'bogus'), fc.constantFrom('true', 'false', '"yes"')), { maxLength: 3 }).map((xs) => `{ ${xs.map(([k, v]) => `${k} = ${v}`).join(', ')} }`);
const field = fc.tuple(name, fc.oneof(scalar, list, map)).map(([k, v]) => `${k} = ${v}`);
const sslTable = fc.tuple(fc.array(field, { maxLength: 5 }), fc.constantFrom(';', ',', ''), fc.constantFrom('\n\t', ' ')).map(([fs, sep, ws]) => `{${ws}${fs.join(sep + ws)}${ws}}`);
const sslOption = fc.constantFrom('ssl', 'c2s_ssl', 's2s_ssl', 'https_ssl', 'c2s_direct_tls_ssl', 'legacy_ssl_ssl');
const portTable = sslTable.map((t) => `{ [5281] = ${t}; ["127.0.0.1"] = ${t} }`);
const statement = fc.oneof(
  fc.tuple(sslOption, fc.oneof({ weight: 4, arbitrary: sslTable }, { weight: 1, arbitrary: portTable })).map(([o, t]) => `${o} = ${t}`),
  fc.tuple(fc.constantFrom('c2s_require_encryption', 's2s_require_encryption', 's2s_secure_auth', 'tls_profile', 'certificates', 'modules_enabled', 'admins', 'enabled'), fc.oneof(scalar, list)).map(([k, v]) => `${k} = ${v}`),
  fc.constantFrom('-- a comment', '--[[ long\ncomment ]]', '-- prosody-ssl: disable-next-line', '-- prosody-ssl: version=0.12', 'local x = 1', 'Include "conf.d/*.cfg.lua"', 'if x then ssl = { protocol = "tlsv1" } end'),
  fc.tuple(fc.constantFrom('VirtualHost', 'Component'), word).map(([h, n]) => `${h} ${JSON.stringify(n || 'example.org')}${h === 'Component' ? ' "muc"' : ''}`),
);

/** A config: statements separated by line ends (LF, CRLF or CR). */
export const configText = fc
  .tuple(fc.array(statement, { minLength: 1, maxLength: 12 }), fc.constantFrom('\n', '\n', '\r\n', '\r'), fc.boolean())
  .map(([sts, eol, bom]) => (bom ? '\uFEFF' : '') + sts.join(eol) + eol);

/** Characters edits insert: syntax that breaks and repairs tables and strings, plus odd code units. */
const editText = fc.oneof(
  fc.constantFrom('{', '}', '"', "'", '=', ',', ';', '[[', ']]', '--', '\n', '\r\n', ' ', 'ssl = {', 'protocol = "', '\0', '\uD800', '\uDC00', '\uFEFF', 'é', '😀'),
  fc.string({ maxLength: 6 }),
);

export interface Edit {
  /** Fractions of the current length, so edits stay meaningful as the text changes. */
  readonly at: number;
  readonly del: number;
  readonly text: string;
}

export const edit: fc.Arbitrary<Edit> = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat({ max: 8 }), text: editText });

/** Resolves an edit against a text: [start, end) in UTF-16 offsets and the inserted text. */
export function resolveEdit(text: string, e: Edit): { start: number; end: number; text: string } {
  // An LSP position cannot point between the \r and \n of a CRLF: snap such offsets before the pair.
  const snap = (o: number): number => (o > 0 && text[o - 1] === '\r' && text[o] === '\n' ? o - 1 : o);
  const start = snap(Math.min(text.length, Math.floor(e.at * (text.length + 1))));
  return { start, end: Math.max(start, snap(Math.min(text.length, start + e.del))), text: e.text };
}

/** Fixed-seed runs in CI; PROSODY_SSL_SOAK=1 runs many more with a random seed (printed on failure). */
export function runs(ci: number): fc.Parameters<unknown> {
  return process.env.PROSODY_SSL_SOAK ? { numRuns: ci * 50 } : { numRuns: ci, seed: 20260101 };
}
