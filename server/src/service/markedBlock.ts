// Generated blocks inside hand-written markdown (the README's settings, rules and benchmark
// sections): text between `<!-- name:start -->` and `<!-- name:end -->` markers.

export function markers(name: string): { start: string; end: string } {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

/** `text` with `body` between the markers; the block is appended (after a blank line) when the markers are missing. */
export function spliceBlock(text: string, name: string, body: string): string {
  const { start, end } = markers(name);
  const block = `${start}\n${body}${end}`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return `${text.replace(/\n*$/, text ? '\n\n' : '')}${block}\n`;
  return text.slice(0, a) + block + text.slice(b + end.length);
}

/** The text between the markers, or undefined when they are missing. */
export function extractBlock(text: string, name: string): string | undefined {
  const { start, end } = markers(name);
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  return a < 0 || b < a ? undefined : text.slice(a + start.length + 1, b);
}
