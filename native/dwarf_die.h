// The attributes of one DIE that the type reader cares about, decoded in one pass over the DIE.
// Private to dwarf_index.cc and dwarf_types.cc.
#pragma once

#include "dwarf.h"

namespace kvm {

struct DwarfReader::DieAttrs {
  uint64_t offset = 0;       // section offset of the DIE
  uint64_t after = 0;        // section offset just past its attributes
  uint16_t tag = 0;
  bool children = false;
  bool has_name = false;
  std::string_view name;
  bool has_byte_size = false;
  uint64_t byte_size = 0;
  AttrValue type;            // kRef / kSig8 / kUnsupportedRef, or kNone
  bool declaration = false, external = false, prototyped = false;
  uint8_t encoding = 0;
  bool has_bit_size = false;
  uint64_t bit_size = 0;
  bool has_bit_offset = false;
  uint64_t bit_offset = 0;
  bool has_data_bit_offset = false;
  uint64_t data_bit_offset = 0;
  AttrValue member_location, count, upper_bound, lower_bound, const_value, location;
  bool has_sibling = false;
  uint64_t sibling = 0;      // id
  bool has_specification = false, has_origin = false, has_signature = false;
  uint64_t specification = 0, origin = 0, signature = 0;
};

}  // namespace kvm
