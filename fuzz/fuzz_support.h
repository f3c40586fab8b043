// Shared by the fuzz targets: small ELF files built in memory (kernels with a symbol table, ELF
// cores with virtual PT_LOADs) and a driver that reads an opened Handle every way the addon does.
// Header-only: CMake builds every fuzz/*.cc as its own target.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "elf.h"
#include "handle.h"

namespace fuzz {

// Stops the run with a crash report: an invariant of the reader does not hold.
#define FUZZ_CHECK(cond)                                                        \
  do {                                                                          \
    if (!(cond)) {                                                              \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, \
                   __LINE__);                                                   \
      std::abort();                                                             \
    }                                                                           \
  } while (0)

// Appends integers of a given width and byte order.
class Writer {
 public:
  explicit Writer(bool big) : big_(big) {}
  void put(uint64_t v, unsigned width) {
    for (unsigned i = 0; i < width; i++) {
      unsigned shift = big_ ? 8 * (width - 1 - i) : 8 * i;
      out_.push_back(static_cast<uint8_t>(v >> shift));
    }
  }
  void bytes(const void* p, size_t n) {
    const uint8_t* b = static_cast<const uint8_t*>(p);
    out_.insert(out_.end(), b, b + n);
  }
  void align(size_t a) {
    while (out_.size() % a) out_.push_back(0);
  }
  size_t size() const { return out_.size(); }
  std::vector<uint8_t>& out() { return out_; }

 private:
  bool big_;
  std::vector<uint8_t> out_;
};

struct Sym {
  std::string name;
  uint64_t value = 0, size = 8;
  uint8_t type = kvm::elfc::STT_OBJECT, bind = kvm::elfc::STB_GLOBAL;
  uint16_t shndx = 1;  // the kernel's .data (kvm::elfc::SHN_ABS for absolute symbols)
};

// An ET_EXEC kernel: sections null, .data (NOBITS at data_va), .symtab, .strtab, .shstrtab.
inline std::vector<uint8_t> kernel_elf(uint16_t machine, bool is64, bool big,
                                       const std::vector<Sym>& syms, uint64_t data_va) {
  using namespace kvm::elfc;
  const unsigned w = is64 ? 8 : 4;
  const size_t ehsize = is64 ? 64 : 52, shentsize = is64 ? 64 : 40;
  Writer f(big);
  f.out().resize(ehsize);
  // .strtab
  std::string strtab(1, '\0');
  std::vector<uint32_t> name_off;
  for (const Sym& s : syms) {
    name_off.push_back(static_cast<uint32_t>(strtab.size()));
    strtab += s.name;
    strtab += '\0';
  }
  size_t strtab_off = f.size();
  f.bytes(strtab.data(), strtab.size());
  // .symtab
  f.align(w);
  size_t symtab_off = f.size();
  size_t symsz = is64 ? 24 : 16;
  f.out().resize(f.size() + symsz);  // the null symbol
  for (size_t i = 0; i < syms.size(); i++) {
    const Sym& s = syms[i];
    uint8_t info = static_cast<uint8_t>((s.bind << 4) | (s.type & 0xf));
    if (is64) {
      f.put(name_off[i], 4);
      f.put(info, 1);
      f.put(0, 1);
      f.put(s.shndx, 2);
      f.put(s.value, 8);
      f.put(s.size, 8);
    } else {
      f.put(name_off[i], 4);
      f.put(s.value, 4);
      f.put(s.size, 4);
      f.put(info, 1);
      f.put(0, 1);
      f.put(s.shndx, 2);
    }
  }
  size_t symtab_size = f.size() - symtab_off;
  static const char kShstr[] = "\0.data\0.symtab\0.strtab\0.shstrtab";
  size_t shstr_off = f.size();
  f.bytes(kShstr, sizeof kShstr);
  f.align(w);
  size_t shoff = f.size();
  auto section = [&](uint32_t name, uint32_t type, uint64_t flags, uint64_t addr, uint64_t off,
                     uint64_t size, uint32_t link, uint32_t info, uint64_t align, uint64_t entsize) {
    f.put(name, 4);
    f.put(type, 4);
    f.put(flags, w);
    f.put(addr, w);
    f.put(off, w);
    f.put(size, w);
    f.put(link, 4);
    f.put(info, 4);
    f.put(align, w);
    f.put(entsize, w);
  };
  section(0, SHT_NULL, 0, 0, 0, 0, 0, 0, 0, 0);
  section(1, SHT_NOBITS, SHF_ALLOC | SHF_WRITE, data_va, 0, 0x100000, 0, 0, 64, 0);
  section(7, SHT_SYMTAB, 0, 0, symtab_off, symtab_size, 3, 1, w, symsz);
  section(15, SHT_STRTAB, 0, 0, strtab_off, strtab.size(), 0, 0, 1, 0);
  section(23, SHT_STRTAB, 0, 0, shstr_off, sizeof kShstr, 0, 0, 1, 0);
  // ELF header.
  Writer h(big);
  const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', static_cast<uint8_t>(is64 ? 2 : 1),
                             static_cast<uint8_t>(big ? 2 : 1), 1, ELFOSABI_FREEBSD};
  h.bytes(ident, 16);
  h.put(ET_EXEC, 2);
  h.put(machine, 2);
  h.put(1, 4);
  h.put(0, w);      // entry
  h.put(0, w);      // phoff
  h.put(shoff, w);  // shoff
  h.put(0, 4);
  h.put(ehsize, 2);
  h.put(is64 ? 56 : 32, 2);
  h.put(0, 2);
  h.put(shentsize, 2);
  h.put(5, 2);
  h.put(4, 2);
  std::memcpy(f.out().data(), h.out().data(), ehsize);
  return f.out();
}

struct Seg {
  uint64_t vaddr = 0, memsz = 0;
  std::vector<uint8_t> data;  // filesz = data.size()
};

// An ELF64/ELF32 ET_CORE (EI_OSABI FreeBSD) with one PT_LOAD per segment.
inline std::vector<uint8_t> vcore_elf(uint16_t machine, bool is64, bool big,
                                      const std::vector<Seg>& segs) {
  using namespace kvm::elfc;
  const unsigned w = is64 ? 8 : 4;
  const size_t ehsize = is64 ? 64 : 52, phentsize = is64 ? 56 : 32;
  Writer f(big);
  f.out().resize(ehsize + phentsize * segs.size());
  std::vector<size_t> offs;
  for (const Seg& s : segs) {
    f.align(8);
    offs.push_back(f.size());
    f.bytes(s.data.data(), s.data.size());
  }
  Writer h(big);
  const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', static_cast<uint8_t>(is64 ? 2 : 1),
                             static_cast<uint8_t>(big ? 2 : 1), 1, ELFOSABI_FREEBSD};
  h.bytes(ident, 16);
  h.put(ET_CORE, 2);
  h.put(machine, 2);
  h.put(1, 4);
  h.put(0, w);
  h.put(segs.empty() ? 0 : ehsize, w);  // phoff
  h.put(0, w);                           // shoff
  h.put(0, 4);
  h.put(ehsize, 2);
  h.put(phentsize, 2);
  h.put(segs.size(), 2);
  h.put(is64 ? 64 : 40, 2);
  h.put(0, 2);
  h.put(0, 2);
  for (size_t i = 0; i < segs.size(); i++) {
    const Seg& s = segs[i];
    uint64_t memsz = s.memsz < s.data.size() ? s.data.size() : s.memsz;
    if (is64) {
      h.put(PT_LOAD, 4);
      h.put(PF_R | PF_W, 4);
      h.put(offs[i], 8);
      h.put(s.vaddr, 8);
      h.put(0, 8);
      h.put(s.data.size(), 8);
      h.put(memsz, 8);
      h.put(4096, 8);
    } else {
      h.put(PT_LOAD, 4);
      h.put(offs[i], 4);
      h.put(s.vaddr, 4);
      h.put(0, 4);
      h.put(s.data.size(), 4);
      h.put(memsz, 4);
      h.put(PF_R | PF_W, 4);
      h.put(4096, 4);
    }
  }
  std::memcpy(f.out().data(), h.out().data(), h.size());
  return f.out();
}

inline kvm::MappedFile bytes_file(const char* name, const std::vector<uint8_t>& b) {
  return kvm::MappedFile::from_bytes(name, b.data(), b.size());
}

// Reads len (<= 64) bytes at va whole and byte by byte; both must agree on the bytes and on
// where the readable prefix ends. Returns the count read.
inline size_t checked_read(kvm::Handle& h, uint64_t va, size_t len) {
  uint8_t whole[64], one[64];
  if (len > sizeof whole) len = sizeof whole;
  kvm::ReadFault f;
  size_t got = h.read(va, whole, len, &f);
  FUZZ_CHECK(got <= len);
  if (got < len) {
    FUZZ_CHECK(f.code == kvm::Code::FAULT || f.code == kvm::Code::TRUNCATED);
    FUZZ_CHECK(f.address == va + got);
  }
  size_t prefix = 0;
  while (prefix < len && h.read(va + prefix, one + prefix, 1, nullptr) == 1) prefix++;
  if (prefix != got) {
    std::fprintf(stderr, "read of %zu bytes at 0x%llx: %zu whole (%s), %zu byte by byte\n", len,
                 static_cast<unsigned long long>(va), got, f.why.c_str(), prefix);
  }
  FUZZ_CHECK(prefix == got);
  FUZZ_CHECK(std::memcmp(whole, one, got) == 0);
  return got;
}

// Every read path of the addon at one address.
inline void read_everything_at(kvm::Handle& h, uint64_t va) {
  checked_read(h, va, 16);
  checked_read(h, va + 4096 - 4, 8);  // across a page boundary
  uint64_t v64;
  uint32_t v32;
  uint16_t v16;
  uint8_t v8;
  kvm::ReadFault f;
  h.read_value<uint64_t>(va, &v64, &f);
  h.read_value<uint32_t>(va + 1, &v32, &f);
  h.read_value<uint16_t>(va + 4095, &v16, &f);
  h.read_value<uint8_t>(va, &v8, &f);
  h.read_word(va, &v64, &f);
  uint64_t arr[4];
  h.read_array(va, 4, 8, arr, &f);
  h.read_array(va + 4088, 4, 4, arr, &f);
  uint64_t bases[2] = {va, va + 4096};
  uint64_t offsets[3] = {0, 8, 4092};
  uint64_t sums[2];
  uint32_t faults[2];
  h.sum_gather(bases, 2, offsets, 3, sums, faults);
  FUZZ_CHECK(faults[0] <= 3 && faults[1] <= 3);
}

// Physical reads; cores without physical memory throw UNSUPPORTED, which is fine.
inline void read_phys_at(kvm::Handle& h, uint64_t pa) {
  if (!h.image().has_physical()) return;
  uint8_t buf[64];
  kvm::ReadFault f;
  size_t got = h.read_phys(pa, buf, 32, &f);
  FUZZ_CHECK(got <= 32);
  if (got < 32) FUZZ_CHECK(f.address == pa + got);
  h.read_phys(pa + 4096 - 8, buf, 16, &f);
}

// Opens nothing, throws nothing but kvm::Error: info, msgbuf, a bounded page walk (twice, the
// second resumed part-way), and reads at addresses named by the image and by `extra`.
inline void exercise(kvm::Handle& h, const uint8_t* extra, size_t extra_len) {
  std::vector<uint64_t> addrs;
  for (const kvm::InfoField& fld : h.image().info()) {
    if (fld.is_number) addrs.push_back(fld.number);
  }
  kvm::ByteView m = h.image().msgbuf();
  if (m.size()) FUZZ_CHECK(m.data() != nullptr);
  std::vector<kvm::PageRecord> records;
  try {
    uint64_t cursor = 0;
    bool done = false;
    h.image().walk_pages_from(&cursor, &done, [&](const kvm::PageRecord& r) {
      records.push_back(r);
      return records.size() < 64;
    });
    if (!done) {
      size_t first = records.size();
      h.image().walk_pages_from(&cursor, &done, [&](const kvm::PageRecord& r) {
        records.push_back(r);
        return records.size() < first + 256;
      });
    }
  } catch (const kvm::Error&) {
    // CORRUPT page-table areas are refused for walks; reads still work.
  }
  for (size_t i = 0; i < records.size() && i < 48; i++) {
    const kvm::PageRecord& r = records[i];
    if (r.kmap_vaddr) addrs.push_back(r.kmap_vaddr);
    if (r.dmap_vaddr) addrs.push_back(r.dmap_vaddr);
    read_phys_at(h, r.paddr);
  }
  // The fuzzer names addresses of its own in the last bytes of the input.
  for (size_t i = 0; i + 8 <= extra_len && i < 64; i += 8) {
    uint64_t a;
    std::memcpy(&a, extra + extra_len - 8 - i, 8);
    addrs.push_back(a);
    read_phys_at(h, a);
  }
  for (size_t i = 0; i < addrs.size() && i < 96; i++) read_everything_at(h, addrs[i]);
}

}  // namespace fuzz
