// Types and variables from an ELF file's DWARF (versions 2-5, 32- and 64-bit DWARF, type units).
// Opening builds a lazy index in one pass over every unit: named structs, unions, enums, typedefs,
// base types and variables map to the DIE that defines them, without reading members. A type is
// decoded on first use (members, array bounds, enumerators) and cached. A type id is the DIE's
// offset in .debug_info (type units in .debug_types get ids past the end of .debug_info).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dwarf_forms.h"
#include "dwarf_sections.h"
#include "elf.h"
#include "mapped_file.h"

namespace kvm {

enum class TypeKind : uint8_t {
  kBase, kStruct, kUnion, kClass, kEnum, kTypedef, kPointer, kArray, kConst, kVolatile,
  kRestrict, kAtomic, kFunction, kUnspecified, kReference, kRvalueReference, kPtrToMember,
};
const char* type_kind_name(TypeKind kind);

// The kinds of names the index answers for.
enum class NameKind : uint8_t { kStruct, kUnion, kEnum, kTypedef, kBase, kVariable, kCount_ };
constexpr size_t kNameKinds = static_cast<size_t>(NameKind::kCount_);
// "struct", "union", "enum", "typedef", "base", "variable"; false for anything else.
bool parse_name_kind(std::string_view s, NameKind* out);

struct MemberInfo {
  std::string name;  // empty for anonymous struct/union members
  bool has_type = false;
  uint64_t type = 0;
  uint64_t offset = 0;      // bytes from the start of the enclosing type (bitfields: bit_offset / 8)
  uint64_t bit_offset = 0;  // bits from the start of the enclosing type, in the target's numbering
  uint32_t bit_size = 0;    // 0 unless a bitfield
};

struct EnumeratorInfo {
  std::string name;
  uint64_t value = 0;  // two's complement bits when the enum is signed
};

struct TypeInfo {
  uint64_t id = 0;  // the DIE decoded (a declaration resolves to its definition's id)
  TypeKind kind = TypeKind::kBase;
  std::string name;
  bool has_size = false;
  uint64_t size = 0;
  bool has_target = false;  // pointee, typedef target, element, qualified type, return type, enum base
  uint64_t target = 0;
  bool incomplete = false;  // a declaration with no definition anywhere
  uint8_t encoding = 0;     // DW_ATE_* for base types
  bool is_signed = false;   // enums: enumerator values are signed
  std::vector<MemberInfo> members;
  std::vector<int64_t> dims;  // array dimensions, outermost first; -1 = unknown (flexible)
  std::vector<EnumeratorInfo> enumerators;
  std::vector<uint64_t> params;  // parameter type ids (0 where a parameter has no type)
  bool variadic = false;
  bool prototyped = false;
};

struct VariableInfo {
  uint64_t id = 0;
  std::string name;
  bool has_type = false;
  uint64_t type = 0;
  bool has_address = false;
  uint64_t address = 0;
  bool declaration = false;
  bool external = false;
};

struct DwarfStats {
  uint64_t units = 0, type_units = 0, dies = 0;
  std::array<uint64_t, kNameKinds> names{};
  double index_ms = 0;
  unsigned compressed_sections = 0;
  uint64_t inflated_bytes = 0, info_bytes = 0, cached_types = 0;
  unsigned max_version = 0;
};

class DwarfReader {
 public:
  // Maps `path` and indexes its DWARF. Throws NO_TYPES (naming the file) when it has none,
  // BAD_FORMAT / UNSUPPORTED for DWARF we cannot read.
  explicit DwarfReader(const std::string& path);
  // The same over a file already in memory (fuzz targets: MappedFile::from_bytes); the file's
  // name stands for the path in messages.
  explicit DwarfReader(MappedFile file);
  ~DwarfReader();

  const std::string& path() const { return path_; }
  bool big_endian() const { return elf_->big_endian(); }
  unsigned address_size() const { return elf_->word_size(); }

  // The definition of a named type (a declaration only when no definition exists).
  bool find_type(NameKind kind, std::string_view name, uint64_t* id) const;
  // Decodes the type with this id (cached). Throws NO_TYPE when the id is not a type DIE.
  const TypeInfo& type_info(uint64_t id);
  // The best DIE for a global variable: a definition with an address over a declaration.
  bool find_variable(std::string_view name, VariableInfo* out);
  DwarfStats stats() const;

 private:
  struct DieAttrs;
  struct IndexEntry {
    uint64_t def = 0, decl = 0;  // ids + 1 (0 = none)
    int rank = -1;               // variables: how good `def` is
  };
  struct AbbrevKey {
    uint64_t offset;
    uint8_t addr_size, offset_size;
    uint16_t version;
    bool operator<(const AbbrevKey& o) const {
      if (offset != o.offset) return offset < o.offset;
      if (addr_size != o.addr_size) return addr_size < o.addr_size;
      if (offset_size != o.offset_size) return offset_size < o.offset_size;
      return version < o.version;
    }
  };

  void build_index();
  void index_unit(Unit& u);
  const AbbrevTable* abbrevs_for(const Unit& u);
  const Unit* unit_for(uint64_t id) const;
  void read_die(const Unit& u, uint64_t off, DieAttrs& a) const;
  bool resolve_ref(const DieAttrs& a, uint64_t* id) const;
  std::string_view name_via_origin(uint64_t id) const;
  void record(NameKind kind, std::string_view name, uint64_t id, bool declaration, int rank);
  template <typename F>
  void for_each_child(const Unit& u, const DieAttrs& parent, F&& fn) const;
  std::unique_ptr<TypeInfo> decode_type(uint64_t id);
  void fill_members(const Unit& u, const DieAttrs& a, TypeInfo& t);
  void fill_array(const Unit& u, const DieAttrs& a, TypeInfo& t);
  void fill_enum(const Unit& u, const DieAttrs& a, TypeInfo& t);
  void fill_function(const Unit& u, const DieAttrs& a, TypeInfo& t);
  bool size_of(uint64_t id, uint64_t* size);
  bool location_address(const Unit& u, const AttrValue& loc, uint64_t* addr) const;

  std::string path_;
  MappedFile file_;
  std::unique_ptr<ElfFile> elf_;
  std::unique_ptr<DebugSections> sections_;
  std::unique_ptr<FormReader> forms_;
  std::vector<Unit> units_;  // sorted by id
  std::map<AbbrevKey, std::unique_ptr<AbbrevTable>> abbrev_tables_;
  std::array<std::unordered_map<std::string_view, IndexEntry>, kNameKinds> index_;
  std::unordered_map<uint64_t, uint64_t> signatures_;  // type signature -> type DIE id
  std::unordered_map<uint64_t, std::unique_ptr<TypeInfo>> types_;
  std::unordered_map<uint64_t, const TypeInfo*> aliases_;  // declaration id -> its definition
  unsigned depth_ = 0;  // nesting of decode_type, bounded against cycles in corrupt input
  DwarfStats stats_;
};

// What the debug-file search needs from a candidate file, without indexing it.
struct DebugFileProbe {
  bool is_elf = false;
  bool has_dwarf = false;
  DebugLink link;
};
DebugFileProbe probe_debug_file(const std::string& path);
// CRC-32 of a whole file, as .gnu_debuglink records it.
uint32_t file_crc32(const std::string& path);

}  // namespace kvm
