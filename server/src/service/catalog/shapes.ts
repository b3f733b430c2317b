// What shapes of value a key takes on a line (facts §2): the type rules judge written values by this, and completion
// offers list items or map entries only where it says yes.
import type { SslKey, ValueShape } from './types';
import { lineInRange, type ProsodyLine } from './versions';

// A key's verdict on a shape depends on nothing else: thousands of tables ask the same few questions.
const shapeVerdicts = new WeakMap<SslKey, Map<string, 'yes' | 'no' | 'later'>>();

export function shapeAllowed(k: SslKey, shape: string, line: ProsodyLine): 'yes' | 'no' | 'later' {
  let known = shapeVerdicts.get(k);
  if (!known) shapeVerdicts.set(k, (known = new Map()));
  const key = `${shape}\0${line}`;
  let verdict = known.get(key);
  if (verdict === undefined) known.set(key, (verdict = judgeShape(k, shape, line)));
  return verdict;
}

function judgeShape(k: SslKey, shape: string, line: ProsodyLine): 'yes' | 'no' | 'later' {
  const matches = (s: string): boolean => {
    if (s === 'table') return shape === 'list' || shape === 'map' || shape === 'mixed' || shape === 'empty';
    if (s === 'integer') return shape === 'number';
    if (s === 'list') return shape === 'list' || shape === 'empty';
    if (s === 'map') return shape === 'map' || shape === 'empty';
    return s === shape;
  };
  let allowed = k.shapes.filter(matches);
  if (shape === 'mixed' && k.shapes.includes('list') && k.shapes.includes('map')) allowed = ['list', 'map'];
  if (!allowed.length) return 'no';
  const since = allowed.map((s) => k.shapeSince?.[s]);
  if (since.every((s) => s !== undefined && !lineInRange(line, { since: s }))) return 'later';
  return 'yes';
}

/**
 * The key as the type rules judge it on a line (its byLine shapes) or in a table that builds client contexts
 * only (its clientShapes); made once per variant, since shape verdicts are memoised per key object.
 */
const keyVariants = new Map<string, SslKey>();
export function judgedAs(k: SslKey, line: ProsodyLine, clientOnly: boolean): SslKey {
  const onLine = k.byLine?.[line];
  const client = clientOnly && k.clientShapes;
  if (!onLine && !client) return k;
  const id = `${k.name}\0${onLine ? line : ''}\0${client ? 'client' : ''}`;
  let v = keyVariants.get(id);
  if (!v) keyVariants.set(id, (v = { ...k, ...onLine, ...(client ? { shapes: k.clientShapes! } : {}) }));
  return v;
}

/**
 * The shapes a key takes on a line, in a table that builds client contexts only or not, as the type rules judge a
 * written value (judgedAs, then shapeAllowed's `shapeSince`): what hover and completion say it takes there.
 */
export function shapesOn(k: SslKey, line: ProsodyLine, clientOnly: boolean): readonly ValueShape[] {
  const j = judgedAs(k, line, clientOnly);
  return j.shapes.filter((s) => {
    const since = j.shapeSince?.[s];
    return since === undefined || lineInRange(line, { since });
  });
}
