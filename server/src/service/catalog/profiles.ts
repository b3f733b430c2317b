// tls_profile presets. SEED.
import type { TlsProfile } from './types';

export const tlsProfiles: readonly TlsProfile[] = [
  { name: 'intermediate', prosody: { since: '0.12.0' }, sets: {}, rank: 0, doc: { summary: 'Default preset.' } },
];
