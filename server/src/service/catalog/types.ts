// The shapes of the settings catalog: the one place where facts about Prosody's and LuaSec's
// TLS settings live. Completion, hover, diagnostics, quick fixes, the grammar and the README
// reference are all generated from data of these types.

import type { ProsodyLine } from './versions';

/** A Lua value as the catalog writes defaults and preset values. Arrays are Lua lists; records are Lua maps. */
export type LuaLiteral = string | number | boolean | readonly string[] | { readonly [k: string]: boolean };

/** Shapes a value can be written in, as Prosody/LuaSec accept it. */
export type ValueShape =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'list' // Lua sequence { "a", "b" }
  | 'map' // Lua table with flag = true/false entries
  | 'table' // any other table (e.g. per-port sub-tables, certificates entries)
  | 'function';

/** Which Prosody connection types a TLS table can reach. */
export type TlsContext = 'c2s' | 's2s' | 'c2s_direct_tls' | 's2s_direct_tls' | 'legacy_ssl' | 'https' | 'multiplex_ssl' | 'client_https';

export type Scope = 'global' | 'host' | 'component';

/**
 * Versions are exact Prosody releases ("0.12.5", "13.0.0"). `since` is the first release that has the
 * thing, `removed` the first that no longer has it. A setting's release line (ProsodyLine) is taken to mean the
 * newest release of that line; see versions.ts.
 */
export interface VersionRange {
  readonly since?: string;
  readonly removed?: string;
}

/** Documentation, always in our own words. Markdown. */
export interface Doc {
  /** One sentence, shown in completion lists and as the first line of a hover. */
  readonly summary: string;
  /** More paragraphs of markdown (optional). */
  readonly details?: string;
  /** Link to Prosody's (or LuaSec's / OpenSSL's) documentation. */
  readonly link?: string;
}

/** Severity hints carried by values, used by diagnostics and for sorting completion. */
export interface Safety {
  /** Why this value weakens security; set only where that is true. */
  readonly unsafe?: string;
  /** Why this value does nothing (e.g. an OpenSSL option defined as 0 since 1.1.0). */
  readonly noop?: string;
  /** An option flag that changes only what OpenSSL does as a client: nothing in a table that builds server contexts only. */
  readonly clientSide?: true;
  /** Deprecated: what to write instead. */
  readonly deprecated?: {
    readonly since?: string;
    readonly replacement?: string;
    readonly reason: string;
    /**
     * Releases that read the replacement with `or` (`new or old`): a false replacement does not take the old
     * name's place, the old line is read through it.
     */
    readonly readThroughFalse?: VersionRange;
  };
}

/** One accepted value of a value set (a protocol name, an option flag, a curve, a profile, …). */
export interface CatalogValue extends Safety {
  readonly name: string;
  readonly doc: Doc;
  /** Prosody releases in which Prosody accepts this value (for Prosody-only forms such as "tlsv1_2+"). */
  readonly prosody?: VersionRange;
  /** First LuaSec release that accepts the value (informational; e.g. "0.8", "1.0.2"). */
  readonly luasec?: { readonly since?: string; readonly removed?: string };
  /** First OpenSSL release that has it (an option flag LuaSec knows only when built against that release or later). */
  readonly openssl?: { readonly since: string };
  /** Why completion never offers it (it is known so that hover can explain it). */
  readonly notOffered?: string;
  /** Names of other flags that set the same OpenSSL bit(s), e.g. no_dtlsv1_2 ↔ no_tlsv1_2. */
  readonly sharesBitsWith?: readonly string[];
  /** Lower sorts first in completion: the safe, common choice gets 0. Default 50. */
  readonly rank?: number;
  /** Other spellings that mean the same (e.g. OpenSSL curve aliases P-256 / prime256v1). */
  readonly aliases?: readonly string[];
  /**
   * True for spellings only Prosody understands (the `x+` protocol forms): Prosody rewrites them before
   * LuaSec sees them, so LuaSec itself would reject them.
   */
  readonly prosodyOnly?: boolean;
}

export type ValueSetId =
  | 'protocol'
  | 'mode'
  | 'verify'
  | 'verifyext'
  | 'options'
  | 'dane'
  | 'curve'
  | 'curveslist'
  | 'ciphersuites'
  | 'tls_profile'
  | 'alpn'
  | 'tls_server_end_point_hash';

export interface ValueSet {
  readonly id: ValueSetId;
  /** What kind of thing the values are, e.g. "protocol name", "option flag". Used in messages. */
  readonly noun: string;
  readonly values: readonly CatalogValue[];
  /** True when names outside `values` are also valid (e.g. ALPN protocol ids): no "unknown value" diagnostics. */
  readonly open?: boolean;
}

/** A key inside an `ssl`-type table. */
export interface SslKey extends Safety {
  readonly name: string;
  /** Shapes Prosody + LuaSec accept without failing. */
  readonly shapes: readonly ValueShape[];
  /** Another key that, set (by default or written), makes LuaSec ignore this one (`curve` under `curveslist`). */
  readonly ignoredUnder?: string;
  /** Shapes accepted instead in a table that builds client contexts only (`client_https_ssl`), when they differ. */
  readonly clientShapes?: readonly ValueShape[];
  /** Lines on which Prosody treats the key differently (other shapes, another fate for the rest). */
  readonly byLine?: Partial<Record<ProsodyLine, { readonly shapes: readonly ValueShape[]; readonly onWrongType?: 'error' | 'dropped' }>>;
  /**
   * First Prosody release in which a shape works, for shapes that need Prosody's merger
   * (e.g. `ciphers` as a list from 0.10.0, `ciphersuites` as a list from 0.12.0). Shapes not named work in every release.
   */
  readonly shapeSince?: Partial<Record<ValueShape, string>>;
  /** When the 'string' shape only works for some strings: a regular expression (source) they must match (e.g. numeric `depth`). */
  readonly stringPattern?: string;
  /** The value set its string / list items / map keys draw from. */
  readonly values?: ValueSetId;
  /**
   * What a value of another shape does (facts §2, §4.5–§4.6): `error` = LuaSec refuses the context or throws;
   * `dropped` = Prosody silently discards it. Unset = LuaSec ignores it or the case is not known.
   */
  readonly onWrongType?: 'error' | 'dropped';
  /** What to write instead of a value of the wrong shape, as a sentence (ssl-value-type); unset: the shapes it takes. */
  readonly writeInstead?: string;
  /**
   * Whose value a host's SNI context (the host's own direct-TLS table, 0.12+) uses. 'port': the port's on every
   * line, as OpenSSL keeps what the port's context set when the connection was accepted and LuaSec's SNI callback
   * swaps only the certificate, the CA store and the DH parameters (reviewers' 0.12.3 runs with `openssl s_client`).
   * 'host': the host's on every line (certificate, key). Unset: the host's on 0.12, the port's where
   * SNI_CERTIFICATE_ONLY (13.0).
   */
  readonly sni?: 'port' | 'host';
  /** How Prosody's util.sslconfig merges it across layers (0.10+). */
  readonly merge: 'set' | 'replace' | 'replace-joined' | 'path';
  /** Built-in default per release line (null = not set), before any tls_profile preset. */
  readonly defaults: Partial<Record<ProsodyLine, LuaLiteral | null>>;
  /**
   * Where the default changed within a line (`defaults` gives its newest release's): how earlier releases differ, said
   * beside the default (a reviewer with `version=0.11.4` was shown 0.11.9's options).
   */
  readonly defaultsEarlier?: Partial<Record<ProsodyLine, string>>;
  /** Prosody releases that hand this key to LuaSec (undefined = all; 0.9 passes a fixed set of keys). */
  readonly prosody?: VersionRange;
  /** On lines before `prosody.since`: what to write instead (default: remove it). */
  readonly before?: string;
  /** Why completion never offers it: writing it is what a rule reports (`mode`: mode-set). Hover still explains it. */
  readonly notOffered?: string;
  /** Completion snippet on lines where `snippet` would be wrong (0.9 knows no `+` protocols and no option maps). */
  readonly snippetOn?: Partial<Record<ProsodyLine, string>>;
  /** First LuaSec release that reads it. */
  readonly luasec?: { readonly since?: string };
  /** Prosody releases that also take the PEM text itself instead of a path (13.0's `dhparam`). */
  readonly literalPem?: VersionRange;
  /** Completion snippet body after `name = `, e.g. `"$1"` or `{ "$1" }`. */
  readonly snippet: string;
  readonly rank?: number;
  readonly doc: Doc;
}

/** A `tls_profile` preset: the settings it layers beneath the user's global `ssl`. */
export interface TlsProfile {
  readonly name: string;
  readonly prosody?: VersionRange;
  /** Key → value as applied by Prosody; per line where it differs (0.12 vs 13.0). */
  readonly sets: Partial<Record<ProsodyLine, Readonly<Record<string, LuaLiteral>>>>;
  readonly doc: Doc;
  readonly rank?: number;
  readonly unsafe?: string;
}

export type OptionKind =
  | 'ssl-table' // a table of SslKey entries
  | 'boolean'
  | 'string'
  | 'path'
  | 'domain-list'
  | 'ports'
  | 'interfaces'
  | 'certificate-map'; // <service>_certificate: path or { [port] = path, default = path }

/** A top-level Prosody option related to TLS (facts §3). */
export interface ConfigOption extends Safety {
  readonly name: string;
  readonly kind: OptionKind;
  readonly shapes: readonly ValueShape[];
  readonly scopes: readonly Scope[];
  /** For ssl-table options: the contexts the table reaches. */
  readonly contexts?: readonly TlsContext[];
  /** For ssl-table options of a network service: it may hold [port] / [interface] sub-tables. */
  readonly perPort?: boolean;
  readonly values?: ValueSetId;
  readonly defaults?: Partial<Record<ProsodyLine, LuaLiteral | null>>;
  readonly prosody?: VersionRange;
  /** A value of this option that weakens security: why, and what to write instead (the insecure-setting rule). */
  readonly unsafeValue?: { readonly value: boolean; readonly why: string; readonly instead: string };
  /**
   * How this global option, set to `value`, changes the ssl defaults Prosody starts every context from
   * (certmanager's core_defaults): a flag dropped from a set-like key, or a key given a value.
   */
  readonly sslDefaults?: { readonly value: boolean; readonly key: string; readonly drop?: string; readonly set?: LuaLiteral };
  /** A value of this option that changes nothing on current OpenSSL, and why (the noop-option rule). */
  readonly noEffectValue?: { readonly value: boolean; readonly why: string };
  /** `prosodyctl check config` (0.12+ for options other than `*_ssl`) calls it misplaced under a host even though Prosody may read it there. */
  readonly checkSaysGlobalOnly?: boolean;
  /** For a global-only option: what writing it under a host still does, when that is not nothing. */
  readonly hostNote?: string;
  /**
   * On lines before `prosody.since`: what to write instead (the option-too-new rule). Set only where nothing
   * on those lines reads the name, not even a well-known community module.
   */
  readonly before?: string;
  readonly snippet: string;
  readonly rank?: number;
  readonly doc: Doc;
}

/** A Prosody network service whose ports/interfaces/ssl options follow the `<prefix>_*` pattern. */
export interface NetService {
  /** Config prefix, e.g. "c2s_direct_tls" → c2s_direct_tls_ports, c2s_direct_tls_ssl. */
  readonly prefix: string;
  /** The service's own name when it differs from the prefix: certmanager reads `<name>_certificate`. */
  readonly name?: string;
  /** True when connections are TLS from the first byte (so `<prefix>_ssl` matters). */
  readonly encrypted: boolean;
  /** For a STARTTLS or plain service, its TLS-from-the-first-byte counterpart (c2s → c2s_direct_tls, http → https). */
  readonly directTls?: string;
  /**
   * The service a peer checks the certificate's names for (RFC 6125; util.x509.verify_identity), on the STARTTLS or
   * plain service: its direct-TLS counterpart serves the same peers (starttlsTwin).
   */
  readonly certName?: 'xmpp-client' | 'xmpp-server' | 'https';
  readonly defaultPorts?: readonly number[];
  /** Modules of Prosody's own that register the service when a config enables them (their own, or by `module:depends`). */
  readonly loadedBy?: readonly string[];
  readonly prosody?: VersionRange;
  readonly deprecated?: { readonly since?: string; readonly replacement: string; readonly reason: string };
  /** On lines before `prosody.since`, what to do instead; see ConfigOption.before. */
  readonly before?: string;
  /**
   * The TLS settings the service's module registers (`ssl_config`), layered by portmanager above the global `ssl`
   * and below `<prefix>_ssl` (certmanager.create_context applies its arguments last to first).
   */
  readonly sslConfig?: Readonly<Record<string, LuaLiteral>>;
  readonly doc: Doc;
}
