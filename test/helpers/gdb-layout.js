'use strict';
// Turns gdb's `ptype/o` output and our CType model into the same flat list of lines, so a test can
// compare them exactly: one line per member (offset[:bit] | size | declaration), one per nested
// aggregate opened, and one per "total size".

/** Parses the output of one or more `ptype/o` commands into a list of layouts (arrays of lines). */
function parsePtypeO(text) {
  const layouts = [];
  let cur = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (/type = (struct|union)/.test(line)) {
      cur = [];
      layouts.push(cur);
    }
    if (!cur) continue;
    let m = /^\/\*\s+(\d+)(?::\s*(\d+))?\s+\|\s+(\d+) \*\/\s+(?:type = )?(.*)$/.exec(line);
    if (m) {
      cur.push(entry(m[1], m[2], m[3], m[4]));
      continue;
    }
    m = /^\/\*\s+(\d+) \*\/\s+(.*)$/.exec(line); // union member: size only
    if (m) {
      cur.push(entry(null, null, m[1], m[2]));
      continue;
    }
    m = /total size \(bytes\):\s+(\d+)/.exec(line);
    if (m) cur.push(`total ${m[1]}`);
  }
  return layouts;
}

function entry(offset, bit, size, decl) {
  const where = offset === null ? '-' : bit === undefined || bit === null ? offset : `${offset}:${bit}`;
  return `${where} | ${size} | ${decl.replace(/;$/, '').trim()}`;
}

/** The same lines for one of our struct/union types. */
function layoutLines(type) {
  const lines = [];
  walk(type, 0, type.kind === 'union', lines);
  lines.push(`total ${type.size}`);
  return lines;
}

function walk(type, base, inUnion, lines) {
  for (const m of type.members) {
    const t = m.type;
    const size = t.size ?? 0;
    if ((t.kind === 'struct' || t.kind === 'union') && t.qualifiers.length === 0) {
      const where = inUnion ? '-' : String(base + m.offset);
      lines.push(`${where} | ${size} | ${t.kind} ${t.name ? t.name + ' ' : ''}{`);
      walk(t, base + m.offset, t.kind === 'union', lines);
      lines.push(`total ${size}`);
      continue;
    }
    let where;
    if (inUnion) where = '-';
    else if (m.bitSize !== null) where = `${base + Math.floor(m.bitOffset / 8)}:${m.bitOffset % 8}`;
    else where = String(base + m.offset);
    const decl = t.declare(m.name ?? '') + (m.bitSize !== null ? ` : ${m.bitSize}` : '');
    lines.push(`${where} | ${size} | ${decl}`);
  }
}

module.exports = { parsePtypeO, layoutLines };
