// Value sets. SEED: the catalog work replaces this with every value (facts §4).
import type { ValueSet } from './types';

export const valueSets: readonly ValueSet[] = [
  {
    id: 'protocol',
    noun: 'protocol',
    values: [
      { name: 'tlsv1_2+', doc: { summary: 'TLS 1.2 and newer.' }, prosody: { since: '0.10.0' }, rank: 0 },
      { name: 'tlsv1_3', doc: { summary: 'Only TLS 1.3.' }, rank: 2 },
      { name: 'tlsv1', doc: { summary: 'Only TLS 1.0.' }, unsafe: 'TLS 1.0 is broken.', rank: 90 },
    ],
  },
  {
    id: 'options',
    noun: 'option flag',
    values: [
      { name: 'no_ticket', doc: { summary: 'Disable session tickets.' } },
      { name: 'no_compression', doc: { summary: 'Disable compression.' } },
    ],
  },
  {
    id: 'verify',
    noun: 'verify flag',
    values: [
      { name: 'peer', doc: { summary: 'Verify the peer.' } },
      { name: 'none', doc: { summary: 'Do not verify.' } },
    ],
  },
];
