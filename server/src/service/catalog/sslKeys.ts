// Keys of an `ssl`-type table. SEED: the catalog work replaces this with every key (facts §1, §2, §4.1).
import type { SslKey } from './types';

const ADV = 'https://prosody.im/doc/advanced_ssl_config';

export const sslKeys: readonly SslKey[] = [
  {
    name: 'protocol',
    shapes: ['string'],
    values: 'protocol',
    merge: 'replace',
    defaults: { '0.9': 'sslv23', '0.10': 'tlsv1+', '0.11': 'tlsv1+', '0.12': 'tlsv1+', '13.0': 'tlsv1+' },
    snippet: '"$1"',
    rank: 0,
    doc: { summary: 'Which TLS versions may be negotiated.', link: `${ADV}#protocol` },
  },
  {
    name: 'key',
    shapes: ['string'],
    merge: 'path',
    defaults: {},
    snippet: '"$1"',
    rank: 1,
    doc: { summary: 'Path to the private key file (PEM).', link: `${ADV}#key` },
  },
  {
    name: 'certificate',
    shapes: ['string'],
    merge: 'path',
    defaults: {},
    snippet: '"$1"',
    rank: 1,
    doc: { summary: 'Path to the certificate file (PEM), with its chain.', link: `${ADV}#certificate` },
  },
  {
    name: 'options',
    shapes: ['list', 'map', 'string'],
    values: 'options',
    merge: 'set',
    defaults: {},
    snippet: '{ "$1" }',
    doc: { summary: 'OpenSSL option flags.', link: `${ADV}#options` },
  },
  {
    name: 'verify',
    shapes: ['string', 'list'],
    values: 'verify',
    merge: 'replace',
    defaults: {},
    snippet: '"$1"',
    doc: { summary: 'Certificate verification flags.', link: `${ADV}#verify` },
  },
];
