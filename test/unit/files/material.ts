// Real certificates, keys and DH parameters made with the system's `openssl` in a temp dir, once per test process.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Material {
  dir: string;
  file(name: string): string;
  read(name: string): Buffer;
}

function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function selfSigned(cwd: string, name: string, keyArgs: string[], subj: string, sans: string | undefined, days = '90'): void {
  const ext = sans ? ['-addext', `subjectAltName=${sans}`] : [];
  openssl(cwd, 'req', '-x509', ...keyArgs, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', subj, '-days', days, ...ext);
}

const RSA = ['-newkey', 'rsa:2048'];

/** A CA config so `openssl ca` can write certificates with explicit (past) validity dates. */
function writeCaConfig(cwd: string): void {
  fs.writeFileSync(path.join(cwd, 'index.txt'), '');
  fs.writeFileSync(path.join(cwd, 'serial'), '01\n');
  fs.writeFileSync(
    path.join(cwd, 'ca.cnf'),
    [
      '[ ca ]', 'default_ca = my', '[ my ]', 'database = ./index.txt', 'new_certs_dir = .', 'serial = ./serial',
      'default_md = sha256', 'policy = pol', 'unique_subject = no', 'copy_extensions = copy',
      '[ pol ]', 'commonName = supplied', '[ v3ca ]', 'basicConstraints = critical,CA:true',
      'keyUsage = keyCertSign,cRLSign', '',
    ].join('\n'),
  );
}

let cached: Material | undefined;

export function material(): Material {
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prosody-ssl-files-'));
  const o = (...a: string[]) => openssl(dir, ...a);
  selfSigned(dir, 'rsa', RSA, '/CN=example.com', 'DNS:example.com,DNS:conference.example.com');
  o('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'other.key');
  o('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-aes256', '-pass', 'pass:secret', '-out', 'enc.key');
  o('rsa', '-in', 'rsa.key', '-aes256', '-passout', 'pass:secret', '-traditional', '-out', 'enc-legacy.key');
  o('rsa', '-in', 'rsa.key', '-traditional', '-out', 'rsa-pkcs1.key');
  selfSigned(dir, 'rsa1024', ['-newkey', 'rsa:1024'], '/CN=small.example', 'DNS:small.example');
  selfSigned(dir, 'ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=ec.example', 'DNS:ec.example');
  selfSigned(dir, 'ed', ['-newkey', 'ed25519'], '/CN=ed.example', 'DNS:ed.example');
  selfSigned(dir, 'wronghost', RSA, '/CN=other.org', 'DNS:other.org,DNS:www.other.org');
  selfSigned(dir, 'wildcard', RSA, '/CN=wildcard.example.net', 'DNS:*.example.net');
  selfSigned(dir, 'cnonly', RSA, '/CN=cnonly.example', undefined);
  // A Let's Encrypt-style certificate for an IDN host, names in punycode.
  selfSigned(dir, 'idn', RSA, '/CN=xn--bcher-kva.example', 'DNS:xn--bcher-kva.example');
  // A wildcard in the CN and no SAN: Prosody's index skips such a CN (idna_to_ascii refuses `*`).
  selfSigned(dir, 'wildcn', RSA, '/CN=*.wild.test', undefined);
  selfSigned(
    dir, 'xmpp', RSA, '/CN=xmpp.example',
    'DNS:xmpp.example,otherName:1.3.6.1.5.5.7.8.5;UTF8:xmpp.example,otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-client.chat.xmpp.example',
  );
  // Only XMPP names (Prosody's verify_identity reads these; the CN is then not consulted).
  selfSigned(dir, 'xmpponly', RSA, '/CN=nothing', 'otherName:1.3.6.1.5.5.7.8.5;UTF8:xmpp-only.example');
  selfSigned(dir, 'srvonly', RSA, '/CN=nothing', 'otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.srv-only.example');
  selfSigned(dir, 'short', RSA, '/CN=short.example', 'DNS:short.example', '1');
  fs.writeFileSync(path.join(dir, 'combined.pem'), Buffer.concat([fs.readFileSync(path.join(dir, 'rsa.crt')), fs.readFileSync(path.join(dir, 'rsa.key'))]));

  // Expired: issued for January 2020 with `openssl ca -selfsign`, which accepts explicit dates.
  writeCaConfig(dir);
  o('req', '-new', ...RSA, '-nodes', '-keyout', 'expired.key', '-out', 'expired.csr', '-subj', '/CN=old.example', '-addext', 'subjectAltName=DNS:old.example');
  o('ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'expired.key', '-in', 'expired.csr', '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-out', 'expired.crt', '-notext');

  // A small CA and a leaf it signed, for chain files.
  o('req', '-x509', ...RSA, '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Test Root CA', '-days', '30', '-addext', 'basicConstraints=critical,CA:true');
  o('req', '-new', ...RSA, '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=chain.example', '-addext', 'subjectAltName=DNS:chain.example');
  o('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '20', '-copy_extensions', 'copy', '-out', 'leaf.crt');
  const leaf = fs.readFileSync(path.join(dir, 'leaf.crt'));
  const ca = fs.readFileSync(path.join(dir, 'ca.crt'));
  fs.writeFileSync(path.join(dir, 'fullchain.pem'), Buffer.concat([leaf, ca]));
  fs.writeFileSync(path.join(dir, 'badchain.pem'), Buffer.concat([ca, leaf]));
  // An EC P-256 leaf under that RSA-2048 CA (the shape of Let's Encrypt's R10/R11 chains): the CA's key sets the limit.
  o('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ecleaf.key', '-out', 'ecleaf.csr', '-subj', '/CN=ecchain.example', '-addext', 'subjectAltName=DNS:ecchain.example');
  o('x509', '-req', '-in', 'ecleaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '20', '-copy_extensions', 'copy', '-out', 'ecleaf.crt');
  fs.writeFileSync(path.join(dir, 'ecfullchain.pem'), Buffer.concat([fs.readFileSync(path.join(dir, 'ecleaf.crt')), ca]));
  // Signed with hashes OpenSSL refuses (cert-weak-signature): the leaf itself, an intermediate, and a self-signed one (exempt).
  o('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '20', '-copy_extensions', 'copy', '-sha1', '-out', 'sha1leaf.crt');
  o('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '20', '-copy_extensions', 'copy', '-md5', '-out', 'md5leaf.crt');
  o('req', '-new', '-key', 'ca.key', '-out', 'int.csr', '-subj', '/CN=SHA1 Intermediate');
  fs.writeFileSync(path.join(dir, 'int.ext'), 'basicConstraints=critical,CA:true\n');
  o('x509', '-req', '-in', 'int.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '20', '-extfile', 'int.ext', '-sha1', '-out', 'sha1int.crt');
  o('x509', '-req', '-in', 'leaf.csr', '-CA', 'sha1int.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '20', '-copy_extensions', 'copy', '-out', 'underint.crt');
  // A namesake of that intermediate with another key: it issued nothing here (OpenSSL never picks it, review 152).
  o('req', '-new', '-key', 'rsa.key', '-out', 'int2.csr', '-subj', '/CN=SHA1 Intermediate');
  o('x509', '-req', '-in', 'int2.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '20', '-extfile', 'int.ext', '-sha1', '-out', 'sha1int-otherkey.crt');
  fs.writeFileSync(path.join(dir, 'sha1intchain.pem'), Buffer.concat([fs.readFileSync(path.join(dir, 'underint.crt')), fs.readFileSync(path.join(dir, 'sha1int.crt'))]));
  o('req', '-x509', '-key', 'leaf.key', '-out', 'sha1self.crt', '-subj', '/CN=chain.example', '-days', '30', '-sha1', '-addext', 'subjectAltName=DNS:chain.example');
  // The usual server profile of a self-signed certificate (no keyCertSign): still exempt in OpenSSL (EXFLAG_SS).
  o('req', '-x509', '-key', 'leaf.key', '-out', 'sha1selfee.crt', '-subj', '/CN=chain.example', '-days', '30', '-sha1', '-addext', 'basicConstraints=CA:FALSE', '-addext', 'keyUsage=digitalSignature,keyEncipherment', '-addext', 'subjectAltName=DNS:chain.example');
  // RSASSA-PSS, whose hash is a parameter (absent: SHA-1).
  for (const [out, md] of [['pss1leaf.crt', '-sha1'], ['pss256leaf.crt', '-sha256']]) o('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '20', '-copy_extensions', 'copy', md!, '-sigopt', 'rsa_padding_mode:pss', '-out', out!);
  // A leaf valid now whose issuing CA expired in January 2020: a chain file with a stale intermediate.
  o('req', '-new', ...RSA, '-nodes', '-keyout', 'oldca.key', '-out', 'oldca.csr', '-subj', '/CN=Old Intermediate CA');
  o('ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'oldca.key', '-in', 'oldca.csr', '-extensions', 'v3ca', '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-out', 'oldca.crt', '-notext');
  o('req', '-new', ...RSA, '-nodes', '-keyout', 'staleleaf.key', '-out', 'staleleaf.csr', '-subj', '/CN=stale.example', '-addext', 'subjectAltName=DNS:stale.example');
  o('x509', '-req', '-in', 'staleleaf.csr', '-CA', 'oldca.crt', '-CAkey', 'oldca.key', '-CAcreateserial', '-days', '90', '-copy_extensions', 'copy', '-out', 'staleleaf.crt');
  fs.writeFileSync(path.join(dir, 'stalechain.pem'), Buffer.concat([fs.readFileSync(path.join(dir, 'staleleaf.crt')), fs.readFileSync(path.join(dir, 'oldca.crt'))]));

  // DH parameters: classic PKCS#3 (safe prime) and the X9.42 form `-dsaparam` writes, plus a named group.
  o('dhparam', '-out', 'dh1024.pem', '1024');
  o('dhparam', '-dsaparam', '-out', 'dh1024-dsa.pem', '1024');
  o('dhparam', '-dsaparam', '-out', 'dh2048-dsa.pem', '2048');
  o('genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', 'ffdhe2048.pem');
  o('dhparam', '-in', 'dh1024.pem', '-outform', 'DER', '-out', 'dh1024.der');
  // DER copies of the RSA pair: LuaSec loads PEM only.
  o('x509', '-in', 'rsa.crt', '-outform', 'DER', '-out', 'rsa.der.crt');
  o('pkey', '-in', 'rsa.key', '-outform', 'DER', '-out', 'rsa.der.key');

  cached = {
    dir,
    file: (name) => path.join(dir, name),
    read: (name) => fs.readFileSync(path.join(dir, name)),
  };
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return cached;
}

/** Every base64 line of every private key in the material, to prove results never carry key bytes. */
export function keyLines(m: Material): string[] {
  const out: string[] = [];
  for (const f of fs.readdirSync(m.dir).filter((n) => n.endsWith('.key'))) {
    for (const line of m.read(f).toString('latin1').split('\n')) if (/^[A-Za-z0-9+/=]{40,}$/.test(line)) out.push(line);
  }
  return out;
}
