// Top-level TLS options. SEED: the catalog work replaces this with every option (facts §3).
import type { ConfigOption } from './types';

export const configOptions: readonly ConfigOption[] = [
  {
    name: 'ssl',
    kind: 'ssl-table',
    shapes: ['table'],
    scopes: ['global', 'host', 'component'],
    contexts: ['c2s', 's2s'],
    perPort: true,
    snippet: '{\n\t$0\n}',
    rank: 0,
    doc: { summary: 'TLS settings for every connection in this scope.', link: 'https://prosody.im/doc/advanced_ssl_config' },
  },
  {
    name: 'c2s_ssl',
    kind: 'ssl-table',
    shapes: ['table'],
    scopes: ['global', 'host'],
    contexts: ['c2s'],
    prosody: { since: '0.10.0' },
    snippet: '{\n\t$0\n}',
    doc: { summary: 'TLS settings for client connections.' },
  },
  {
    name: 'tls_profile',
    kind: 'string',
    shapes: ['string'],
    scopes: ['global'],
    values: 'tls_profile',
    prosody: { since: '0.12.0' },
    snippet: '"$1"',
    doc: { summary: 'Preset of TLS settings.' },
  },
];
