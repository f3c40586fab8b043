/**
 * The C type model: what a layout is, independent of where it came from. Types built from DWARF
 * resolve their targets and members lazily through a `TypeSource` (the registry), so looking up
 * `struct ifnet` does not decode every type it reaches.
 */
import { KvmError } from '../errors';

export type TypeKind =
  | 'void'
  | 'int'
  | 'bool'
  | 'float'
  | 'struct'
  | 'union'
  | 'class'
  | 'enum'
  | 'typedef'
  | 'pointer'
  | 'array'
  | 'function';

export type Qualifier = 'const' | 'volatile' | 'restrict' | '_Atomic';

export interface Member {
  /** null for an anonymous struct/union member. */
  name: string | null;
  type: CType;
  /** Bytes from the start of the enclosing type (for a bitfield: bitOffset / 8, rounded down). */
  offset: number;
  /** Bits from the start of the enclosing type, in the target's bit numbering. */
  bitOffset: number;
  /** Width of a bitfield, or null for an ordinary member. */
  bitSize: number | null;
}

export interface Enumerator {
  name: string;
  value: bigint;
}

/** Where a member path led: the member's type and position from the start of the outer type. */
export interface MemberLocation {
  type: CType;
  offset: number;
  bitOffset: number;
  bitSize: number | null;
}

/** Everything a CType needs that may be decoded later. */
export interface TypeSpec {
  kind: TypeKind;
  name?: string | null;
  size?: number | null;
  id?: number | null;
  qualifiers?: readonly Qualifier[];
  /** int/enum: signed values; int: also set for 'char' types that print as characters. */
  signed?: boolean;
  isChar?: boolean;
  /** Pointee, typedef target, element, enum compatible type, function return type. */
  target?: () => CType;
  members?: () => Member[];
  enumerators?: () => Enumerator[];
  /** Arrays: element count, or null when unknown (flexible array member). */
  length?: number | null;
  params?: () => CType[];
  variadic?: boolean;
  complete?: boolean;
}

export class CType {
  readonly kind: TypeKind;
  /** Tag, typedef or base-type name; null when anonymous or derived (pointer, array). */
  readonly name: string | null;
  /** sizeof in bytes; null for void, functions and incomplete types. */
  readonly size: number | null;
  /** DWARF DIE id (offset) this type came from, when it came from one. */
  readonly id: number | null;
  readonly qualifiers: readonly Qualifier[];
  /** int and enum types: values are signed. */
  readonly signed: boolean;
  /** int types spelled char / signed char / unsigned char (print as characters). */
  readonly isChar: boolean;
  /** Arrays: element count (outermost dimension); null = unknown (flexible). */
  readonly length: number | null;
  readonly variadic: boolean;
  /** false for a struct/union/enum declared but defined nowhere. */
  readonly complete: boolean;
  readonly #spec: TypeSpec;
  #target?: CType;
  #members?: Member[];
  #enumerators?: Enumerator[];
  #params?: CType[];

  constructor(spec: TypeSpec) {
    this.#spec = spec;
    this.kind = spec.kind;
    this.name = spec.name ?? null;
    this.size = spec.size ?? null;
    this.id = spec.id ?? null;
    this.qualifiers = spec.qualifiers ?? [];
    this.signed = spec.signed ?? false;
    this.isChar = spec.isChar ?? false;
    this.length = spec.length ?? null;
    this.variadic = spec.variadic ?? false;
    this.complete = spec.complete ?? true;
  }

  /** Pointee, typedef target, array element, enum compatible type or function return type. */
  get target(): CType {
    if (this.#target) return this.#target;
    if (!this.#spec.target) throw new TypeError(`type ${this} has no target type`);
    this.#target = this.#spec.target();
    return this.#target;
  }

  get hasTarget(): boolean {
    return this.#spec.target !== undefined;
  }

  /** Struct/union members in declaration order (anonymous members included, name null). */
  get members(): readonly Member[] {
    if (this.#members) return this.#members;
    if (this.kind !== 'struct' && this.kind !== 'union' && this.kind !== 'class') {
      throw new TypeError(`type ${this} is not a struct or union`);
    }
    if (!this.complete) {
      throw new KvmError('NO_TYPE', `${this} is incomplete (declared, never defined)`, {
        name: this.name ?? undefined,
      });
    }
    this.#members = this.#spec.members ? this.#spec.members() : [];
    return this.#members;
  }

  get enumerators(): readonly Enumerator[] {
    if (this.kind !== 'enum') throw new TypeError(`type ${this} is not an enum`);
    if (!this.#enumerators) this.#enumerators = this.#spec.enumerators ? this.#spec.enumerators() : [];
    return this.#enumerators;
  }

  get params(): readonly CType[] {
    if (this.kind !== 'function') throw new TypeError(`type ${this} is not a function type`);
    if (!this.#params) this.#params = this.#spec.params ? this.#spec.params() : [];
    return this.#params;
  }

  /** The same type with other qualifiers. */
  withQualifiers(qualifiers: readonly Qualifier[]): CType {
    const seen = new Set(qualifiers);
    const ordered = (['const', 'volatile', 'restrict', '_Atomic'] as const).filter((q) => seen.has(q));
    return new CType({ ...this.#spec, qualifiers: ordered, target: this.#target ? () => this.#target! : this.#spec.target });
  }

  unqualified(): CType {
    return this.qualifiers.length === 0 ? this : this.withQualifiers([]);
  }

  /** Follows typedefs (and drops qualifiers) down to the underlying type. */
  strip(): CType {
    let t: CType = this;
    for (let i = 0; t.kind === 'typedef'; i++) {
      if (i > 64) throw new KvmError('BAD_FORMAT', `typedef chain of ${this} is longer than 64`);
      t = t.target;
    }
    return t;
  }

  isInteger(): boolean {
    const k = this.strip().kind;
    return k === 'int' || k === 'bool' || k === 'enum';
  }

  isAggregate(): boolean {
    const k = this.strip().kind;
    return k === 'struct' || k === 'union' || k === 'class';
  }

  /** A member by name, looking through anonymous struct/union members; null when absent. */
  findMember(name: string, depth = 0): MemberLocation | null {
    // Anonymous members nest a few levels in real code; corrupt DWARF could make them a cycle.
    if (depth > 64) throw new KvmError('BAD_FORMAT', `anonymous members of ${this} nest more than 64 levels deep`);
    const t = this.strip();
    if (!t.isAggregate()) return null;
    for (const m of t.members) {
      if (m.name === name) return { type: m.type, offset: m.offset, bitOffset: m.bitOffset, bitSize: m.bitSize };
    }
    for (const m of t.members) {
      if (m.name !== null) continue;
      const inner = m.type.findMember(name, depth + 1);
      if (inner) {
        return {
          type: inner.type,
          offset: m.offset + inner.offset,
          bitOffset: m.bitOffset + inner.bitOffset,
          bitSize: inner.bitSize,
        };
      }
    }
    return null;
  }

  /**
   * Position of a member path like 'a.b.c' or 'arr[3].x' inside this type (no pointers are
   * followed). Throws NO_TYPE naming the missing member.
   */
  memberPath(path: string): MemberLocation {
    let loc: MemberLocation = { type: this, offset: 0, bitOffset: 0, bitSize: null };
    for (const step of parseMemberPath(path)) {
      if (step.kind === 'deref') {
        throw new TypeError(`offsetof path '${path}' goes through a pointer ('->')`);
      }
      if (step.kind === 'index') {
        const t = loc.type.strip();
        if (t.kind !== 'array') throw new TypeError(`'${path}': ${loc.type} is not an array`);
        const elem = t.target;
        const size = elem.size ?? 0;
        loc = { type: elem, offset: loc.offset + step.index * size, bitOffset: loc.bitOffset + step.index * size * 8, bitSize: null };
        continue;
      }
      const m = loc.type.findMember(step.name);
      if (!m) {
        throw new KvmError('NO_TYPE', `${loc.type} has no member '${step.name}' (in '${path}')`, {
          name: step.name,
        });
      }
      loc = { type: m.type, offset: loc.offset + m.offset, bitOffset: loc.bitOffset + m.bitOffset, bitSize: m.bitSize };
    }
    return loc;
  }

  /** The C spelling, as gdb prints it: 'struct ifnet *', 'char [16]', 'int (*)(void)'. */
  toString(): string {
    return declare(this, '');
  }

  /** gdb-style spelling of a declaration of `name` with this type ('char buf[16]'). */
  declare(name: string): string {
    return declare(this, name);
  }
}

function qualPrefix(t: CType): string {
  return t.qualifiers.length ? t.qualifiers.join(' ') + ' ' : '';
}

// Builds a C declarator inside-out: `inner` is what is already wrapped around the name.
function declare(t: CType, inner: string): string {
  const join = (base: string, rest: string) => (rest ? `${base} ${rest}` : base);
  switch (t.kind) {
    case 'pointer': {
      const q = t.qualifiers.length ? ' ' + t.qualifiers.join(' ') : '';
      const target = t.hasTarget ? t.target : VOID;
      let next = '*' + q + (inner && q ? ' ' : '') + inner;
      if (target.kind === 'array' || target.kind === 'function') next = `(${next})`;
      return declare(target, next);
    }
    case 'array': {
      const dim = t.length === null ? '[]' : `[${t.length}]`;
      return declare(t.target, inner + dim);
    }
    case 'function': {
      const params = t.params.map((p) => p.toString());
      if (t.variadic) params.push('...');
      const list = params.length ? params.join(', ') : 'void';
      const ret = t.hasTarget ? t.target : VOID;
      return declare(ret, `${inner}(${list})`);
    }
    case 'struct':
    case 'union':
    case 'enum':
    case 'class': {
      const base = `${qualPrefix(t)}${t.kind} ${t.name ?? '{...}'}`;
      return join(base, inner);
    }
    default:
      return join(`${qualPrefix(t)}${t.name ?? t.kind}`, inner);
  }
}

export const VOID = new CType({ kind: 'void', name: 'void', size: null });

export type PathStep = { kind: 'member'; name: string } | { kind: 'index'; index: number } | { kind: 'deref' };

/** Splits 'a.b->c[3].d' into member, deref and index steps. */
export function parseMemberPath(path: string): PathStep[] {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('member path must be a non-empty string');
  const steps: PathStep[] = [];
  const re = /\s*(?:(\.)|(->)|\[\s*(-?\d+|0x[0-9a-fA-F]+)\s*\]|([A-Za-z_$][\w$]*))/y;
  let expectName = true;
  let i = 0;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) throw new TypeError(`bad member path '${path}' at character ${i}`);
    i = re.lastIndex;
    if (m[1]) {
      expectName = true;
    } else if (m[2]) {
      steps.push({ kind: 'deref' });
      expectName = true;
    } else if (m[3] !== undefined) {
      steps.push({ kind: 'index', index: Number(m[3]) });
      expectName = false;
    } else {
      if (!expectName) throw new TypeError(`bad member path '${path}': missing '.' before '${m[4]}'`);
      steps.push({ kind: 'member', name: m[4] });
      expectName = false;
    }
  }
  if (expectName && steps.length > 0 && steps[steps.length - 1].kind !== 'deref') {
    throw new TypeError(`bad member path '${path}': ends with '.'`);
  }
  return steps;
}
