/**
 * A small libxo look-alike: renderers describe their output once (text pieces, containers, lists,
 * instances and keyed values) and get either FreeBSD's text or the JSON `--libxo json[,pretty]`
 * would print.
 *
 * The JSON follows libxo 1.6's writer (contrib/libxo/libxo/libxo.c) byte for byte where netstat
 * uses it:
 *   - the document opens with `{` when the first container or list opens and ends with `}\n`;
 *   - a value is `"key":value` (pretty: `"key": value`), preceded by `,` (pretty: `,\n`) unless it
 *     is the first item of its frame;
 *   - opening a container, list or instance is preceded by `, ` (pretty: `,\n`) unless first;
 *     containers and lists print `"name": {` / `"name": [`, instances `{`;
 *   - closing prints `}` or `]`, pretty with a newline and indentation before it; closing a
 *     top-level container adds a newline after it (so the usual ending is `}\n}\n`);
 *   - pretty indentation is two spaces per open frame plus two for the top braces;
 *   - keys may repeat (netstat -d emits `dropped-packets` twice), numbers are written as their
 *     decimal digits (no 2^53 limit), strings escape only `\`, `"`, newline and carriage return.
 */

/** A JSON value as libxo writes it: bigint/number unquoted, string quoted. */
export type XoValue = bigint | number | string;

interface Frame {
  notFirst: boolean;
}

function escapeJson(s: string): string {
  return s.replace(/[\\"\n\r]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\${c}`));
}

/** The JSON half of the libxo emulation. */
export class XoJsonWriter {
  private readonly pretty: boolean;
  private readonly rootList: boolean;
  private buf = '';
  private topEmitted = false;
  private finished = false;
  private indentLevel = 0;
  private readonly stack: Frame[] = [{ notFirst: false }];
  private readonly kinds: Array<'container' | 'list' | 'instance'> = [];

  /**
   * @param pretty libxo's `pretty` flag.
   * @param rootList write a top-level JSON list instead of libxo's top object (our --all-vnets
   *   extension: `[` ... `]\n` holding instances).
   */
  constructor(pretty: boolean, rootList = false) {
    this.pretty = pretty;
    this.rootList = rootList;
  }

  private indent(): number {
    if (!this.pretty) return 0;
    return this.indentLevel * 2 + (this.topEmitted ? 2 : 0);
  }

  private spaces(): string {
    return ' '.repeat(this.indent());
  }

  private top(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  private emitTop(): void {
    if (this.topEmitted) return;
    this.buf += (this.rootList ? '[' : '{') + (this.pretty ? '\n' : '');
    this.topEmitted = true;
  }

  /** Separator written before opening a container, list or instance. */
  private openSeparator(): string {
    const parent = this.top();
    const sep = parent.notFirst ? (this.pretty ? ',\n' : ', ') : '';
    parent.notFirst = true;
    return sep;
  }

  private push(kind: 'container' | 'list' | 'instance'): void {
    this.stack.push({ notFirst: false });
    this.kinds.push(kind);
    this.indentLevel++;
  }

  private pop(kind: 'container' | 'list' | 'instance'): void {
    const top = this.kinds[this.kinds.length - 1];
    if (top !== kind) throw new Error(`xo: closing a ${kind} while a ${top ?? 'document'} is open`);
    this.kinds.pop();
    this.stack.pop();
    this.indentLevel--;
  }

  openContainer(name: string): void {
    this.emitTop();
    const sep = this.openSeparator();
    this.buf += `${sep}${this.spaces()}"${escapeJson(name)}": {${this.pretty ? '\n' : ''}`;
    this.push('container');
  }

  closeContainer(): void {
    const depth = this.kinds.length; // libxo's xo_depth of the frame being closed
    this.pop('container');
    const pre = this.pretty ? '\n' : '';
    const post = depth <= 1 ? '\n' : '';
    this.buf += `${pre}${this.spaces()}}${post}`;
    this.top().notFirst = true;
  }

  openList(name: string): void {
    this.emitTop();
    const sep = this.openSeparator();
    this.buf += `${sep}${this.spaces()}"${escapeJson(name)}": [${this.pretty ? '\n' : ''}`;
    this.push('list');
  }

  closeList(): void {
    const pre = this.top().notFirst && this.pretty ? '\n' : '';
    this.pop('list');
    this.buf += `${pre}${this.spaces()}]`;
    this.top().notFirst = true;
  }

  openInstance(): void {
    if (this.kinds.length === 0) this.emitTop();
    const sep = this.openSeparator();
    this.buf += `${sep}${this.spaces()}{${this.pretty ? '\n' : ''}`;
    this.push('instance');
  }

  closeInstance(): void {
    this.pop('instance');
    this.buf += `${this.pretty ? '\n' : ''}${this.spaces()}}`;
    this.top().notFirst = true;
  }

  /** One `"key":value` member; keys may repeat. */
  value(key: string, v: XoValue): void {
    const frame = this.top();
    if (frame.notFirst) this.buf += this.pretty ? ',\n' : ',';
    else frame.notFirst = true;
    const rendered = typeof v === 'string' ? `"${escapeJson(v)}"` : `${v}`;
    this.buf += `${this.spaces()}"${escapeJson(key)}":${this.pretty ? ' ' : ''}${rendered}`;
  }

  /** xo_finish(): close what is open and end the document. Idempotent. */
  finish(): string {
    if (!this.finished) {
      while (this.kinds.length > 0) {
        const k = this.kinds[this.kinds.length - 1]!;
        if (k === 'container') this.closeContainer();
        else if (k === 'list') this.closeList();
        else this.closeInstance();
      }
      const wasTop = this.topEmitted;
      this.topEmitted = false;
      if (this.rootList) {
        this.buf += wasTop ? `${this.pretty ? '\n' : ''}]\n` : '[]\n';
      } else {
        this.buf += `${this.spaces()}${wasTop ? '' : '{ '}}\n`;
      }
      this.finished = true;
    }
    return this.buf;
  }
}

/**
 * What renderers write to: text pieces for the text style, structure and values for JSON. In
 * text mode the structural calls do nothing; in JSON mode text() does nothing.
 */
export class XoOutput {
  readonly json: boolean;
  private text_ = '';
  private readonly writer: XoJsonWriter | null;

  constructor(style: { json: boolean; pretty: boolean }, rootList = false) {
    this.json = style.json;
    this.writer = style.json ? new XoJsonWriter(style.pretty, rootList) : null;
  }

  /** Display-only text ({P:}, {T:}, {N:}, literal text). */
  text(s: string): void {
    if (!this.writer) this.text_ += s;
  }

  /** A value shown as `shown` in text and encoded as `"key": value` in JSON. */
  field(key: string, value: XoValue, shown: string): void {
    if (this.writer) this.writer.value(key, value);
    else this.text_ += shown;
  }

  /** An encode-only value ({e:} fields). */
  encode(key: string, value: XoValue): void {
    if (this.writer) this.writer.value(key, value);
  }

  openContainer(name: string): void {
    this.writer?.openContainer(name);
  }
  closeContainer(): void {
    this.writer?.closeContainer();
  }
  openList(name: string): void {
    this.writer?.openList(name);
  }
  closeList(): void {
    this.writer?.closeList();
  }
  openInstance(): void {
    this.writer?.openInstance();
  }
  closeInstance(): void {
    this.writer?.closeInstance();
  }

  /** The finished document (text, or JSON after xo_finish()). */
  finish(): string {
    return this.writer ? this.writer.finish() : this.text_;
  }
}
