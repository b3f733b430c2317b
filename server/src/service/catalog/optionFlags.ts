// The 53 OpenSSL option flags LuaSec knows (facts §4.4): LuaSec's first list with the name, whether the
// flag still does anything on OpenSSL 1.1.0+, which flags share bits, and what weakens security.
import type { CatalogValue } from './types';

const SSL_OPTS = 'https://docs.openssl.org/3.0/man3/SSL_CTX_set_options/';

const NOOP = 'Defined as 0 since OpenSSL 1.1.0: LuaSec accepts the name, but it changes nothing.';

interface FlagSpec {
  name: string;
  since: string;
  /** The OpenSSL release that added the flag, where LuaSec's list has it only from that release (facts §4.4). */
  openssl?: string;
  summary: string;
  details?: string;
  noop?: boolean;
  unsafe?: string;
  /** Changes only what OpenSSL does as a client (SSL_CTX_set_options(3)). */
  clientSide?: true;
  sharesBitsWith?: string[];
  rank?: number;
}

const specs: FlagSpec[] = [
  { name: 'no_ticket', since: '0.4.1', rank: 5, summary: 'Turns off TLS session tickets (stateless resumption).', details: 'On by default in Prosody. Tickets are encrypted with a key that lives as long as the process, which weakens forward secrecy. LuaSec switches OpenSSL\'s server-side session cache off, so with this flag no session resumes: every reconnect is a full handshake.' },
  { name: 'no_compression', since: '0.4.1', rank: 5, summary: 'Turns off TLS-level compression, which enables the CRIME attack.', details: 'On by default in Prosody; the global `ssl_compression = true` removes it. Keep it.' },
  { name: 'no_renegotiation', since: '0.7', rank: 5, summary: 'Refuses every renegotiation request (TLS 1.2 and older).', details: 'Prosody default since 0.11.9 when LuaSec knows the flag. Renegotiation has a long history of attacks and XMPP does not need it.' },
  { name: 'cipher_server_preference', since: '0.4.1', rank: 10, summary: 'Picks the cipher suite by the server\'s order instead of the client\'s.', details: 'Default up to 0.11 and in the `legacy`/`old` profiles; the `modern` and `intermediate` profiles switch it off because every suite they allow is strong, letting clients pick what is fastest for them.' },
  { name: 'no_tlsv1_3', since: '0.8', openssl: '1.1.1', rank: 85, summary: 'Disables TLS 1.3.', details: 'Rarely a good idea; TLS 1.3 is the most secure version. Prefer choosing versions with `protocol`.' },
  { name: 'no_tlsv1_2', since: '0.5', rank: 85, sharesBitsWith: ['no_dtlsv1_2'], summary: 'Disables TLS 1.2.', details: 'Leaves only TLS 1.3 (or older versions, if allowed), which locks out many XMPP servers and clients. Prefer `protocol = "tlsv1_3"` when that is really wanted.' },
  { name: 'no_tlsv1_1', since: '0.5', rank: 20, summary: 'Disables TLS 1.1.', details: 'From 0.10 added automatically by `protocol = "tlsv1_2+"` and higher; writing it yourself is only needed with `protocol = "sslv23"`/`"any"` (and on 0.9, which has no `+` forms).' },
  { name: 'no_tlsv1', since: '0.4.1', rank: 20, sharesBitsWith: ['no_dtlsv1'], summary: 'Disables TLS 1.0.', details: 'From 0.10 added automatically by `protocol = "tlsv1_1+"` and higher (0.9 has no `+` forms).' },
  { name: 'no_sslv3', since: '0.4.1', rank: 20, summary: 'Disables SSL 3.0.', details: 'From 0.10 added automatically by every `protocol` `+` form from `tlsv1+` up. Current OpenSSL builds have no SSL 3.0 at all.' },
  { name: 'no_sslv2', since: '0.4.1', noop: true, rank: 70, summary: 'Disabled SSL 2.0; now does nothing.', details: 'OpenSSL 1.1.0 removed SSL 2.0, so the flag is 0. From 0.10 Prosody still adds it for `protocol` `+` forms; it is harmless.' },
  { name: 'single_dh_use', since: '0.4.1', noop: true, rank: 70, summary: 'Asked for a fresh DH key per handshake; now always the case, so it does nothing.', details: 'Still in Prosody\'s default option set, harmlessly.' },
  { name: 'single_ecdh_use', since: '0.4.1', noop: true, rank: 70, summary: 'Asked for a fresh ECDH key per handshake; now always the case, so it does nothing.', details: 'Still in Prosody\'s default option set, harmlessly.' },
  { name: 'prioritize_chacha', since: '0.8', openssl: '1.1.1', rank: 30, summary: 'With server preference on, prefers ChaCha20-Poly1305 when the client lists it first.', details: 'Helps clients without AES hardware (phones). Only meaningful together with `cipher_server_preference`.' },
  { name: 'ignore_unexpected_eof', since: '1.0.2', openssl: '3.0', rank: 40, summary: 'Treats a peer closing TCP without a TLS close_notify as a normal end of stream (OpenSSL 3.0).', details: 'Makes truncation attacks undetectable at the TLS level; XMPP notices incomplete streams itself, so the risk is small.' },
  { name: 'enable_ktls', since: '1.0.2', openssl: '3.0', rank: 40, summary: 'Lets OpenSSL 3 hand record encryption to the kernel (kTLS) where supported.', details: 'Needs kernel and OpenSSL build support; otherwise ignored. Prosody\'s I/O model gains little from it.' },
  { name: 'no_anti_replay', since: '0.8', openssl: '1.1.1', rank: 60, summary: 'Disables OpenSSL\'s replay protection for TLS 1.3 0-RTT early data.', details: 'OpenSSL\'s replay protection (single-use tickets) applies only where the server accepts early data, which Prosody never enables: the flag changes nothing here. No reason to set it.' },
  { name: 'no_encrypt_then_mac', since: '0.7', rank: 60, unsafe: 'Falls back to MAC-then-encrypt for CBC suites, the construction behind padding-oracle attacks.', summary: 'Stops negotiating the encrypt-then-MAC extension for CBC suites.' },
  { name: 'no_extended_master_secret', since: '1.0.2', openssl: '3.0', rank: 60, unsafe: 'Without the extended master secret, TLS 1.2 sessions are open to triple-handshake style attacks.', summary: 'Stops negotiating the extended master secret extension (TLS 1.2).' },
  { name: 'allow_unsafe_legacy_renegotiation', since: '0.4.1', rank: 90, unsafe: 'Allows renegotiation with peers lacking RFC 5746 secure renegotiation, which enables request-injection attacks.', summary: 'Permits insecure legacy renegotiation.' },
  { name: 'legacy_server_connect', since: '0.4.1', rank: 90, clientSide: true, unsafe: 'Lets outgoing connections proceed to servers without RFC 5746 support, leaving them exposed to renegotiation attacks.', summary: 'Allows connecting to servers that lack secure-renegotiation support.' },
  { name: 'allow_client_renegotiation', since: '1.0.2', openssl: '3.0', rank: 80, summary: 'Lets clients start a renegotiation (OpenSSL 3.0 refuses that by default).', details: 'Client-initiated renegotiation costs the server CPU and can be abused for denial of service; where Prosody\'s defaults hold `no_renegotiation` (from 0.11.9), that flag wins anyway.' },
  { name: 'tls_rollback_bug', since: '0.4.1', rank: 80, summary: 'Works around clients that send a wrong version in the RSA premaster secret.', details: 'Disables a check that protects against version-rollback attacks; no current client needs it.' },
  { name: 'allow_no_dhe_kex', since: '0.8', openssl: '1.1.1', rank: 60, unsafe: 'Lets TLS 1.3 sessions resume without a fresh (EC)DHE exchange, so a resumed session has no forward secrecy.', summary: 'Allows TLS 1.3 session resumption without a fresh (EC)DHE exchange.', details: 'Such resumptions lose forward secrecy.' },
  { name: 'enable_middlebox_compat', since: '0.8', openssl: '1.1.1', rank: 50, summary: 'Makes TLS 1.3 handshakes look more like TLS 1.2 to get through broken middleboxes.', details: 'On by default in OpenSSL; listing it changes nothing.' },
  { name: 'cleanse_plaintext', since: '1.0.2', openssl: '3.0', rank: 50, summary: 'Wipes decrypted application data from OpenSSL\'s buffers after it is read (OpenSSL 3.0).' },
  { name: 'disable_tlsext_ca_names', since: '1.0.2', openssl: '3.0', rank: 50, summary: 'Stops sending the list of acceptable CA names to peers (OpenSSL 3.0).' },
  { name: 'no_session_resumption_on_renegotiation', since: '0.4.1', rank: 50, summary: 'Forces a full handshake, not a resumption, when renegotiating.' },
  { name: 'no_query_mtu', since: '0.4.1', rank: 85, summary: 'DTLS only: do not ask the socket for the path MTU.', details: 'Prosody only speaks TLS over TCP, so this has no effect.' },
  { name: 'cookie_exchange', since: '0.4.1', rank: 85, summary: 'DTLS only: enable the cookie exchange against spoofed handshakes.', details: 'No effect on Prosody\'s TCP connections.' },
  { name: 'no_dtlsv1', since: '0.6', rank: 95, sharesBitsWith: ['no_tlsv1'], summary: 'Meant for DTLS 1.0, but uses the same bit as `no_tlsv1`: in Prosody it disables TLS 1.0.', details: 'Harmless in effect, but write `no_tlsv1` (or use `protocol`) so the intent is clear.' },
  { name: 'no_dtlsv1_2', since: '0.6', rank: 99, sharesBitsWith: ['no_tlsv1_2'], unsafe: 'Shares its bit with `no_tlsv1_2`: it silently disables TLS 1.2 on Prosody\'s TLS connections.', summary: 'Meant for DTLS 1.2, but in a TLS context it turns TLS 1.2 off.', details: 'Verified: with this flag a TLS 1.2 client fails while TLS 1.3 still works. Remove it.' },
  { name: 'no_dtls_mask', since: '0.7', rank: 99, sharesBitsWith: ['no_dtlsv1', 'no_dtlsv1_2', 'no_tlsv1', 'no_tlsv1_2'], unsafe: 'Equals `no_dtlsv1` + `no_dtlsv1_2`, i.e. the bits of `no_tlsv1` and `no_tlsv1_2`: it disables TLS 1.2 (and 1.0).', summary: 'Mask of the DTLS version flags; in a TLS context it disables TLS 1.0 and TLS 1.2.' },
  { name: 'no_ssl_mask', since: '0.6', rank: 99, sharesBitsWith: ['no_sslv3', 'no_tlsv1', 'no_tlsv1_1', 'no_tlsv1_2', 'no_tlsv1_3'], unsafe: 'Disables every SSL/TLS version, so no connection can be encrypted at all (handshakes fail with "no protocols available").', summary: 'Mask of all SSL/TLS version flags: disables every version.' },
  { name: 'all', since: '0.4.1', rank: 75, sharesBitsWith: ['cryptopro_tlsext_bug', 'dont_insert_empty_fragments', 'tlsext_padding', 'safari_ecdhe_ecdsa_bug'], summary: 'Shorthand for OpenSSL\'s collection of interoperability bug workarounds.', details: 'On OpenSSL 3.0 it means `cryptopro_tlsext_bug`, `dont_insert_empty_fragments`, `tlsext_padding` and `safari_ecdhe_ecdsa_bug`. `dont_insert_empty_fragments` re-opens the old BEAST weakness for CBC suites on TLS 1.0 peers.' },
  { name: 'dont_insert_empty_fragments', since: '0.4.1', rank: 75, summary: 'Turns off the empty-fragment countermeasure for CBC on SSL 3.0/TLS 1.0.', details: 'That countermeasure protects TLS 1.0 CBC suites against BEAST; only matters while TLS 1.0 is allowed.' },
  { name: 'tlsext_padding', since: '0.6', rank: 75, summary: 'Pads the ClientHello to work around some broken servers (client side).' },
  { name: 'safari_ecdhe_ecdsa_bug', since: '0.6', rank: 75, summary: 'Works around an old Safari bug with ECDHE-ECDSA suites.' },
  { name: 'cryptopro_tlsext_bug', since: '0.4.1', rank: 75, summary: 'Adds a server hello extension expected by old CryptoPro GOST clients.' },
  { name: 'cisco_anyconnect', since: '0.4.1', rank: 85, summary: 'Uses Cisco AnyConnect\'s pre-standard DTLS version number.', details: 'DTLS only; no effect for Prosody.' },
  { name: 'ephemeral_rsa', since: '0.4.1', noop: true, rank: 90, summary: 'Old export-grade temporary RSA key option; does nothing now.' },
  { name: 'microsoft_big_sslv3_buffer', since: '0.4.1', noop: true, rank: 90, summary: 'Old workaround for large SSL 3.0 records from Microsoft software; does nothing now.' },
  { name: 'microsoft_sess_id_bug', since: '0.4.1', noop: true, rank: 90, summary: 'Old Microsoft session-id workaround; does nothing now.' },
  { name: 'msie_sslv2_rsa_padding', since: '0.4.1', noop: true, rank: 90, summary: 'Old SSL 2.0 workaround for Internet Explorer; does nothing now.' },
  { name: 'netscape_ca_dn_bug', since: '0.4.1', noop: true, rank: 90, summary: 'Old Netscape CA name workaround; does nothing now.' },
  { name: 'netscape_challenge_bug', since: '0.4.1', noop: true, rank: 90, summary: 'Old Netscape SSL 2.0 challenge workaround; does nothing now.' },
  { name: 'netscape_demo_cipher_change_bug', since: '0.4.1', noop: true, rank: 90, summary: 'Old Netscape demo-server workaround; does nothing now.' },
  { name: 'netscape_reuse_cipher_change_bug', since: '0.4.1', noop: true, rank: 90, summary: 'Old Netscape cipher-change workaround; does nothing now.' },
  { name: 'pkcs1_check_1', since: '0.4.1', noop: true, rank: 90, summary: 'Old debugging switch for PKCS#1 padding; does nothing now.' },
  { name: 'pkcs1_check_2', since: '0.4.1', noop: true, rank: 90, summary: 'Old debugging switch for PKCS#1 padding; does nothing now.' },
  { name: 'ssleay_080_client_dh_bug', since: '0.4.1', noop: true, rank: 90, summary: 'Old SSLeay 0.8.0 DH workaround; does nothing now.' },
  { name: 'sslref2_reuse_cert_type_bug', since: '0.4.1', noop: true, rank: 90, summary: 'Old SSLref 2 workaround; does nothing now.' },
  { name: 'tls_block_padding_bug', since: '0.4.1', noop: true, rank: 90, summary: 'Old workaround for broken TLS block padding; does nothing now.' },
  { name: 'tls_d5_bug', since: '0.4.1', noop: true, rank: 90, summary: 'Old workaround for a TLS draft implementation; does nothing now.' },
];

export const optionFlags: readonly CatalogValue[] = specs
  .map((s): CatalogValue => {
    // `noop` and `unsafe` are shown by hover/diagnostics themselves; details carry only the extra notes.
    return {
      name: s.name,
      doc: { summary: s.summary, ...(s.details ? { details: s.details } : {}), link: SSL_OPTS },
      luasec: { since: s.since },
      ...(s.openssl ? { openssl: { since: s.openssl } } : {}),
      ...(s.noop ? { noop: NOOP } : {}),
      ...(s.unsafe ? { unsafe: s.unsafe } : {}),
      ...(s.clientSide ? { clientSide: s.clientSide } : {}),
      ...(s.sharesBitsWith ? { sharesBitsWith: s.sharesBitsWith } : {}),
      rank: s.rank ?? 50,
    };
  })
  .sort((a, b) => a.name.localeCompare(b.name));
