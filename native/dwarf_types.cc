// Decoding type DIEs on demand: members, bitfields, array bounds, enumerators, function types.
#include "dwarf_die.h"

namespace kvm {

using namespace dw;

namespace {
// Typedef/qualifier/array chains deeper than this are taken as a cycle in corrupt input.
constexpr unsigned kMaxTypeDepth = 64;

[[noreturn]] void bad(const std::string& msg, uint64_t off) {
  throw Error(Code::BAD_FORMAT, msg).offset(off);
}

bool type_kind_of(uint16_t tag, TypeKind* kind) {
  switch (tag) {
    case TAG_base_type: *kind = TypeKind::kBase; return true;
    case TAG_structure_type: *kind = TypeKind::kStruct; return true;
    case TAG_class_type: *kind = TypeKind::kClass; return true;
    case TAG_union_type: *kind = TypeKind::kUnion; return true;
    case TAG_enumeration_type: *kind = TypeKind::kEnum; return true;
    case TAG_typedef: *kind = TypeKind::kTypedef; return true;
    case TAG_pointer_type: *kind = TypeKind::kPointer; return true;
    case TAG_array_type: *kind = TypeKind::kArray; return true;
    case TAG_const_type: *kind = TypeKind::kConst; return true;
    case TAG_volatile_type: *kind = TypeKind::kVolatile; return true;
    case TAG_restrict_type: *kind = TypeKind::kRestrict; return true;
    case TAG_atomic_type: *kind = TypeKind::kAtomic; return true;
    case TAG_subroutine_type: *kind = TypeKind::kFunction; return true;
    case TAG_subprogram: *kind = TypeKind::kFunction; return true;
    case TAG_unspecified_type: *kind = TypeKind::kUnspecified; return true;
    case TAG_reference_type: *kind = TypeKind::kReference; return true;
    case TAG_rvalue_reference_type: *kind = TypeKind::kRvalueReference; return true;
    case TAG_ptr_to_member_type: *kind = TypeKind::kPtrToMember; return true;
    default: return false;
  }
}

// Evaluates the simple member-location expressions compilers emit (DW_OP_plus_uconst N or
// DW_OP_constu N); false for anything else.
bool member_location_expr(const ByteView& b, uint64_t* out) {
  if (b.size() < 2) return false;
  uint8_t op = b.u8(0);
  if (op != OP_plus_uconst && op != OP_constu) return false;
  uint64_t p = 1;
  *out = read_uleb(b, p, "DWARF member location");
  return p == b.size();
}

// Counter that bounds decode recursion and is restored on every exit path.
struct DepthGuard {
  unsigned& depth;
  explicit DepthGuard(unsigned& d, uint64_t id) : depth(d) {
    if (++depth > kMaxTypeDepth) {
      depth--;
      bad("DWARF type at id " + hex(id) + " nests more than " + std::to_string(kMaxTypeDepth) +
              " levels deep (a cycle of typedefs or qualifiers?)",
          id);
    }
  }
  ~DepthGuard() { depth--; }
};
}  // namespace

const char* type_kind_name(TypeKind kind) {
  static const char* const kNames[] = {
      "base",     "struct",   "union",    "class",    "enum",        "typedef",
      "pointer",  "array",    "const",    "volatile", "restrict",    "atomic",
      "function", "unspecified", "reference", "rvalue_reference", "ptr_to_member",
  };
  return kNames[static_cast<size_t>(kind)];
}

void DwarfReader::read_die(const Unit& u, uint64_t off, DieAttrs& a) const {
  a = DieAttrs();
  a.offset = off;
  ByteView unit_bytes(u.sec.data(), u.end, u.sec.big_endian(), u.sec.base());
  uint64_t p = off;
  uint64_t code = read_uleb(unit_bytes, p, "DWARF DIE");
  const Abbrev* ab = code ? u.abbrevs->find(code) : nullptr;
  if (!ab) {
    throw Error(Code::BAD_FORMAT, std::string("no DWARF DIE at ") + u.sec_name + " offset " +
                                      hex(off) + " (abbreviation " + std::to_string(code) + ")")
        .offset(off);
  }
  a.tag = ab->tag;
  a.children = ab->children;
  const AttrSpec* specs = u.abbrevs->specs(*ab);
  AttrValue v;
  for (uint32_t i = 0; i < ab->count; i++) {
    const AttrSpec& s = specs[i];
    switch (s.name) {
      case AT_name: case AT_byte_size: case AT_type: case AT_declaration: case AT_external:
      case AT_prototyped: case AT_encoding: case AT_bit_size: case AT_bit_offset:
      case AT_data_bit_offset: case AT_data_member_location: case AT_count: case AT_upper_bound:
      case AT_lower_bound: case AT_const_value: case AT_location: case AT_sibling:
      case AT_specification: case AT_abstract_origin: case AT_signature:
        break;
      default:
        forms_->skip(u, s.form, p);
        continue;
    }
    forms_->read(u, s, p, v);
    switch (s.name) {
      case AT_name:
        if (v.kind == AttrValue::kString) {
          a.has_name = true;
          a.name = v.str;
        }
        break;
      case AT_byte_size:
        if (v.is_constant()) {
          a.has_byte_size = true;
          a.byte_size = v.as_unsigned();
        }
        break;
      case AT_type: a.type = v; break;
      case AT_declaration: a.declaration = v.as_unsigned() != 0; break;
      case AT_external: a.external = v.as_unsigned() != 0; break;
      case AT_prototyped: a.prototyped = v.as_unsigned() != 0; break;
      case AT_encoding: a.encoding = static_cast<uint8_t>(v.as_unsigned()); break;
      case AT_bit_size:
        a.has_bit_size = v.is_constant();
        a.bit_size = v.as_unsigned();
        break;
      case AT_bit_offset:
        a.has_bit_offset = v.is_constant();
        a.bit_offset = v.as_unsigned();
        break;
      case AT_data_bit_offset:
        a.has_data_bit_offset = v.is_constant();
        a.data_bit_offset = v.as_unsigned();
        break;
      case AT_data_member_location: a.member_location = v; break;
      case AT_count: a.count = v; break;
      case AT_upper_bound: a.upper_bound = v; break;
      case AT_lower_bound: a.lower_bound = v; break;
      case AT_const_value: a.const_value = v; break;
      case AT_location: a.location = v; break;
      case AT_sibling:
        if (v.kind == AttrValue::kRef) {
          a.has_sibling = true;
          a.sibling = v.u;
        }
        break;
      case AT_specification:
        if (v.kind == AttrValue::kRef) {
          a.has_specification = true;
          a.specification = v.u;
        }
        break;
      case AT_abstract_origin:
        if (v.kind == AttrValue::kRef) {
          a.has_origin = true;
          a.origin = v.u;
        }
        break;
      case AT_signature:
        if (v.kind == AttrValue::kSig8) {
          a.has_signature = true;
          a.signature = v.u;
        }
        break;
    }
  }
  if (p > u.end) {
    bad(std::string("DWARF DIE at ") + u.sec_name + " offset " + hex(off) +
            " runs past the end of its unit (" + hex(u.end) + ")",
        off);
  }
  a.after = p;
}

bool DwarfReader::resolve_ref(const DieAttrs& a, uint64_t* id) const {
  switch (a.type.kind) {
    case AttrValue::kRef: *id = a.type.u; return true;
    case AttrValue::kSig8: {
      auto it = signatures_.find(a.type.u);
      if (it == signatures_.end()) {
        throw Error(Code::BAD_FORMAT, "DWARF DIE at offset " + hex(a.offset) +
                                          " refers to type signature " + hex(a.type.u) +
                                          ", which no type unit defines")
            .offset(a.offset);
      }
      *id = it->second;
      return true;
    }
    case AttrValue::kUnsupportedRef:
      throw Error(Code::UNSUPPORTED, "DWARF DIE at offset " + hex(a.offset) +
                                         " refers to a type in a supplementary (dwz) file")
          .offset(a.offset);
    default: return false;
  }
}

template <typename F>
void DwarfReader::for_each_child(const Unit& u, const DieAttrs& parent, F&& fn) const {
  if (!parent.children) return;
  ByteView unit_bytes(u.sec.data(), u.end, u.sec.big_endian(), u.sec.base());
  uint64_t off = parent.after;
  unsigned depth = 0;
  DieAttrs c;
  for (;;) {
    if (off >= u.end) {
      bad(std::string("children of the DWARF DIE at ") + u.sec_name + " offset " +
              hex(parent.offset) + " run past the end of its unit",
          parent.offset);
    }
    uint64_t p = off;
    if (read_uleb(unit_bytes, p, "DWARF DIE") == 0) {
      off = p;
      if (depth == 0) return;
      depth--;
      continue;
    }
    read_die(u, off, c);
    if (depth == 0) fn(c);
    off = c.after;
    if (c.children) {
      uint64_t sib = c.sibling - u.id_base;
      if (c.has_sibling && c.sibling >= u.id_base && sib > c.offset && sib <= u.end) {
        off = sib;
      } else {
        depth++;
      }
    }
  }
}

const TypeInfo& DwarfReader::type_info(uint64_t id) {
  auto hit = types_.find(id);
  if (hit != types_.end()) return *hit->second;
  auto alias = aliases_.find(id);
  if (alias != aliases_.end()) return *alias->second;
  DepthGuard guard(depth_, id);
  std::unique_ptr<TypeInfo> t = decode_type(id);
  if (!t) {
    // A declaration whose definition lives elsewhere: decode_type found the definition's id.
    return *aliases_.at(id);
  }
  const TypeInfo* raw = t.get();
  types_.emplace(id, std::move(t));
  return *raw;
}

std::unique_ptr<TypeInfo> DwarfReader::decode_type(uint64_t id) {
  const Unit* up = unit_for(id);
  if (!up) throw Error(Code::NO_TYPE, "no DWARF DIE with type id " + hex(id)).offset(id);
  const Unit& u = *up;
  DieAttrs a;
  read_die(u, id - u.id_base, a);
  auto t = std::make_unique<TypeInfo>();
  t->id = id;
  if (!type_kind_of(a.tag, &t->kind)) {
    throw Error(Code::NO_TYPE, "DWARF DIE " + hex(id) + " (tag " + hex(a.tag) + ") is not a type")
        .offset(id);
  }
  if (a.has_name) t->name = std::string(a.name);
  // Declarations of aggregates complete to a definition: by signature, else by name and kind.
  bool aggregate = t->kind == TypeKind::kStruct || t->kind == TypeKind::kClass ||
                   t->kind == TypeKind::kUnion || t->kind == TypeKind::kEnum;
  if (aggregate && (a.declaration || (a.has_signature && !a.has_byte_size))) {
    uint64_t def = 0;
    bool found = false;
    if (a.has_signature) {
      auto it = signatures_.find(a.signature);
      found = it != signatures_.end();
      if (found) def = it->second;
    }
    if (!found && a.has_name) {
      NameKind nk = t->kind == TypeKind::kUnion  ? NameKind::kUnion
                    : t->kind == TypeKind::kEnum ? NameKind::kEnum
                                                 : NameKind::kStruct;
      const auto& map = index_[static_cast<size_t>(nk)];
      auto it = map.find(a.name);
      if (it != map.end() && it->second.def) {
        def = it->second.def - 1;
        found = true;
      }
    }
    if (found && def != id) {
      aliases_[id] = &type_info(def);
      return nullptr;
    }
    t->incomplete = true;
    return t;
  }
  if (a.has_byte_size) {
    t->has_size = true;
    t->size = a.byte_size;
  }
  t->has_target = resolve_ref(a, &t->target);
  t->prototyped = a.prototyped;
  switch (t->kind) {
    case TypeKind::kBase:
      t->encoding = a.encoding;
      break;
    case TypeKind::kStruct: case TypeKind::kClass: case TypeKind::kUnion:
      fill_members(u, a, *t);
      break;
    case TypeKind::kEnum:
      fill_enum(u, a, *t);
      break;
    case TypeKind::kArray:
      fill_array(u, a, *t);
      break;
    case TypeKind::kFunction:
      fill_function(u, a, *t);
      break;
    case TypeKind::kPointer: case TypeKind::kReference: case TypeKind::kRvalueReference:
      if (!t->has_size) {
        t->has_size = true;
        t->size = u.addr_size;
      }
      break;
    case TypeKind::kTypedef: case TypeKind::kConst: case TypeKind::kVolatile:
    case TypeKind::kRestrict: case TypeKind::kAtomic:
      if (!t->has_target) {
        t->has_size = false;  // void
      } else if (!t->has_size) {
        t->has_size = size_of(t->target, &t->size);
      }
      break;
    default:
      break;
  }
  return t;
}

bool DwarfReader::size_of(uint64_t id, uint64_t* size) {
  const TypeInfo& t = type_info(id);
  if (!t.has_size) return false;
  *size = t.size;
  return true;
}

void DwarfReader::fill_members(const Unit& u, const DieAttrs& a, TypeInfo& t) {
  bool big = u.sec.big_endian();
  for_each_child(u, a, [&](const DieAttrs& c) {
    if (c.tag != TAG_member && c.tag != 0x1c /* DW_TAG_inheritance */) return;
    if (c.tag == TAG_member && c.declaration) return;  // C++ static member
    MemberInfo m;
    if (c.has_name) m.name = std::string(c.name);
    m.has_type = resolve_ref(c, &m.type);
    uint64_t loc = 0;
    const AttrValue& ml = c.member_location;
    if (ml.is_constant()) {
      loc = ml.as_unsigned();
    } else if (ml.kind == AttrValue::kBlock) {
      if (!member_location_expr(ml.block, &loc)) {
        throw Error(Code::UNSUPPORTED, "member " + m.name + " of DWARF type " + hex(t.id) +
                                           " has a location expression we do not evaluate")
            .offset(c.offset);
      }
    }
    uint64_t bitpos = loc * 8;
    if (c.has_bit_size && c.bit_size > 0) {
      m.bit_size = static_cast<uint32_t>(c.bit_size > 0xffff ? 0xffff : c.bit_size);
      if (c.has_data_bit_offset) {
        bitpos = c.data_bit_offset + (ml.kind == AttrValue::kNone ? 0 : loc * 8);
      } else if (c.has_bit_offset) {
        // DWARF 2/3 style: bits from the most significant bit of a storage unit at `loc`.
        uint64_t storage = c.byte_size;
        if (!c.has_byte_size && !(m.has_type && size_of(m.type, &storage))) storage = 0;
        if (big) {
          bitpos = loc * 8 + c.bit_offset;
        } else {
          bitpos = loc * 8 + storage * 8 - c.bit_offset - c.bit_size;
        }
      }
      m.offset = bitpos / 8;
    } else {
      m.offset = loc;
    }
    m.bit_offset = bitpos;
    t.members.push_back(std::move(m));
  });
}

namespace {
// An array bound. dataN forms carry no sign; compilers encode 255 as data1 0xff, so only an
// all-ones 4- or 8-byte constant is the -1 that older compilers write for a zero-length array.
int64_t bound_value(const AttrValue& v) {
  if (v.kind == AttrValue::kSigned) return v.s;
  if (v.form == FORM_data4 && v.u == 0xffffffffu) return -1;
  if (v.form == FORM_data8 && v.u == ~uint64_t(0)) return -1;
  return static_cast<int64_t>(v.u);
}
}  // namespace

void DwarfReader::fill_array(const Unit& u, const DieAttrs& a, TypeInfo& t) {
  for_each_child(u, a, [&](const DieAttrs& c) {
    if (c.tag != TAG_subrange_type && c.tag != TAG_enumeration_type) return;
    int64_t n = -1;
    if (c.count.is_constant()) {
      n = static_cast<int64_t>(c.count.as_unsigned());
    } else if (c.upper_bound.is_constant()) {
      int64_t lower = c.lower_bound.is_constant() ? bound_value(c.lower_bound) : 0;
      int64_t upper = bound_value(c.upper_bound);
      n = upper - lower + 1;
      if (n < 0) n = 0;
    }
    if (n > (int64_t(1) << 48)) n = -1;  // implausible: treat as unknown
    t.dims.push_back(n);
  });
  if (t.dims.empty()) t.dims.push_back(-1);
  if (t.has_size) return;
  // sizeof = element size times every dimension; unknown when a dimension is.
  uint64_t elem = 0;
  if (!t.has_target || !size_of(t.target, &elem)) return;
  uint64_t total = elem;
  for (int64_t d : t.dims) {
    if (d < 0) return;
    if (d != 0 && total > (~uint64_t(0)) / static_cast<uint64_t>(d)) return;
    total *= static_cast<uint64_t>(d);
  }
  t.has_size = true;
  t.size = total;
}

void DwarfReader::fill_enum(const Unit& u, const DieAttrs& a, TypeInfo& t) {
  if (t.has_target) {
    const TypeInfo& base = type_info(t.target);
    const TypeInfo* b = &base;
    // The underlying type may be a typedef of a base type.
    for (unsigned hop = 0; hop < kMaxTypeDepth && b->kind == TypeKind::kTypedef && b->has_target;
         hop++) {
      b = &type_info(b->target);
    }
    t.is_signed = b->kind == TypeKind::kBase &&
                  (b->encoding == ATE_signed || b->encoding == ATE_signed_char);
  }
  std::vector<AttrValue> raw;
  for_each_child(u, a, [&](const DieAttrs& c) {
    if (c.tag != TAG_enumerator) return;
    EnumeratorInfo e;
    if (c.has_name) e.name = std::string(c.name);
    if (c.const_value.kind == AttrValue::kSigned && c.const_value.s < 0) t.is_signed = true;
    raw.push_back(c.const_value);
    t.enumerators.push_back(std::move(e));
  });
  uint64_t size = t.has_size && t.size > 0 && t.size < 8 ? t.size : 8;
  unsigned shift = static_cast<unsigned>(64 - size * 8);
  for (size_t i = 0; i < raw.size(); i++) {
    const AttrValue& v = raw[i];
    uint64_t bits = v.as_unsigned();
    if (t.is_signed) {
      // Sign-extend from the form's width, then from the enum's own size.
      bits = static_cast<uint64_t>(v.as_signed());
      bits = static_cast<uint64_t>(static_cast<int64_t>(bits << shift) >> shift);
    }
    t.enumerators[i].value = bits;
  }
}

void DwarfReader::fill_function(const Unit& u, const DieAttrs& a, TypeInfo& t) {
  for_each_child(u, a, [&](const DieAttrs& c) {
    if (c.tag == TAG_formal_parameter) {
      uint64_t pid = 0;
      t.params.push_back(resolve_ref(c, &pid) ? pid : 0);
    } else if (c.tag == TAG_unspecified_parameters) {
      t.variadic = true;
    }
  });
}

}  // namespace kvm
