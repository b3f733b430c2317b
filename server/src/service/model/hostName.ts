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

// One index per parsed config: layering finds parent domains by it, settingLines a host written twice.
const byName = new WeakMap<object, ReadonlyMap<string, readonly number[]>>();

/** Section indexes per nameprepped VirtualHost or Component name, in file order (section 0, global, has none). */
export function sectionsByName(config: { readonly sections: ReadonlyArray<{ readonly name?: string }> }): ReadonlyMap<string, readonly number[]> {
  let m = byName.get(config);
  if (!m) {
    const out = new Map<string, number[]>();
    config.sections.forEach((sec, i) => {
      if (i === 0 || sec.name === undefined) return;
      const name = nameprepped(sec.name);
      const list = out.get(name);
      if (list) list.push(i);
      else out.set(name, [i]);
    });
    byName.set(config, (m = out));
  }
  return m;
}
