// The parser's model objects, kept compact: a 50 000-line config holds about 300 000 of them, and a
// `[start, end]` array per range cost 64 bytes each (most of the model's memory). Offsets are number
// fields here and `range` is built on access; the interfaces of values.ts and parse.ts stay as they are,
// so readers (and hand-made values in tests) see no difference. `moved` gives the copy a chunk needs at
// a new offset (chunkedParse.ts).

import type { Section, Setting } from './parse';
import type { SectionKind } from './sectionWords';
import type { BooleanValue, ExpressionValue, NilValue, NumberValue, Range, StringValue, TableField, TableValue } from './values';

const NONE: readonly never[] = Object.freeze([]);

/**
 * An array built with `push` at its exact length: push leaves room to grow (17 slots for the first
 * element), and a config's tables are mostly short. Empty arrays share one frozen instance.
 */
export function exact<T>(a: T[]): readonly T[] {
  return a.length === 0 ? NONE : a.slice();
}

// Fields are declared, not initialised, and set in the constructors: class-field initialisers (define
// semantics) first create each field as undefined, which cost 4% of a first open's time.
abstract class Span {
  declare readonly start: number;
  declare readonly end: number;
  constructor(start: number, end: number) {
    this.start = start;
    this.end = end;
  }

  get range(): Range {
    return [this.start, this.end];
  }
}

export class StringNode extends Span implements StringValue {
  declare readonly kind: 'string';
  declare readonly value: string;
  /** Lengths of the opening and closing delimiters (`"`, `[==[`, with the newline Lua skips after one). */
  declare private readonly open: number;
  declare private readonly close: number;
  constructor(value: string, start: number, end: number, open: number, close: number) {
    super(start, end);
    this.kind = 'string';
    this.value = value;
    this.open = open;
    this.close = close;
  }

  get contentRange(): Range {
    return [this.start + this.open, this.end - this.close];
  }

  moved(d: number): StringNode {
    return new StringNode(this.value, this.start + d, this.end + d, this.open, this.close);
  }
}

export class NumberNode extends Span implements NumberValue {
  declare readonly kind: 'number';
  declare readonly value: number;
  declare readonly raw: string;
  constructor(value: number, raw: string, start: number, end: number) {
    super(start, end);
    this.kind = 'number';
    this.value = value;
    this.raw = raw;
  }

  moved(d: number): NumberNode {
    return new NumberNode(this.value, this.raw, this.start + d, this.end + d);
  }
}

export class BooleanNode extends Span implements BooleanValue {
  declare readonly kind: 'boolean';
  declare readonly value: boolean;
  constructor(value: boolean, start: number, end: number) {
    super(start, end);
    this.kind = 'boolean';
    this.value = value;
  }

  moved(d: number): BooleanNode {
    return new BooleanNode(this.value, this.start + d, this.end + d);
  }
}

export class NilNode extends Span implements NilValue {
  declare readonly kind: 'nil';
  constructor(start: number, end: number) {
    super(start, end);
    this.kind = 'nil';
  }

  moved(d: number): NilNode {
    return new NilNode(this.start + d, this.end + d);
  }
}

export class ExpressionNode extends Span implements ExpressionValue {
  declare readonly kind: 'expression';
  declare readonly what: string;
  declare readonly shown: string | undefined;
  constructor(what: string, start: number, end: number, shown?: string) {
    super(start, end);
    this.kind = 'expression';
    this.what = what;
    this.shown = shown;
  }

  moved(d: number): ExpressionNode {
    return new ExpressionNode(this.what, this.start + d, this.end + d, this.shown);
  }
}

export type ValueNode = StringNode | NumberNode | BooleanNode | NilNode | ExpressionNode | TableNode;

export class TableNode extends Span implements TableValue {
  declare readonly kind: 'table';
  declare readonly items: readonly ValueNode[];
  declare readonly fields: readonly FieldNode[];
  constructor(items: readonly ValueNode[], fields: readonly FieldNode[], start: number, end: number) {
    super(start, end);
    this.kind = 'table';
    this.items = items;
    this.fields = fields;
  }

  moved(d: number): TableNode {
    return new TableNode(
      this.items.map((i) => i.moved(d)),
      this.fields.map((f) => f.moved(d)),
      this.start + d,
      this.end + d,
    );
  }
}

export class FieldNode extends Span implements TableField {
  declare readonly key: string | number;
  declare readonly keyStart: number;
  declare readonly keyEnd: number;
  declare readonly bracket: boolean;
  declare readonly value: ValueNode;
  /** Delimiter lengths of a bracketed string key (`["k"]`, `[ [[k]] ]`); 0 for other keys. */
  declare private readonly keyOpen: number;
  declare private readonly keyClose: number;
  constructor(key: string | number, keyStart: number, keyEnd: number, bracket: boolean, value: ValueNode, start: number, end: number, keyOpen = 0, keyClose = 0) {
    super(start, end);
    this.key = key;
    this.keyStart = keyStart;
    this.keyEnd = keyEnd;
    this.bracket = bracket;
    this.value = value;
    this.keyOpen = keyOpen;
    this.keyClose = keyClose;
  }

  get keyRange(): Range {
    return [this.keyStart, this.keyEnd];
  }

  get keyContentRange(): Range {
    return [this.keyStart + this.keyOpen, this.keyEnd - this.keyClose];
  }

  moved(d: number): FieldNode {
    return new FieldNode(this.key, this.keyStart + d, this.keyEnd + d, this.bracket, this.value.moved(d), this.start + d, this.end + d, this.keyOpen, this.keyClose);
  }
}

export class SettingNode extends Span implements Setting {
  declare readonly name: string;
  declare readonly nameStart: number;
  declare readonly nameEnd: number;
  declare readonly value: ValueNode;
  declare readonly section: number;
  declare readonly conditional: boolean;
  constructor(name: string, nameStart: number, nameEnd: number, value: ValueNode, start: number, end: number, section: number, conditional: boolean) {
    super(start, end);
    this.name = name;
    this.nameStart = nameStart;
    this.nameEnd = nameEnd;
    this.value = value;
    this.section = section;
    this.conditional = conditional;
  }

  get nameRange(): Range {
    return [this.nameStart, this.nameEnd];
  }

  /** This setting `d` characters further on, in the section `ds` further on. */
  moved(d: number, ds: number): SettingNode {
    if (d === 0) return new SettingNode(this.name, this.nameStart, this.nameEnd, this.value, this.start, this.end, this.section + ds, this.conditional);
    return new SettingNode(this.name, this.nameStart + d, this.nameEnd + d, this.value.moved(d), this.start + d, this.end + d, this.section + ds, this.conditional);
  }
}

export class SectionNode extends Span implements Section {
  declare readonly kind: SectionKind;
  declare readonly name: string | undefined;
  declare readonly module: string | undefined;
  constructor(kind: SectionKind, name: string | undefined, module: string | undefined, start: number, end: number) {
    super(start, end);
    this.kind = kind;
    this.name = name;
    this.module = module;
  }

  moved(d: number): SectionNode {
    return new SectionNode(this.kind, this.name, this.module, this.start + d, this.end + d);
  }
}
