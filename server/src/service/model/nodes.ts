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

abstract class Span {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}

  get range(): Range {
    return [this.start, this.end];
  }
}

export class StringNode extends Span implements StringValue {
  readonly kind = 'string';
  constructor(
    readonly value: string,
    start: number,
    end: number,
    /** Lengths of the opening and closing delimiters (`"`, `[==[`). */
    private readonly open: number,
    private readonly close: number,
  ) {
    super(start, end);
  }

  get contentRange(): Range {
    return [this.start + this.open, this.end - this.close];
  }

  moved(d: number): StringNode {
    return new StringNode(this.value, this.start + d, this.end + d, this.open, this.close);
  }
}

export class NumberNode extends Span implements NumberValue {
  readonly kind = 'number';
  constructor(
    readonly value: number,
    readonly raw: string,
    start: number,
    end: number,
  ) {
    super(start, end);
  }

  moved(d: number): NumberNode {
    return new NumberNode(this.value, this.raw, this.start + d, this.end + d);
  }
}

export class BooleanNode extends Span implements BooleanValue {
  readonly kind = 'boolean';
  constructor(
    readonly value: boolean,
    start: number,
    end: number,
  ) {
    super(start, end);
  }

  moved(d: number): BooleanNode {
    return new BooleanNode(this.value, this.start + d, this.end + d);
  }
}

export class NilNode extends Span implements NilValue {
  readonly kind = 'nil';

  moved(d: number): NilNode {
    return new NilNode(this.start + d, this.end + d);
  }
}

export class ExpressionNode extends Span implements ExpressionValue {
  readonly kind = 'expression';
  constructor(
    readonly what: string,
    start: number,
    end: number,
  ) {
    super(start, end);
  }

  moved(d: number): ExpressionNode {
    return new ExpressionNode(this.what, this.start + d, this.end + d);
  }
}

export type ValueNode = StringNode | NumberNode | BooleanNode | NilNode | ExpressionNode | TableNode;

export class TableNode extends Span implements TableValue {
  readonly kind = 'table';
  constructor(
    readonly items: readonly ValueNode[],
    readonly fields: readonly FieldNode[],
    start: number,
    end: number,
  ) {
    super(start, end);
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
  constructor(
    readonly key: string | number,
    readonly keyStart: number,
    readonly keyEnd: number,
    readonly bracket: boolean,
    readonly value: ValueNode,
    start: number,
    end: number,
  ) {
    super(start, end);
  }

  get keyRange(): Range {
    return [this.keyStart, this.keyEnd];
  }

  moved(d: number): FieldNode {
    return new FieldNode(this.key, this.keyStart + d, this.keyEnd + d, this.bracket, this.value.moved(d), this.start + d, this.end + d);
  }
}

export class SettingNode extends Span implements Setting {
  constructor(
    readonly name: string,
    readonly nameStart: number,
    readonly nameEnd: number,
    readonly value: ValueNode,
    start: number,
    end: number,
    readonly section: number,
    readonly conditional: boolean,
  ) {
    super(start, end);
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
  constructor(
    readonly kind: SectionKind,
    readonly name: string | undefined,
    readonly module: string | undefined,
    start: number,
    end: number,
  ) {
    super(start, end);
  }

  moved(d: number): SectionNode {
    return new SectionNode(this.kind, this.name, this.module, this.start + d, this.end + d);
  }
}
