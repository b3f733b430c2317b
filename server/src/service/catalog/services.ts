// Network services whose options follow the <prefix>_ports / _interfaces / _ssl pattern (facts §3,
// core/portmanager.lua). `encrypted` means TLS from the first byte, so `<prefix>_ssl` applies.
import type { NetService } from './types';

const PORTS = 'https://prosody.im/doc/ports';

export const netServices: readonly NetService[] = [
  {
    prefix: 'c2s',
    encrypted: false,
    certName: 'xmpp-client',
    directTls: 'c2s_direct_tls',
    defaultPorts: [5222],
    doc: {
      summary: 'Client-to-server connections; TLS is started inside the stream with STARTTLS (default port 5222).',
      details: 'Its TLS settings come from `c2s_ssl` and `ssl`, not from a per-port table.',
      link: PORTS,
    },
  },
  {
    prefix: 's2s',
    encrypted: false,
    certName: 'xmpp-server',
    directTls: 's2s_direct_tls',
    defaultPorts: [5269],
    doc: {
      summary: 'Server-to-server connections; TLS is started with STARTTLS (default port 5269).',
      details: 'Its TLS settings come from `s2s_ssl` and `ssl`.',
      link: PORTS,
    },
  },
  {
    prefix: 'c2s_direct_tls',
    encrypted: true,
    prosody: { since: '0.12.0' },
    doc: {
      summary: 'Client connections that speak TLS from the first byte (XEP-0368); no port unless you set `c2s_direct_tls_ports` (5223 is usual).',
      details: 'The certificate is found automatically for each host via SNI, or from `c2s_direct_tls_certificate`.',
      link: PORTS,
    },
  },
  {
    prefix: 's2s_direct_tls',
    encrypted: true,
    prosody: { since: '0.12.0' },
    // mod_s2s (0.12.3): module:provides("net", { name = "s2s_direct_tls", ssl_config = { verify = { "peer", "client_once" } } })
    sslConfig: { verify: ['peer', 'client_once'] },
    before: 'Remove it: servers connecting to this one start TLS on the s2s port.',
    doc: {
      summary: 'Server-to-server connections with TLS from the first byte (XEP-0368); no port unless you set `s2s_direct_tls_ports` (5270 is usual).',
      link: PORTS,
    },
  },
  {
    prefix: 'legacy_ssl',
    encrypted: true,
    deprecated: { since: '0.12.0', replacement: 'c2s_direct_tls', reason: 'Renamed to c2s_direct_tls in Prosody 0.12 (`prosodyctl check` reports the old `_port(s)`, `_interface(s)` and `_ssl` names).' },
    doc: {
      summary: 'The direct-TLS client service ("legacy SSL", usually port 5223) by its name up to 0.11; 0.12 renamed it `c2s_direct_tls`. Has no default port.',
      details: 'From 0.12 write `c2s_direct_tls_ports`, `c2s_direct_tls_interfaces` and `c2s_direct_tls_ssl` instead.',
      link: PORTS,
    },
  },
  {
    prefix: 'http',
    encrypted: false,
    certName: 'https',
    directTls: 'https',
    defaultPorts: [5280],
    doc: { summary: 'Plain HTTP for BOSH, WebSocket, uploads and other HTTP modules (default port 5280).', link: 'https://prosody.im/doc/http' },
  },
  {
    prefix: 'https',
    encrypted: true,
    defaultPorts: [5281],
    // mod_http provides it; Prosody's own modules that load mod_http (module:depends("http")): mod_bosh, mod_websocket,
    // mod_http_files, and from 0.12 mod_http_file_share and mod_http_openmetrics, from 13.0 mod_http_altconnect (review
    // 142: a real 0.12.3 opened 5281 for http_openmetrics alone).
    loadedBy: ['http', 'bosh', 'websocket', 'http_files', 'http_file_share', 'http_openmetrics', 'http_altconnect'],
    doc: {
      summary: 'HTTP over TLS for Prosody\'s HTTP modules (default port 5281).',
      details: 'The certificate comes from `https_certificate`, `https_ssl`, or automatic lookup for each host (0.12+ via SNI).',
      link: 'https://prosody.im/doc/http',
    },
  },
  {
    prefix: 'ssl',
    name: 'multiplex_ssl',
    encrypted: true,
    doc: {
      summary: 'mod_net_multiplex\'s TLS listener (`multiplex_ssl`): one TLS port for several protocols, chosen by their first bytes (and from 0.12 by ALPN); no default port.',
      details: 'Configured with `ssl_ports`, `ssl_interfaces` and `ssl_ssl`.',
      link: 'https://prosody.im/doc/modules/mod_net_multiplex',
    },
  },
  {
    prefix: 'component',
    encrypted: false,
    defaultPorts: [5347],
    doc: {
      summary: 'External components (XEP-0114) connecting to Prosody (default port 5347, loopback only by default).',
      details: 'The component protocol has no TLS; keep it on a trusted network.',
      link: 'https://prosody.im/doc/components',
    },
  },
];
