/**
 * Types by name and by DWARF id, over the addon's DWARF index. Parses C type names
 * ('struct ifnet *', 'unsigned long', 'char [16]', 'const struct foo **') and builds the CType
 * model lazily: members and targets are decoded the first time they are asked for.
 */
import { KvmError } from '../errors';
import type { NativeDwarf, NativeTypeInfo } from '../native';
import { CType, Enumerator, Member, Qualifier, TypeKind, VOID } from './model';

// DW_ATE_* values.
const ATE_boolean = 0x2;
const ATE_complex_float = 0x3;
const ATE_float = 0x4;
const ATE_signed = 0x5;
const ATE_signed_char = 0x6;
const ATE_unsigned_char = 0x8;

const QUALIFIER_KIND: Record<string, Qualifier> = {
  const: 'const',
  volatile: 'volatile',
  restrict: 'restrict',
  atomic: '_Atomic',
};

const BASE_WORDS = new Set(['signed', 'unsigned', 'short', 'long', 'int', 'char', 'float', 'double', '_Bool', 'bool', '__int128', '_Complex']);
const QUAL_WORDS = new Set(['const', 'volatile', 'restrict', '_Atomic', '__restrict']);

export class TypeRegistry {
  readonly #dwarf: NativeDwarf;
  readonly #byId = new Map<number, CType>();
  readonly #byName = new Map<string, CType>();
  readonly pointerSize: number;

  constructor(dwarf: NativeDwarf, pointerSize: number) {
    this.#dwarf = dwarf;
    this.pointerSize = pointerSize;
  }

  /** The type a DWARF id names (cached). */
  fromId(id: number): CType {
    const hit = this.#byId.get(id);
    if (hit) return hit;
    const info = this.#dwarf.typeInfo(id);
    const t = this.#build(info);
    this.#byId.set(id, t);
    if (info.id !== id) this.#byId.set(info.id, t);
    return t;
  }

  /** A pointer to `t`. */
  pointerTo(t: CType, qualifiers: readonly Qualifier[] = []): CType {
    return new CType({ kind: 'pointer', size: this.pointerSize, target: () => t, qualifiers });
  }

  /** An array of `length` elements of `t` (null length: unknown, as a flexible array member). */
  arrayOf(t: CType, length: number | null): CType {
    const size = length === null || t.size === null ? null : t.size * length;
    return new CType({ kind: 'array', size, length, target: () => t });
  }

  /** A named struct/union/enum/typedef/base type, or null. */
  find(kind: 'struct' | 'union' | 'enum' | 'typedef' | 'base', name: string): CType | null {
    const id = this.#dwarf.findType(kind, name);
    return id === undefined ? null : this.fromId(id);
  }

  /**
   * Parses a C type name. Throws NO_TYPE naming the missing type, TypeError for syntax we do not
   * accept.
   */
  parse(text: string): CType {
    if (typeof text !== 'string') throw new TypeError('type name must be a string');
    const cached = this.#byName.get(text);
    if (cached) return cached;
    const t = this.#parse(text);
    this.#byName.set(text, t);
    return t;
  }

  #parse(text: string): CType {
    const tokens = text.match(/[A-Za-z_$][\w$]*|\d+|0x[0-9a-fA-F]+|\*|\[|\]|\S/g) ?? [];
    let i = 0;
    const quals: Qualifier[] = [];
    const takeQuals = (into: Qualifier[]) => {
      while (i < tokens.length && QUAL_WORDS.has(tokens[i])) {
        const w = tokens[i++];
        into.push(w === '__restrict' ? 'restrict' : (w as Qualifier));
      }
    };
    takeQuals(quals);
    let base: CType;
    const tok = tokens[i];
    if (tok === undefined) throw new TypeError(`empty type name '${text}'`);
    if (tok === 'struct' || tok === 'union' || tok === 'enum' || tok === 'class') {
      const name = tokens[i + 1];
      if (!name || !/^[A-Za-z_$]/.test(name)) throw new TypeError(`'${text}': missing ${tok} tag name`);
      i += 2;
      const kind = tok === 'class' ? 'struct' : tok;
      const found = this.find(kind, name);
      if (!found) throw new KvmError('NO_TYPE', `no type ${tok} ${name} in the debug information`, { name: `${tok} ${name}` });
      base = found;
    } else if (BASE_WORDS.has(tok)) {
      const words: string[] = [];
      while (i < tokens.length && (BASE_WORDS.has(tokens[i]) || QUAL_WORDS.has(tokens[i]))) {
        if (QUAL_WORDS.has(tokens[i])) takeQuals(quals);
        else words.push(tokens[i++]);
      }
      base = this.#baseType(words, text);
    } else if (/^[A-Za-z_$]/.test(tok)) {
      i++;
      if (tok === 'void') {
        base = VOID;
      } else {
        const found = this.find('typedef', tok) ?? this.find('base', tok);
        if (!found) throw new KvmError('NO_TYPE', `no type named ${tok} in the debug information`, { name: tok });
        base = found;
      }
    } else {
      throw new TypeError(`bad type name '${text}'`);
    }
    takeQuals(quals);
    let t = quals.length ? base.withQualifiers([...base.qualifiers, ...quals]) : base;
    while (tokens[i] === '*') {
      i++;
      const pq: Qualifier[] = [];
      takeQuals(pq);
      t = this.pointerTo(t, pq);
    }
    const dims: (number | null)[] = [];
    while (tokens[i] === '[') {
      i++;
      if (tokens[i] === ']') {
        dims.push(null);
      } else {
        const n = Number(tokens[i++]);
        if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`'${text}': bad array length`);
        dims.push(n);
      }
      if (tokens[i++] !== ']') throw new TypeError(`'${text}': missing ']'`);
    }
    for (let d = dims.length - 1; d >= 0; d--) t = this.arrayOf(t, dims[d]);
    if (i !== tokens.length) throw new TypeError(`bad type name '${text}' (unexpected '${tokens[i]}')`);
    return t;
  }

  // 'unsigned long' -> the compiler's spelling ('long unsigned int' for gcc, 'unsigned long' for
  // clang); a C base type the DWARF lacks is made from the ABI's sizes.
  #baseType(words: string[], text: string): CType {
    const count = (w: string) => words.filter((x) => x === w).length;
    const unsigned = count('unsigned') > 0;
    const signedWord = count('signed') > 0;
    const longs = count('long');
    const short = count('short') > 0;
    const has = (w: string) => count(w) > 0;
    const candidates: string[] = [words.join(' ')];
    let size: number;
    let kind: TypeKind = 'int';
    let isChar = false;
    if (has('_Bool') || has('bool')) {
      candidates.push('_Bool', 'bool');
      kind = 'bool';
      size = 1;
    } else if (has('float') || has('double')) {
      kind = 'float';
      const name = has('float') ? 'float' : longs ? 'long double' : 'double';
      candidates.push(name);
      size = has('float') ? 4 : longs ? 16 : 8;
    } else if (has('char')) {
      isChar = true;
      const name = unsigned ? 'unsigned char' : signedWord ? 'signed char' : 'char';
      candidates.push(name);
      size = 1;
    } else if (has('__int128')) {
      candidates.push(unsigned ? '__int128 unsigned' : '__int128', unsigned ? 'unsigned __int128' : '__int128');
      size = 16;
    } else {
      const u = unsigned ? ' unsigned' : '';
      const cu = unsigned ? 'unsigned ' : '';
      if (short) {
        candidates.push(`short${u} int`, `${cu}short`);
        size = 2;
      } else if (longs >= 2) {
        candidates.push(`long long${u} int`, `${cu}long long`);
        size = 8;
      } else if (longs === 1) {
        candidates.push(`long${u} int`, `${cu}long`);
        size = this.pointerSize;
      } else {
        candidates.push(`${cu}int`);
        size = 4;
      }
    }
    for (const c of candidates) {
      const found = this.find('base', c);
      if (found) return found;
    }
    if (words.length === 0) throw new TypeError(`bad type name '${text}'`);
    const isSigned = kind === 'int' && !unsigned;
    return new CType({ kind, name: canonicalBaseName(candidates[1] ?? candidates[0]), size, signed: isSigned, isChar });
  }

  #build(info: NativeTypeInfo): CType {
    const target = info.target !== undefined ? this.#lazy(info.target) : undefined;
    const id = info.id;
    switch (info.kind) {
      case 'base': {
        const enc = info.encoding ?? 0;
        const kind: TypeKind =
          enc === ATE_boolean ? 'bool' : enc === ATE_float || enc === ATE_complex_float ? 'float' : 'int';
        const isChar =
          enc === ATE_signed_char || enc === ATE_unsigned_char || (kind === 'int' && info.size === 1 && /char/.test(info.name ?? ''));
        const name = info.name === undefined ? null : canonicalBaseName(info.name);
        return new CType({ kind, id, name, size: info.size ?? null, signed: enc === ATE_signed || enc === ATE_signed_char, isChar });
      }
      case 'struct':
      case 'union':
      case 'class': {
        const kind: TypeKind = info.kind === 'union' ? 'union' : 'struct';
        return new CType({
          kind,
          id,
          name: info.name ?? null,
          size: info.incomplete ? null : info.size ?? 0,
          complete: !info.incomplete,
          members: () => (info.members ?? []).map((m) => this.#member(m)),
        });
      }
      case 'enum':
        return new CType({
          kind: 'enum',
          id,
          name: info.name ?? null,
          size: info.incomplete ? null : info.size ?? 4,
          complete: !info.incomplete,
          signed: info.signed ?? false,
          target,
          enumerators: (): Enumerator[] => (info.enumerators ?? []).map((e) => ({ name: e.name, value: e.value })),
        });
      case 'typedef':
        return new CType({ kind: 'typedef', id, name: info.name ?? null, size: info.size ?? null, target: target ?? (() => VOID) });
      case 'pointer':
      case 'reference':
      case 'rvalue_reference':
        return new CType({ kind: 'pointer', id, size: info.size ?? this.pointerSize, target: target ?? (() => VOID) });
      case 'ptr_to_member':
        return new CType({ kind: 'int', id, name: 'ptr_to_member', size: info.size ?? this.pointerSize });
      case 'array': {
        // int a[2][3] arrives as one DIE with dims [2, 3]: build array(2) of array(3) of int.
        const dims = info.dims && info.dims.length ? info.dims : [null];
        const elem = target ?? (() => VOID);
        let inner: () => CType = elem;
        for (let d = dims.length - 1; d >= 1; d--) {
          const prev = inner;
          const len = dims[d];
          inner = () => this.arrayOf(prev(), len);
        }
        return new CType({ kind: 'array', id, size: info.size ?? null, length: dims[0], target: inner });
      }
      case 'const':
      case 'volatile':
      case 'restrict':
      case 'atomic': {
        const base = info.target !== undefined ? this.fromId(info.target) : VOID;
        return base.withQualifiers([...base.qualifiers, QUALIFIER_KIND[info.kind]]);
      }
      case 'function':
        return new CType({
          kind: 'function',
          id,
          size: null,
          target,
          variadic: info.variadic ?? false,
          params: () => (info.params ?? []).map((p) => (p === null ? VOID : this.fromId(p))),
        });
      case 'unspecified':
      default:
        return new CType({ kind: 'void', id, name: info.name ?? 'void', size: null });
    }
  }

  #lazy(id: number): () => CType {
    return () => this.fromId(id);
  }

  #member(m: { name: string; typeId?: number; offset: number; bitOffset: number; bitSize: number }): Member {
    return {
      name: m.name === '' ? null : m.name,
      type: m.typeId === undefined ? VOID : this.fromId(m.typeId),
      offset: m.offset,
      bitOffset: m.bitOffset,
      bitSize: m.bitSize === 0 ? null : m.bitSize,
    };
  }
}

const INT_WORDS = new Set(['signed', 'unsigned', 'short', 'long', 'int', 'char', '__int128']);

/**
 * The C spelling gdb and drgn print for an integer base type: compilers name them in any word
 * order ('long unsigned int'); we show 'unsigned long'. Other names pass through.
 */
export function canonicalBaseName(name: string): string {
  const words = name.split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0 || !words.every((w) => INT_WORDS.has(w))) return name;
  const n = (w: string) => words.filter((x) => x === w).length;
  const u = n('unsigned') > 0 ? 'unsigned ' : '';
  if (n('__int128')) return `${u}__int128`;
  if (n('char')) return `${u || (n('signed') ? 'signed ' : '')}char`;
  if (n('short')) return `${u}short`;
  if (n('long') >= 2) return `${u}long long`;
  if (n('long') === 1) return `${u}long`;
  return `${u}int`;
}
