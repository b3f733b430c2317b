// A path with a separator or spaces inside its quotes: `key = "/etc/ssl/privkey.pem;"`, copied from a table
// where the `;` ended the field. Prosody takes the text between the quotes whole, so it looks for a file whose
// name ends in `;`, fails to load it, and builds no TLS context for the table (a reviewer's run on 0.12).
import type { PathRef } from '../fileRefs';
import type { Fix } from '../rules/types';

export interface StrayPath {
  /** What is inside the quotes that should not be, e.g. `the ";" at its end`. */
  readonly what: string;
  /** The path without it. */
  readonly path: string;
  /** Whether a field separator (`;` or `,`) is among it. */
  readonly separator: boolean;
  readonly fix: Fix;
}

const LEAD = /^\s+/;
const TRAIL = /[\s;,]+$/;

/** The stray characters at either end of a path as written in `text` (the document's), if any. */
export function strayPath(ref: PathRef, text: string): StrayPath | undefined {
  // Most paths start and end with neither: no slice of the text for them.
  if (!LEAD.test(ref.value) && !TRAIL.test(ref.value)) return undefined;
  const [cs, ce] = ref.contentRange;
  const raw = text.slice(cs, ce);
  const lead = LEAD.exec(raw)?.[0] ?? '';
  const trail = TRAIL.exec(raw)?.[0] ?? '';
  if (!lead && !trail) return undefined;
  // Only where the value says the same (no escape among them) and a path remains.
  const path = ref.value.slice(lead.length, ref.value.length - trail.length);
  if (!ref.value.startsWith(lead) || !ref.value.endsWith(trail) || !path.trim() || raw.length !== ref.value.length) return undefined;
  const separator = /[;,]/.test(trail);
  const marks = [...new Set(trail.replace(/\s/g, ''))].map((c) => JSON.stringify(c)).join(' and ');
  const pieces = [
    ...(lead ? ['spaces at its start'] : []),
    ...(marks ? [`the ${marks} at its end`] : trail ? ['spaces at its end'] : []),
  ];
  const what = pieces.join(' and ');
  const edits: Fix['edits'] = [...(lead ? [{ range: [cs, cs + lead.length] as const, newText: '' }] : []), ...(trail ? [{ range: [ce - trail.length, ce] as const, newText: '' }] : [])];
  return { what, path, separator, fix: { title: `Remove ${what} from the path`, edits, preferred: true } };
}
