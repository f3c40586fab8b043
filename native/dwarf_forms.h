// DWARF units, abbreviation tables and attribute forms: the layer that turns .debug_info bytes into
// (attribute, value) pairs. Every read goes through ByteView; an unknown form is refused, never
// guessed at, because a wrong size would misread everything after it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bytes.h"
#include "dwarf_consts.h"
#include "dwarf_sections.h"

namespace kvm {

// LEB128 numbers; advance `off`. Bits past 64 are dropped; running off the view throws BAD_FORMAT.
uint64_t read_uleb(const ByteView& v, uint64_t& off, const char* what);
int64_t read_sleb(const ByteView& v, uint64_t& off, const char* what);

// A NUL-terminated string inside `v` starting at `off`, without copying.
std::string_view cstr_view(const ByteView& v, uint64_t off, const char* what);

struct AttrSpec {
  uint16_t name = 0;
  uint16_t form = 0;
  int64_t implicit_const = 0;  // the value, for DW_FORM_implicit_const
};

struct Abbrev {
  uint64_t code = 0;
  uint16_t tag = 0;
  bool children = false;
  uint32_t first = 0, count = 0;  // this entry's specs in AbbrevTable::specs()
  int64_t fixed_size = -1;        // total attribute bytes when every form has a fixed size
};

// The abbreviations starting at one offset of .debug_abbrev, for units of one shape.
class AbbrevTable {
 public:
  AbbrevTable(ByteView abbrev, uint64_t offset, uint8_t addr_size, uint8_t offset_size,
              uint16_t version);
  const Abbrev* find(uint64_t code) const {
    if (code < dense_.size()) return dense_[code] ? &list_[dense_[code] - 1] : nullptr;
    for (const Abbrev& a : list_) {
      if (a.code == code) return &a;
    }
    return nullptr;
  }
  const AttrSpec* specs(const Abbrev& a) const { return specs_.data() + a.first; }
  size_t size() const { return list_.size(); }

 private:
  std::vector<Abbrev> list_;
  std::vector<uint32_t> dense_;  // code -> index + 1, for small codes
  std::vector<AttrSpec> specs_;
};

struct Unit {
  ByteView sec;              // the whole section holding the unit
  const char* sec_name = "";  // ".debug_info" or ".debug_types"
  uint64_t id_base = 0;      // type ids are id_base + section offset
  uint64_t offset = 0, end = 0, die_offset = 0;
  uint16_t version = 0;
  uint8_t unit_type = 0, addr_size = 0, offset_size = 4;
  uint64_t abbrev_offset = 0;
  bool is_type_unit = false;
  uint64_t type_signature = 0, type_offset = 0;
  uint64_t str_offsets_base = 0, addr_base = 0;
  const AbbrevTable* abbrevs = nullptr;

  uint64_t id(uint64_t sec_off) const { return id_base + sec_off; }
};

// Parses the unit header at `off`; `types_section` for DWARF 4 .debug_types units.
Unit parse_unit_header(ByteView sec, const char* sec_name, uint64_t id_base, uint64_t off,
                       bool types_section);

// Fixed byte size of a form for this unit shape, or -1 when it varies (LEB128, strings, blocks).
int fixed_form_size(uint16_t form, uint8_t addr_size, uint8_t offset_size, uint16_t version);

struct AttrValue {
  enum Kind : uint8_t { kNone, kUnsigned, kSigned, kString, kRef, kSig8, kBlock, kUnsupportedRef };
  Kind kind = kNone;
  uint16_t form = 0;
  uint64_t u = 0;  // constants, flags, addresses, offsets, type ids (kRef), signatures (kSig8)
  int64_t s = 0;   // kSigned
  std::string_view str;
  ByteView block;

  // The value as a signed number: dataN forms are sign-extended from their width.
  int64_t as_signed() const;
  // The value as unsigned (signed values reinterpreted).
  uint64_t as_unsigned() const { return kind == kSigned ? static_cast<uint64_t>(s) : u; }
  bool is_constant() const { return kind == kUnsigned || kind == kSigned; }
};

class FormReader {
 public:
  explicit FormReader(const DebugSections& s) : s_(s) {}
  // Reads the value of `spec` at `off` in the unit's section and advances `off`. With `raw_index`
  // set, strx/addrx forms give their index instead of being resolved (used before the unit's
  // bases are known).
  void read(const Unit& u, const AttrSpec& spec, uint64_t& off, AttrValue& out,
            bool raw_index = false) const;
  // Skips one value of `form`.
  void skip(const Unit& u, uint16_t form, uint64_t& off) const;
  // Address number `index` of the unit's .debug_addr contribution.
  uint64_t indexed_address(const Unit& u, uint64_t index) const;

 private:
  std::string_view indexed_string(const Unit& u, uint64_t index) const;
  std::string_view str_at(ByteView sec, const char* name, uint64_t off) const;
  const DebugSections& s_;
};

}  // namespace kvm
