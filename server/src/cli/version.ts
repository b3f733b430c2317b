// The package version, read at run time from the nearest package.json named prosody-ssl (works both
// bundled as dist/cli.js and compiled under out/), so there is one place to bump it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function toolVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'prosody-ssl' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      /* not here; go up */
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}
