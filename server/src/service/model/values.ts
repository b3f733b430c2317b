// Config values as the analysis sees them: Lua literals and tables with their source ranges.
// Anything Prosody would compute at start-up (concatenation, variables, calls) is an `expression`:
// the analysis never guesses its value.

import { clip } from './clip';
import { HIDDEN, isSecretName, shownName, shownString } from './secrets';

export type Range = readonly [start: number, end: number];

export type LuaValue = StringValue | NumberValue | BooleanValue | NilValue | TableValue | ExpressionValue;

export interface StringValue {
  readonly kind: 'string';
  readonly value: string;
  readonly range: Range;
  /** Offsets of the content between the delimiters. */
  readonly contentRange: Range;
}
export interface NumberValue {
  readonly kind: 'number';
  readonly value: number;
  readonly raw: string;
  readonly range: Range;
}
export interface BooleanValue {
  readonly kind: 'boolean';
  readonly value: boolean;
  readonly range: Range;
}
export interface NilValue {
  readonly kind: 'nil';
  readonly range: Range;
}
export interface ExpressionValue {
  readonly kind: 'expression';
  /** What kind of expression, for messages: "function", "call", "concatenation", "variable", … */
  readonly what: string;
  /** How to show it when its source is worth showing (a string with template placeholders, as written). */
  readonly shown?: string;
  readonly range: Range;
}
export interface TableField {
  /** String keys (`k = v`, `["k"] = v`) or number keys (`[5223] = v`). */
  readonly key: string | number;
  readonly keyRange: Range;
  /** The key's text without its delimiters: a bracketed string key's content, else `keyRange`. */
  readonly keyContentRange: Range;
  readonly bracket: boolean;
  readonly value: LuaValue;
  readonly range: Range;
}
export interface TableValue {
  readonly kind: 'table';
  readonly range: Range;
  /** Positional entries, in order. */
  readonly items: readonly LuaValue[];
  /** Keyed entries, in order. */
  readonly fields: readonly TableField[];
}

/** A table literal with nothing in it (`{}`): an empty list of ports, interfaces or domains. */
export function emptyTable(v: LuaValue): boolean {
  return v.kind === 'table' && !v.items.length && !v.fields.length;
}

export function isTable(v: LuaValue | undefined): v is TableValue {
  return v?.kind === 'table';
}

/** The last field with this key (Lua keeps the last assignment). */
export function getField(t: TableValue, key: string | number): TableField | undefined {
  for (let i = t.fields.length - 1; i >= 0; i--) if (t.fields[i]!.key === key) return t.fields[i];
  return undefined;
}

/**
 * A short rendering of a value for hovers: literals as Lua, tables abbreviated. `name` is the option or key
 * the value belongs to: a secret one (and any secret key inside a table) is rendered as `(hidden)`.
 */
export function renderValue(v: LuaValue, max = 80, name?: string | number): string {
  if (name !== undefined && isSecretName(name) && v.kind !== 'nil') return HIDDEN;
  let s: string;
  switch (v.kind) {
    case 'string':
      s = shownString(v.value);
      break;
    case 'number':
      s = v.raw;
      break;
    case 'boolean':
      s = String(v.value);
      break;
    case 'nil':
      s = 'nil';
      break;
    case 'expression':
      s = v.shown ?? `(${v.what})`;
      break;
    case 'table': {
      // A key is the user's text too: a pasted key body as `["MC4C…"] = true` is not shown (a reviewer).
      const key = (f: TableField): string => {
        const shown = typeof f.key === 'string' ? shownName(f.key) : undefined;
        return shown !== undefined && shown !== f.key ? `[${shown}]` : f.bracket ? `[${JSON.stringify(f.key)}]` : String(f.key);
      };
      const parts = [...v.items.map((i) => renderValue(i, max)), ...v.fields.map((f) => `${key(f)} = ${renderValue(f.value, max, f.key)}`)];
      s = `{ ${parts.join(', ')} }`;
      break;
    }
  }
  return clip(s, max);
}
