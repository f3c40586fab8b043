// Fuzz target (d): DWARF. The input is an ELF file with debug sections (seeds: small programs
// compiled with -g in several DWARF versions, type units and compressed sections). Opening builds
// the name index; then, as lib/types does, named types and variables are looked up and decoded,
// following members, targets, parameters and enum bases a bounded number of steps; finally raw
// ids (any offset, as the addon's typeInfo accepts) named by the input's last bytes are decoded.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "dwarf.h"
#include "fuzz_support.h"

namespace {

// Names the seeds define (test/fixtures/dwarf) and the kernel structs lib/types reads.
const char* const kTypeNames[] = {
    "everything", "inner", "bits", "packed", "aligned", "flex", "bounds", "node", "list", "fwd",
    "outer_u", "named_u", "color", "sign", "big", "tiny", "i1_t", "i2_t", "i3_t", "cvi_t",
    "fwd_t", "node_t", "int", "char", "long int", "unsigned int", "vnet", "prison", "proc",
    "thread", "ifnet", "pcpu", "tcpstat", "counter_u64_t", "uint64_t", "u_long",
};
const char* const kVariables[] = {"shared_fwd", "fwd_ptr", "b_global", "b_static", "g_everything",
                                  "g_list", "vnet0", "vnet_head", "ifnet", "allprison"};

// Decodes `id` and what it refers to, breadth first, at most `budget` types.
void resolve_from(kvm::DwarfReader& r, uint64_t id, size_t budget) {
  std::vector<uint64_t> todo{id};
  std::unordered_set<uint64_t> seen;
  for (size_t i = 0; i < todo.size() && seen.size() < budget; i++) {
    if (!seen.insert(todo[i]).second) continue;
    try {
      const kvm::TypeInfo& t = r.type_info(todo[i]);
      FUZZ_CHECK(t.dims.size() < (1u << 20));
      if (t.has_target) todo.push_back(t.target);
      for (const kvm::MemberInfo& m : t.members) {
        if (m.has_type) todo.push_back(m.type);
        if (m.bit_size != 0) FUZZ_CHECK(m.offset == m.bit_offset / 8);
      }
      for (uint64_t p : t.params) {
        if (p) todo.push_back(p);
      }
      for (const kvm::EnumeratorInfo& e : t.enumerators) FUZZ_CHECK(e.name.size() < (1u << 24));
      // A second lookup is answered from the cache with the same decoding.
      const kvm::TypeInfo& again = r.type_info(todo[i]);
      FUZZ_CHECK(&again == &t);
    } catch (const kvm::Error&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::unique_ptr<kvm::DwarfReader> reader;
  try {
    reader = std::make_unique<kvm::DwarfReader>(kvm::MappedFile::from_bytes("debug", data, size));
  } catch (const kvm::Error&) {
    return 0;
  }
  kvm::DwarfReader& r = *reader;
  static const kvm::NameKind kKinds[] = {kvm::NameKind::kStruct, kvm::NameKind::kUnion,
                                         kvm::NameKind::kEnum, kvm::NameKind::kTypedef,
                                         kvm::NameKind::kBase};
  for (const char* name : kTypeNames) {
    for (kvm::NameKind kind : kKinds) {
      uint64_t id = 0;
      try {
        if (r.find_type(kind, name, &id)) resolve_from(r, id, 64);
      } catch (const kvm::Error&) {
      }
    }
  }
  for (const char* name : kVariables) {
    try {
      kvm::VariableInfo v;
      if (r.find_variable(name, &v) && v.has_type) resolve_from(r, v.type, 32);
    } catch (const kvm::Error&) {
    }
  }
  // Ids of the fuzzer's choosing, small offsets and ones from the input's last bytes.
  for (uint64_t id = 0; id < 64; id += 3) resolve_from(r, id, 4);
  for (size_t i = 0; i + 4 <= size && i < 64; i += 4) {
    uint32_t id;
    std::memcpy(&id, data + size - 4 - i, 4);
    resolve_from(r, id, 8);
  }
  kvm::DwarfStats s = r.stats();
  FUZZ_CHECK(s.info_bytes <= size || s.inflated_bytes > 0);
  return 0;
}
