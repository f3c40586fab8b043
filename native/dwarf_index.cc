// Opening a DWARF file and the one-pass name index.
#include <algorithm>
#include <chrono>
#include <utility>

#include "dwarf_die.h"

namespace kvm {

using namespace dw;

namespace {

// Maps a DIE tag to the index it is named in, or kCount_ for tags we do not index.
NameKind name_kind_of(uint16_t tag) {
  switch (tag) {
    case TAG_structure_type: case TAG_class_type: return NameKind::kStruct;
    case TAG_union_type: return NameKind::kUnion;
    case TAG_enumeration_type: return NameKind::kEnum;
    case TAG_typedef: return NameKind::kTypedef;
    case TAG_base_type: return NameKind::kBase;
    case TAG_variable: return NameKind::kVariable;
    default: return NameKind::kCount_;
  }
}

// Tags whose children are local to a function: nothing under them is a global name.
bool is_local_scope(uint16_t tag) {
  return tag == TAG_subprogram || tag == TAG_lexical_block || tag == TAG_inlined_subroutine ||
         tag == TAG_entry_point;
}

}  // namespace

bool parse_name_kind(std::string_view s, NameKind* out) {
  static const std::pair<const char*, NameKind> kNames[] = {
      {"struct", NameKind::kStruct},   {"union", NameKind::kUnion}, {"enum", NameKind::kEnum},
      {"typedef", NameKind::kTypedef}, {"base", NameKind::kBase},   {"variable", NameKind::kVariable},
  };
  for (const auto& [name, kind] : kNames) {
    if (s == name) {
      *out = kind;
      return true;
    }
  }
  return false;
}

DwarfReader::DwarfReader(const std::string& path) : DwarfReader(MappedFile(path)) {}

DwarfReader::DwarfReader(MappedFile file) : path_(file.path()), file_(std::move(file)) {
  const std::string& path = path_;
  elf_ = std::make_unique<ElfFile>(file_.view(), path);
  if (elf_->type() == elfc::ET_REL) {
    throw Error(Code::UNSUPPORTED, path + " is a relocatable object; its DWARF needs relocations "
                                          "applied, which this reader does not do")
        .path(path);
  }
  if (!has_dwarf(*elf_)) {
    throw Error(Code::NO_TYPES, path + " has no DWARF debug information (no .debug_info section)")
        .path(path);
  }
  auto start = std::chrono::steady_clock::now();
  sections_ = std::make_unique<DebugSections>(*elf_, path);
  if (sections_->abbrev.empty()) {
    throw Error(Code::BAD_FORMAT, path + " has .debug_info but no .debug_abbrev").path(path);
  }
  forms_ = std::make_unique<FormReader>(*sections_);
  stats_.compressed_sections = sections_->compressed_count;
  stats_.inflated_bytes = sections_->inflated_bytes;
  stats_.info_bytes = sections_->info.size();
  build_index();
  stats_.index_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

DwarfReader::~DwarfReader() = default;

const AbbrevTable* DwarfReader::abbrevs_for(const Unit& u) {
  AbbrevKey key{u.abbrev_offset, u.addr_size, u.offset_size, u.version};
  auto it = abbrev_tables_.find(key);
  if (it != abbrev_tables_.end()) return it->second.get();
  auto table = std::make_unique<AbbrevTable>(sections_->abbrev, u.abbrev_offset, u.addr_size,
                                             u.offset_size, u.version);
  const AbbrevTable* raw = table.get();
  abbrev_tables_.emplace(key, std::move(table));
  return raw;
}

void DwarfReader::build_index() {
  // Units of .debug_info, then of .debug_types with ids after .debug_info's.
  struct Source {
    ByteView sec;
    const char* name;
    uint64_t id_base;
    bool types;
  };
  Source sources[] = {{sections_->info, ".debug_info", 0, false},
                      {sections_->types, ".debug_types", sections_->info.size(), true}};
  for (const Source& s : sources) {
    uint64_t off = 0;
    // Each unit is at least a few header bytes long, which bounds the loop.
    while (off < s.sec.size()) {
      Unit u = parse_unit_header(s.sec, s.name, s.id_base, off, s.types);
      u.abbrevs = abbrevs_for(u);
      off = u.end;
      units_.push_back(u);
    }
  }
  for (Unit& u : units_) index_unit(u);
  stats_.units = units_.size();
  for (const Unit& u : units_) {
    if (u.is_type_unit) stats_.type_units++;
    stats_.max_version = std::max<unsigned>(stats_.max_version, u.version);
  }
  for (size_t k = 0; k < kNameKinds; k++) stats_.names[k] = index_[k].size();
}

void DwarfReader::record(NameKind kind, std::string_view name, uint64_t id, bool declaration,
                         int rank) {
  if (name.empty()) return;
  IndexEntry& e = index_[static_cast<size_t>(kind)][name];
  if (kind == NameKind::kVariable) {
    if (rank > e.rank) {
      e.rank = rank;
      e.def = id + 1;
    }
    return;
  }
  if (declaration) {
    if (!e.decl) e.decl = id + 1;
  } else if (!e.def) {
    e.def = id + 1;
  }
}

void DwarfReader::index_unit(Unit& u) {
  const AbbrevTable& table = *u.abbrevs;
  const ByteView& sec = u.sec;
  const char* what = "DWARF DIE";
  ByteView unit_bytes(sec.data(), u.end, sec.big_endian(), sec.base());
  // The unit DIE first: its string and address bases apply to every other DIE of the unit.
  uint64_t off = u.die_offset;
  if (off >= u.end) return;
  {
    uint64_t p = off;
    uint64_t code = read_uleb(unit_bytes, p, what);
    const Abbrev* ab = code ? table.find(code) : nullptr;
    if (!ab) {
      throw Error(Code::BAD_FORMAT, std::string("DWARF unit at ") + u.sec_name + " offset " +
                                        hex(u.offset) + " starts with unknown abbreviation " +
                                        std::to_string(code))
          .offset(off);
    }
    const AttrSpec* specs = table.specs(*ab);
    bool has_str_base = false;
    AttrValue v;
    for (uint32_t i = 0; i < ab->count; i++) {
      forms_->read(u, specs[i], p, v, true);
      if (specs[i].name == AT_str_offsets_base) {
        u.str_offsets_base = v.as_unsigned();
        has_str_base = true;
      } else if (specs[i].name == AT_addr_base || specs[i].name == AT_GNU_addr_base) {
        u.addr_base = v.as_unsigned();
      }
    }
    // Without the attribute, a unit's strings start after the section's first header.
    if (!has_str_base && u.version >= 5) u.str_offsets_base = u.offset_size == 8 ? 16 : 8;
  }
  if (u.is_type_unit) signatures_.emplace(u.type_signature, u.id(u.offset + u.type_offset));

  DieAttrs a;
  AttrValue scratch;
  unsigned depth = 0;        // 0 = the unit DIE's level
  unsigned local_from = 0;   // nonzero: DIEs at this depth or deeper are function-local
  uint64_t dies = 0;
  while (off < u.end) {
    uint64_t die_at = off;
    uint64_t code = read_uleb(unit_bytes, off, what);
    if (code == 0) {
      if (depth > 0) depth--;
      if (local_from && depth < local_from) local_from = 0;
      continue;
    }
    dies++;
    const Abbrev* ab = table.find(code);
    if (!ab) {
      throw Error(Code::BAD_FORMAT, std::string("DWARF DIE at ") + u.sec_name + " offset " +
                                        hex(die_at) + " uses unknown abbreviation " +
                                        std::to_string(code))
          .offset(die_at);
    }
    bool global = local_from == 0 && depth > 0;
    NameKind kind = name_kind_of(ab->tag);
    bool wanted = global && kind != NameKind::kCount_;
    bool scope = global && ab->children && is_local_scope(ab->tag);
    if (wanted || scope || (ab->children && ab->tag != TAG_compile_unit && global)) {
      // Decode the attributes: to name the DIE, or to find its sibling and skip its children.
      read_die(u, die_at, a);
      off = a.after;
      if (wanted) {
        uint64_t id = u.id(die_at);
        if (kind == NameKind::kVariable) {
          int rank = a.declaration ? 0 : 1;
          if (a.location.kind != AttrValue::kNone) rank += 2;
          if (a.external) rank += 1;
          std::string_view name = a.name;
          if (!a.has_name && (a.has_specification || a.has_origin)) {
            name = name_via_origin(a.has_specification ? a.specification : a.origin);
          }
          record(kind, name, id, a.declaration, rank);
        } else {
          // A type unit's declaration stub points at the definition by signature; it still
          // counts as a declaration here.
          record(kind, a.name, id, a.declaration, 0);
        }
      }
      if (ab->children) {
        uint64_t sib = a.sibling - u.id_base;
        if (a.has_sibling && a.sibling >= u.id_base && sib > die_at && sib <= u.end) {
          off = sib;  // skip the subtree
          continue;
        }
        depth++;
        if (scope) local_from = depth;
      }
      continue;
    }
    if (ab->fixed_size >= 0) {
      off += static_cast<uint64_t>(ab->fixed_size);
    } else {
      const AttrSpec* specs = table.specs(*ab);
      for (uint32_t i = 0; i < ab->count; i++) {
        if (specs[i].form == FORM_indirect) {
          forms_->read(u, specs[i], off, scratch, true);
        } else {
          forms_->skip(u, specs[i].form, off);
        }
      }
    }
    if (ab->children) depth++;
  }
  if (off > u.end) {
    throw Error(Code::BAD_FORMAT, std::string("DWARF DIE in the unit at ") + u.sec_name +
                                      " offset " + hex(u.offset) + " runs past the unit's end " +
                                      hex(u.end))
        .offset(u.end);
  }
  stats_.dies += dies;
}

const Unit* DwarfReader::unit_for(uint64_t id) const {
  auto it = std::upper_bound(units_.begin(), units_.end(), id,
                             [](uint64_t v, const Unit& u) { return v < u.id(u.offset); });
  if (it == units_.begin()) return nullptr;
  const Unit& u = *(it - 1);
  if (id < u.id(u.die_offset) || id >= u.id(u.end)) return nullptr;
  return &u;
}

std::string_view DwarfReader::name_via_origin(uint64_t id) const {
  DieAttrs a;
  // Specification and abstract-origin chains are short; a bound stops cycles in corrupt input.
  for (int hop = 0; hop < 8; hop++) {
    const Unit* u = unit_for(id);
    if (!u) return {};
    read_die(*u, id - u->id_base, a);
    if (a.has_name) return a.name;
    if (a.has_specification) {
      id = a.specification;
    } else if (a.has_origin) {
      id = a.origin;
    } else {
      return {};
    }
  }
  return {};
}

bool DwarfReader::find_type(NameKind kind, std::string_view name, uint64_t* id) const {
  const auto& map = index_[static_cast<size_t>(kind)];
  auto it = map.find(name);
  if (it == map.end()) return false;
  uint64_t v = it->second.def ? it->second.def : it->second.decl;
  if (!v) return false;
  *id = v - 1;
  return true;
}

bool DwarfReader::find_variable(std::string_view name, VariableInfo* out) {
  const auto& map = index_[static_cast<size_t>(NameKind::kVariable)];
  auto it = map.find(name);
  if (it == map.end() || !it->second.def) return false;
  uint64_t id = it->second.def - 1;
  VariableInfo v;
  v.id = id;
  v.name = std::string(name);
  DieAttrs a;
  const Unit* u = unit_for(id);
  if (!u) return false;
  read_die(*u, id - u->id_base, a);
  v.declaration = a.declaration;
  v.external = a.external;
  v.has_address = location_address(*u, a.location, &v.address);
  // The type may sit on the declaration this DIE completes.
  for (int hop = 0; hop < 8; hop++) {
    if (a.type.kind != AttrValue::kNone) {
      v.has_type = resolve_ref(a, &v.type);
      break;
    }
    uint64_t next;
    if (a.has_specification) {
      next = a.specification;
    } else if (a.has_origin) {
      next = a.origin;
    } else {
      break;
    }
    const Unit* nu = unit_for(next);
    if (!nu) break;
    read_die(*nu, next - nu->id_base, a);
    if (a.external) v.external = true;
  }
  *out = v;
  return true;
}

bool DwarfReader::location_address(const Unit& u, const AttrValue& loc, uint64_t* addr) const {
  // Only a plain static address: DW_OP_addr A, or DW_OP_addrx I. Anything else (TLS, registers,
  // location lists) has no fixed address.
  if (loc.kind != AttrValue::kBlock || loc.block.size() < 2) return false;
  const ByteView& b = loc.block;
  uint8_t op = b.u8(0);
  if (op == OP_addr && b.size() == 1u + u.addr_size) {
    *addr = u.addr_size == 2 ? b.u16(1) : b.word(1, u.addr_size);
    return true;
  }
  if (op == OP_addrx || op == OP_GNU_addr_index) {
    uint64_t p = 1;
    uint64_t index = read_uleb(b, p, "DWARF location expression");
    if (p != b.size()) return false;
    *addr = forms_->indexed_address(u, index);
    return true;
  }
  return false;
}

DwarfStats DwarfReader::stats() const {
  DwarfStats s = stats_;
  s.cached_types = types_.size();
  return s;
}

DebugFileProbe probe_debug_file(const std::string& path) {
  DebugFileProbe p;
  MappedFile f(path);
  if (!ElfFile::has_magic(f.view())) return p;
  ElfFile elf(f.view(), path);
  p.is_elf = true;
  p.has_dwarf = has_dwarf(elf);
  p.link = read_debuglink(elf, path);
  return p;
}

uint32_t file_crc32(const std::string& path) {
  MappedFile f(path);
  return crc32_update(0, f.data(), f.size());
}

}  // namespace kvm
