// Host names as Prosody holds them: configmanager nameprep()s every VirtualHost and Component name (0.10+), and
// everything after - the parent domain mod_tls takes tables from, the certificate lookup's file names, a host
// written twice - works on that form.

/**
 * Nameprep's part that matters here: case folding (RFC 3454 B.2, with its two multi-character mappings that
 * lower-casing misses, ß → ss and final ς → σ) and NFKC. No punycode decoding.
 */
export function nameprepped(name: string): string {
  // Plain ASCII lower-case names (nearly all) are their own nameprep: rules ask for every section on every run.
  if (PLAIN.test(name)) return name;
  return name.toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ').normalize('NFKC');
}

const PLAIN = /^[a-z0-9.\-_]*$/;
