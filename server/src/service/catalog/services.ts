// Network services whose options follow the <prefix>_ports / _interfaces / _ssl pattern. SEED.
import type { NetService } from './types';

export const netServices: readonly NetService[] = [
  { prefix: 'c2s_direct_tls', encrypted: true, prosody: { since: '0.12.0' }, doc: { summary: 'Client connections with TLS from the first byte (XEP-0368).' } },
  {
    prefix: 'legacy_ssl',
    encrypted: true,
    deprecated: { since: '0.12.0', replacement: 'c2s_direct_tls', reason: 'Renamed to c2s_direct_tls in Prosody 0.12.' },
    doc: { summary: 'Old name of the direct-TLS client service.' },
  },
];
