#include "dwarf_forms.h"

#include <algorithm>
#include <cstring>

namespace kvm {

using namespace dw;

namespace {
constexpr uint64_t kMaxDenseCode = 1u << 16;

[[noreturn]] void bad(const std::string& msg, uint64_t off) {
  throw Error(Code::BAD_FORMAT, msg).offset(off);
}
}  // namespace

uint64_t read_uleb(const ByteView& v, uint64_t& off, const char* what) {
  uint64_t result = 0;
  unsigned shift = 0;
  const uint8_t* p = v.data();
  uint64_t size = v.size();
  for (;;) {
    if (off >= size) v.require(off, 1, what);
    uint8_t byte = p[off++];
    if (shift < 64) result |= uint64_t(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) return result;
  }
}

int64_t read_sleb(const ByteView& v, uint64_t& off, const char* what) {
  uint64_t result = 0;
  unsigned shift = 0;
  uint8_t byte;
  do {
    if (off >= v.size()) v.require(off, 1, what);
    byte = v.data()[off++];
    if (shift < 64) result |= uint64_t(byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  if (shift < 64 && (byte & 0x40)) result |= ~uint64_t(0) << shift;
  return static_cast<int64_t>(result);
}

std::string_view cstr_view(const ByteView& v, uint64_t off, const char* what) {
  v.require(off, 1, what);
  const void* nul = std::memchr(v.data() + off, 0, v.size() - off);
  if (!nul) {
    bad(std::string(what) + " at offset " + hex(v.base() + off) + " is not NUL-terminated",
        v.base() + off);
  }
  return std::string_view(reinterpret_cast<const char*>(v.data() + off),
                          static_cast<const uint8_t*>(nul) - (v.data() + off));
}

int fixed_form_size(uint16_t form, uint8_t addr_size, uint8_t offset_size, uint16_t version) {
  switch (form) {
    case FORM_addr: return addr_size;
    case FORM_data1: case FORM_ref1: case FORM_flag: case FORM_strx1: case FORM_addrx1: return 1;
    case FORM_data2: case FORM_ref2: case FORM_strx2: case FORM_addrx2: return 2;
    case FORM_strx3: case FORM_addrx3: return 3;
    case FORM_data4: case FORM_ref4: case FORM_strx4: case FORM_addrx4: case FORM_ref_sup4:
      return 4;
    case FORM_data8: case FORM_ref8: case FORM_ref_sig8: case FORM_ref_sup8: return 8;
    case FORM_data16: return 16;
    case FORM_flag_present: case FORM_implicit_const: return 0;
    case FORM_strp: case FORM_sec_offset: case FORM_line_strp: case FORM_strp_sup:
    case FORM_GNU_ref_alt: case FORM_GNU_strp_alt:
      return offset_size;
    case FORM_ref_addr: return version <= 2 ? addr_size : offset_size;
    default: return -1;
  }
}

namespace {
bool known_form(uint16_t form) {
  switch (form) {
    case FORM_block2: case FORM_block4: case FORM_string: case FORM_block: case FORM_block1:
    case FORM_sdata: case FORM_udata: case FORM_ref_udata: case FORM_indirect: case FORM_exprloc:
    case FORM_strx: case FORM_addrx: case FORM_loclistx: case FORM_rnglistx:
    case FORM_GNU_addr_index: case FORM_GNU_str_index:
      return true;
    default: return fixed_form_size(form, 8, 8, 5) >= 0;
  }
}
}  // namespace

AbbrevTable::AbbrevTable(ByteView abbrev, uint64_t offset, uint8_t addr_size, uint8_t offset_size,
                         uint16_t version) {
  const char* what = "DWARF .debug_abbrev entry";
  if (offset >= abbrev.size()) {
    bad("DWARF unit's abbreviation offset " + hex(offset) + " is outside .debug_abbrev (size " +
            hex(abbrev.size()) + ")",
        offset);
  }
  uint64_t off = offset;
  // Each entry consumes at least 3 bytes, which bounds the loop by the section size.
  for (;;) {
    uint64_t entry_at = off;
    uint64_t code = read_uleb(abbrev, off, what);
    if (code == 0) break;
    Abbrev a;
    a.code = code;
    uint64_t tag = read_uleb(abbrev, off, what);
    a.tag = tag > 0xffff ? 0xffff : static_cast<uint16_t>(tag);
    a.children = abbrev.u8(off++, what) != 0;
    a.first = static_cast<uint32_t>(specs_.size());
    int64_t fixed = 0;
    for (;;) {
      uint64_t name = read_uleb(abbrev, off, what);
      uint64_t form = read_uleb(abbrev, off, what);
      if (name == 0 && form == 0) break;
      AttrSpec spec;
      spec.name = name > 0xffff ? 0xffff : static_cast<uint16_t>(name);
      if (form > 0xffff || !known_form(static_cast<uint16_t>(form))) {
        bad("DWARF abbreviation " + std::to_string(code) + " at .debug_abbrev offset " +
                hex(entry_at) + " uses unknown form " + hex(form),
            entry_at);
      }
      spec.form = static_cast<uint16_t>(form);
      if (spec.form == FORM_implicit_const) spec.implicit_const = read_sleb(abbrev, off, what);
      int size = fixed_form_size(spec.form, addr_size, offset_size, version);
      if (size < 0 || fixed < 0) {
        fixed = -1;
      } else {
        fixed += size;
      }
      specs_.push_back(spec);
    }
    a.count = static_cast<uint32_t>(specs_.size() - a.first);
    a.fixed_size = fixed;
    list_.push_back(a);
  }
  // Compilers number abbreviations 1..n: index them directly. Sparse numbering (only in odd or
  // hostile input) keeps the linear search, so memory stays proportional to the table.
  uint64_t max_code = 0;
  for (const Abbrev& a : list_) max_code = std::max(max_code, a.code);
  if (max_code < kMaxDenseCode && max_code <= 4 * list_.size() + 64) {
    dense_.assign(max_code + 1, 0);
    for (size_t i = list_.size(); i-- > 0;) dense_[list_[i].code] = static_cast<uint32_t>(i + 1);
  }
}

Unit parse_unit_header(ByteView sec, const char* sec_name, uint64_t id_base, uint64_t off,
                       bool types_section) {
  Unit u;
  u.sec = sec;
  u.sec_name = sec_name;
  u.id_base = id_base;
  u.offset = off;
  std::string what = std::string("DWARF unit header in ") + sec_name;
  uint64_t p = off;
  uint64_t length = sec.u32(p, what.c_str());
  p += 4;
  if (length == 0xffffffffu) {
    length = sec.u64(p, what.c_str());
    p += 8;
    u.offset_size = 8;
  } else if (length >= 0xfffffff0u) {
    bad(what + " at offset " + hex(off) + " has reserved length " + hex(length), off);
  }
  if (!sec.has(p, length)) {
    bad(what + " at offset " + hex(off) + ": unit length " + hex(length) +
            " runs past end of section (size " + hex(sec.size()) + ")",
        off);
  }
  u.end = p + length;
  ByteView unit = sec.sub(0, u.end, what.c_str());  // reads below stop at the unit's end
  u.version = unit.u16(p, what.c_str());
  p += 2;
  if (u.version < 2 || u.version > 5) {
    throw Error(Code::UNSUPPORTED, what + " at offset " + hex(off) + " has DWARF version " +
                                       std::to_string(u.version) + " (2 to 5 are supported)")
        .offset(off);
  }
  if (u.version >= 5) {
    u.unit_type = unit.u8(p++, what.c_str());
    u.addr_size = unit.u8(p++, what.c_str());
    u.abbrev_offset = unit.word(p, u.offset_size, what.c_str());
    p += u.offset_size;
    if (u.unit_type == UT_type || u.unit_type == UT_split_type) {
      u.is_type_unit = true;
      u.type_signature = unit.u64(p, what.c_str());
      u.type_offset = unit.word(p + 8, u.offset_size, what.c_str());
      p += 8 + u.offset_size;
    } else if (u.unit_type == UT_skeleton || u.unit_type == UT_split_compile) {
      p += 8;  // dwo_id
    } else if (u.unit_type != UT_compile && u.unit_type != UT_partial) {
      throw Error(Code::UNSUPPORTED, what + " at offset " + hex(off) + " has unknown unit type " +
                                         hex(u.unit_type))
          .offset(off);
    }
  } else {
    u.abbrev_offset = unit.word(p, u.offset_size, what.c_str());
    p += u.offset_size;
    u.addr_size = unit.u8(p++, what.c_str());
    u.unit_type = UT_compile;
    if (types_section) {
      u.is_type_unit = true;
      u.unit_type = UT_type;
      u.type_signature = unit.u64(p, what.c_str());
      u.type_offset = unit.word(p + 8, u.offset_size, what.c_str());
      p += 8 + u.offset_size;
    }
  }
  if (u.addr_size != 4 && u.addr_size != 8 && u.addr_size != 2) {
    bad(what + " at offset " + hex(off) + " has address size " + std::to_string(u.addr_size), off);
  }
  unit.require(p, 0, what.c_str());
  u.die_offset = p;
  if (u.is_type_unit && (u.type_offset < p - off || u.type_offset >= u.end - off)) {
    bad(what + " at offset " + hex(off) + " has type offset " + hex(u.type_offset) +
            " outside the unit",
        off);
  }
  return u;
}

int64_t AttrValue::as_signed() const {
  if (kind == kSigned) return s;
  switch (form) {
    case FORM_data1: return static_cast<int8_t>(u);
    case FORM_data2: return static_cast<int16_t>(u);
    case FORM_data4: return static_cast<int32_t>(u);
    default: return static_cast<int64_t>(u);
  }
}

std::string_view FormReader::str_at(ByteView sec, const char* name, uint64_t off) const {
  if (off >= sec.size()) {
    bad(std::string("DWARF string offset ") + hex(off) + " is outside " + name + " (size " +
            hex(sec.size()) + ")",
        off);
  }
  return cstr_view(sec, off, name);
}

std::string_view FormReader::indexed_string(const Unit& u, uint64_t index) const {
  const char* what = "DWARF .debug_str_offsets entry";
  if (index > (uint64_t(1) << 40)) bad("DWARF string index " + hex(index) + " is implausible", 0);
  uint64_t at = u.str_offsets_base + index * u.offset_size;
  if (!s_.str_offsets.has(at, u.offset_size)) {
    bad("DWARF string index " + std::to_string(index) + " (entry at " + hex(at) +
            ") is outside .debug_str_offsets (size " + hex(s_.str_offsets.size()) + ")",
        at);
  }
  return str_at(s_.str, ".debug_str", s_.str_offsets.word(at, u.offset_size, what));
}

uint64_t FormReader::indexed_address(const Unit& u, uint64_t index) const {
  if (index > (uint64_t(1) << 40)) bad("DWARF address index " + hex(index) + " is implausible", 0);
  uint64_t at = u.addr_base + index * u.addr_size;
  if (!s_.addr.has(at, u.addr_size)) {
    bad("DWARF address index " + std::to_string(index) + " (entry at " + hex(at) +
            ") is outside .debug_addr (size " + hex(s_.addr.size()) + ")",
        at);
  }
  return u.addr_size == 2 ? s_.addr.u16(at) : s_.addr.word(at, u.addr_size);
}

void FormReader::read(const Unit& u, const AttrSpec& spec, uint64_t& off, AttrValue& out,
                      bool raw_index) const {
  const ByteView& v = u.sec;
  const char* what = "DWARF attribute value";
  ByteView unit(v.data(), u.end, v.big_endian(), v.base());  // values must end inside the unit
  uint16_t form = spec.form;
  out.form = form;
  out.str = {};
  auto fixed = [&](unsigned n) -> uint64_t {
    unit.require(off, n, what);
    uint64_t r = 0;
    switch (n) {
      case 1: r = unit.u8(off); break;
      case 2: r = unit.u16(off); break;
      case 3: {
        uint8_t b0 = unit.u8(off), b1 = unit.u8(off + 1), b2 = unit.u8(off + 2);
        r = unit.big_endian() ? (uint64_t(b0) << 16 | uint64_t(b1) << 8 | b2)
                              : (uint64_t(b2) << 16 | uint64_t(b1) << 8 | b0);
        break;
      }
      case 4: r = unit.u32(off); break;
      default: r = unit.u64(off); break;
    }
    off += n;
    return r;
  };
  auto block = [&](uint64_t len) {
    out.kind = AttrValue::kBlock;
    out.block = unit.sub(off, len, "DWARF block attribute");
    off += len;
  };
  auto unit_ref = [&](uint64_t rel) {
    out.kind = AttrValue::kRef;
    if (rel >= u.end - u.offset) {
      bad(std::string("DWARF reference ") + hex(rel) + " at " + u.sec_name + " offset " +
              hex(off) + " points outside its unit (size " + hex(u.end - u.offset) + ")",
          off);
    }
    out.u = u.id(u.offset + rel);
  };
  auto strx = [&](uint64_t index) {
    if (raw_index) {
      out.kind = AttrValue::kUnsigned;
      out.u = index;
    } else {
      out.kind = AttrValue::kString;
      out.str = indexed_string(u, index);
    }
  };
  auto addrx = [&](uint64_t index) {
    out.kind = AttrValue::kUnsigned;
    out.u = raw_index ? index : indexed_address(u, index);
  };
  switch (form) {
    case FORM_addr: out.kind = AttrValue::kUnsigned; out.u = fixed(u.addr_size); return;
    case FORM_data1: case FORM_flag: out.kind = AttrValue::kUnsigned; out.u = fixed(1); return;
    case FORM_data2: out.kind = AttrValue::kUnsigned; out.u = fixed(2); return;
    case FORM_data4: out.kind = AttrValue::kUnsigned; out.u = fixed(4); return;
    case FORM_data8: out.kind = AttrValue::kUnsigned; out.u = fixed(8); return;
    case FORM_data16: block(16); return;
    case FORM_sdata: out.kind = AttrValue::kSigned; out.s = read_sleb(unit, off, what); return;
    case FORM_udata: out.kind = AttrValue::kUnsigned; out.u = read_uleb(unit, off, what); return;
    case FORM_implicit_const: out.kind = AttrValue::kSigned; out.s = spec.implicit_const; return;
    case FORM_flag_present: out.kind = AttrValue::kUnsigned; out.u = 1; return;
    case FORM_sec_offset: case FORM_loclistx: case FORM_rnglistx:
      out.kind = AttrValue::kUnsigned;
      out.u = form == FORM_sec_offset ? fixed(u.offset_size) : read_uleb(unit, off, what);
      return;
    case FORM_string:
      out.kind = AttrValue::kString;
      out.str = cstr_view(unit, off, "DWARF inline string");
      off += out.str.size() + 1;
      return;
    case FORM_strp: out.kind = AttrValue::kString; out.str = str_at(s_.str, ".debug_str", fixed(u.offset_size)); return;
    case FORM_line_strp:
      out.kind = AttrValue::kString;
      out.str = str_at(s_.line_str, ".debug_line_str", fixed(u.offset_size));
      return;
    case FORM_strp_sup: case FORM_GNU_strp_alt:
      // Strings in a supplementary (dwz) file we do not open.
      fixed(u.offset_size);
      out.kind = AttrValue::kString;
      out.str = std::string_view();
      return;
    case FORM_strx: case FORM_GNU_str_index: strx(read_uleb(unit, off, what)); return;
    case FORM_strx1: strx(fixed(1)); return;
    case FORM_strx2: strx(fixed(2)); return;
    case FORM_strx3: strx(fixed(3)); return;
    case FORM_strx4: strx(fixed(4)); return;
    case FORM_addrx: case FORM_GNU_addr_index: addrx(read_uleb(unit, off, what)); return;
    case FORM_addrx1: addrx(fixed(1)); return;
    case FORM_addrx2: addrx(fixed(2)); return;
    case FORM_addrx3: addrx(fixed(3)); return;
    case FORM_addrx4: addrx(fixed(4)); return;
    case FORM_ref1: unit_ref(fixed(1)); return;
    case FORM_ref2: unit_ref(fixed(2)); return;
    case FORM_ref4: unit_ref(fixed(4)); return;
    case FORM_ref8: unit_ref(fixed(8)); return;
    case FORM_ref_udata: unit_ref(read_uleb(unit, off, what)); return;
    case FORM_ref_addr: {
      uint64_t target = fixed(u.version <= 2 ? u.addr_size : u.offset_size);
      out.kind = AttrValue::kRef;
      out.u = target;  // .debug_info offsets are ids with base 0
      return;
    }
    case FORM_ref_sig8: out.kind = AttrValue::kSig8; out.u = fixed(8); return;
    case FORM_ref_sup4: case FORM_ref_sup8: case FORM_GNU_ref_alt:
      out.kind = AttrValue::kUnsupportedRef;
      out.u = fixed(form == FORM_ref_sup8 ? 8 : form == FORM_ref_sup4 ? 4 : u.offset_size);
      return;
    case FORM_exprloc: case FORM_block: block(read_uleb(unit, off, what)); return;
    case FORM_block1: block(fixed(1)); return;
    case FORM_block2: block(fixed(2)); return;
    case FORM_block4: block(fixed(4)); return;
    case FORM_indirect: {
      uint64_t at = off;
      uint64_t real = read_uleb(unit, off, what);
      if (real == FORM_indirect || real == FORM_implicit_const || real > 0xffff) {
        bad(std::string("DWARF indirect form at ") + u.sec_name + " offset " + hex(at) +
                " names form " + hex(real),
            at);
      }
      AttrSpec inner = spec;
      inner.form = static_cast<uint16_t>(real);
      read(u, inner, off, out, raw_index);
      return;
    }
    default:
      bad(std::string("DWARF attribute at ") + u.sec_name + " offset " + hex(off) +
              " has unknown form " + hex(form),
          off);
  }
}

void FormReader::skip(const Unit& u, uint16_t form, uint64_t& off) const {
  int n = fixed_form_size(form, u.addr_size, u.offset_size, u.version);
  if (n >= 0) {
    off += n;
    return;
  }
  ByteView unit(u.sec.data(), u.end, u.sec.big_endian(), u.sec.base());
  const char* what = "DWARF attribute value";
  switch (form) {
    case FORM_sdata: case FORM_udata: case FORM_ref_udata: case FORM_strx: case FORM_addrx:
    case FORM_loclistx: case FORM_rnglistx: case FORM_GNU_addr_index: case FORM_GNU_str_index:
      read_uleb(unit, off, what);
      return;
    case FORM_string: off += cstr_view(unit, off, "DWARF inline string").size() + 1; return;
    case FORM_exprloc: case FORM_block: {
      uint64_t len = read_uleb(unit, off, what);
      unit.require(off, len, what);
      off += len;
      return;
    }
    case FORM_block1: off += 1 + unit.u8(off, what); return;
    case FORM_block2: off += 2 + unit.u16(off, what); return;
    case FORM_block4: off += 4 + uint64_t(unit.u32(off, what)); return;
    case FORM_indirect: {
      AttrSpec spec;
      spec.form = FORM_indirect;
      AttrValue ignored;
      read(u, spec, off, ignored, true);
      return;
    }
    default:
      bad(std::string("DWARF attribute at ") + u.sec_name + " offset " + hex(off) +
              " has unknown form " + hex(form),
          off);
  }
}

}  // namespace kvm
