// Fuzz target (a): a kernel file. The input is the kernel ELF: header, section and program
// headers, notes, the symbol table and its lookups, the vnet/pcpu set ranges; then the whole open
// path (Handle) with a small fixed core, reading at every symbol.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "symtab.h"
#include "translate.h"

namespace {

void inspect(const kvm::ElfFile& elf) {
  for (const kvm::ElfSection& s : elf.sections()) {
    try {
      kvm::ByteView d = elf.section_data(s);
      FUZZ_CHECK(d.size() == 0 || d.data() != nullptr);
    } catch (const kvm::Error&) {
    }
  }
  try {
    for (const kvm::ElfNote& n : elf.notes()) FUZZ_CHECK(n.desc.size() == 0 || n.desc.data());
  } catch (const kvm::Error&) {
  }
}

void lookups(const kvm::Symtab& syms) {
  kvm::Translator t(syms);
  for (size_t i = 0; i < syms.size() && i < 256; i++) {
    const kvm::Symbol& s = syms.at(i);
    const kvm::Symbol* found = syms.lookup(s.name);
    FUZZ_CHECK(found && found->name == s.name);
    const kvm::Symbol* near = syms.nearest(s.value);
    if (near) FUZZ_CHECK(near->value <= s.value);
    syms.nearest(s.value - 1);
    syms.nearest(s.value + s.size);
    kvm::Resolved r;
    FUZZ_CHECK(t.resolve(s.name, kvm::ResolveOrder::LIBKVM, 0x1000, 0x2000, &r));
    std::string bare(s.name);
    // A prefixed symbol found through its bare name is translated only inside its set.
    for (const char* prefix : {"vnet_entry_", "pcpu_entry_"}) {
      if (bare.rfind(prefix, 0) != 0) continue;
      std::string name = bare.substr(std::strlen(prefix));
      for (auto order : {kvm::ResolveOrder::LIBKVM, kvm::ResolveOrder::DDB}) {
        if (t.resolve(name, order, 0x1000, 0x2000, &r) && r.kind != kvm::SymbolKind::PLAIN) {
          const auto& set = r.kind == kvm::SymbolKind::VNET ? t.vnet_set() : t.pcpu_set();
          FUZZ_CHECK(set && set->contains(r.symbol->value));
        }
      }
    }
  }
}

// A core that any kernel can open: one segment of 8 KiB at 0xc0000000.
const std::vector<uint8_t>& small_core() {
  static const std::vector<uint8_t> core = [] {
    fuzz::Seg s;
    s.vaddr = 0xc0000000u;
    s.memsz = 0x3000;
    s.data.assign(0x2000, 0xa5);
    return fuzz::vcore_elf(kvm::elfc::EM_X86_64, true, false, {s});
  }();
  return core;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // libFuzzer's buffer is exactly `size` bytes, so ASan sees any read past the file's end.
  kvm::ByteView file(data, size);
  try {
    kvm::ElfFile loose(file, "kernel", kvm::ElfFile::Sections::OPTIONAL);
    inspect(loose);
  } catch (const kvm::Error&) {
  }
  try {
    kvm::ElfFile elf(file, "kernel");
    inspect(elf);
    kvm::Symtab syms(elf);
    lookups(syms);
  } catch (const kvm::Error&) {
    return 0;
  }
  try {
    kvm::Handle h(kvm::MappedFile::from_bytes("kernel", data, size), fuzz::bytes_file("core", small_core()));
    for (size_t i = 0; i < h.symbols().size() && i < 32; i++) {
      fuzz::checked_read(h, h.symbols().at(i).value, 16);
    }
    fuzz::read_everything_at(h, 0xc0000000u);
  } catch (const kvm::Error&) {
  }
  return 0;
}
