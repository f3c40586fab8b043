// FreeBSD/amd64 full dumps (debug.minidump=0): an ELF64 core of physical memory, one PT_LOAD per
// dump_avail chunk, marked EI_OSABI standalone. Kernel addresses are translated by walking the
// kernel's 4-level page tables from the PML4 page whose physical address the kernel keeps in
// KPML4phys (see docs/formats.md).
#include <algorithm>
#include <array>
#include <memory>

#include "format.h"

namespace kvm {

using namespace elfc;

namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t PG_V = 0x1, PG_PS = 0x80;
constexpr uint64_t PG_FRAME = 0x000ffffffffff000ull;
constexpr uint64_t PG_PS_FRAME = 0x000fffffffe00000ull;
constexpr uint64_t PG_1GB_FRAME = 0x000fffffc0000000ull;

enum class PhysRead { OK, ABSENT, TRUNCATED };

class FullDumpAmd64 : public CoreImage {
 public:
  explicit FullDumpAmd64(const OpenInput& in) : core_(in.core) {
    // Read through the program headers only, as libkvm does: a damaged section table is ignored.
    ElfFile elf(in.core, "core", ElfFile::Sections::OPTIONAL);
    if (!elf.is64() || elf.big_endian() || elf.type() != ET_CORE || elf.machine() != in.kernel.machine()) {
      throw Error(Code::BAD_FORMAT, std::string("invalid core: a FreeBSD/amd64 full dump is a little-endian ELF64 "
                                                "ET_CORE for EM_X86_64, this one is ") +
                                        (elf.is64() ? "ELF64" : "ELF32") + (elf.big_endian() ? " big-endian" : "") +
                                        " type " + std::to_string(elf.type()) + " machine " +
                                        machine_name(elf.machine()))
          .offset(core_.base());
    }
    load_segments(elf);
    bootstrap(in.symbols);
  }

  bool translate(uint64_t va, Span* out, std::string* why) const override {
    uint64_t pml4e = load64(pml4_.data() + ((va >> 39) & 511) * 8, false);
    if (!(pml4e & PG_V)) return fail(va, why, "pml4e not valid");
    uint64_t pdpe;
    switch (read_entry((pml4e & PG_FRAME) + ((va >> 30) & 511) * 8, &pdpe)) {
      case PhysRead::ABSENT: return fail(va, why, "page directory pointer page " + hex(pml4e & PG_FRAME) + " not in dump");
      case PhysRead::TRUNCATED: return truncated(va, out);
      case PhysRead::OK: break;
    }
    if (!(pdpe & PG_V)) return fail(va, why, "pdpe not valid");
    if (pdpe & PG_PS) return leaf(va, (pdpe & PG_1GB_FRAME) + (va & 0x3fffffff), 0x40000000, out, why);
    uint64_t pde;
    switch (read_entry((pdpe & PG_FRAME) + ((va >> 21) & 511) * 8, &pde)) {
      case PhysRead::ABSENT: return fail(va, why, "page directory page " + hex(pdpe & PG_FRAME) + " not in dump");
      case PhysRead::TRUNCATED: return truncated(va, out);
      case PhysRead::OK: break;
    }
    if (!(pde & PG_V)) return fail(va, why, "pde not valid");
    if (pde & PG_PS) return leaf(va, (pde & PG_PS_FRAME) + (va & 0x1fffff), 0x200000, out, why);
    uint64_t pte;
    switch (read_entry((pde & PG_FRAME) + ((va >> 12) & 511) * 8, &pte)) {
      case PhysRead::ABSENT: return fail(va, why, "page table page " + hex(pde & PG_FRAME) + " not in dump");
      case PhysRead::TRUNCATED: return truncated(va, out);
      case PhysRead::OK: break;
    }
    if (!(pte & PG_V)) return fail(va, why, "pte not valid");
    return leaf(va, (pte & PG_FRAME) | (va & 0xfff), kPage, out, why);
  }

  bool translate_phys(uint64_t pa, Span* out, std::string* why) const override {
    if (phys_span(pa, out)) return true;
    if (why) *why = "physical address " + hex(pa) + " not in dump";
    return false;
  }
  bool has_physical() const override { return true; }

  std::vector<InfoField> info() const override {
    auto num = [](const char* k, uint64_t v) { return InfoField{k, true, v, ""}; };
    uint64_t bytes = 0;
    for (const LoadSegment& s : segs_) bytes += s.memsz;
    return {num("segments", segs_.size()), num("physicalBytes", bytes), num("kernbase", kernbase_),
            num("kpml4physAddress", kpml4phys_va_), num("kpml4phys", pml4_pa_), num("pageSize", kPage)};
  }

 private:
  void load_segments(const ElfFile& elf) {
    uint64_t file_size = core_.size();
    for (const ElfSegment& p : elf.segments()) {
      if (p.type != PT_LOAD || p.memsz == 0) continue;
      if (p.filesz > p.memsz || p.paddr + p.memsz < p.paddr) {
        throw Error(Code::BAD_FORMAT, "core PT_LOAD at physical address " + hex(p.paddr) + " has p_filesz " +
                                          hex(p.filesz) + " and p_memsz " + hex(p.memsz) +
                                          " (filesz above memsz, or the range wraps)")
            .address(p.paddr);
      }
      segs_.push_back(LoadSegment::of(p.paddr, p.memsz, p.filesz, p.offset, file_size));
    }
    if (segs_.empty()) {
      throw Error(Code::BAD_FORMAT, "invalid core: the full dump has no PT_LOAD segment").offset(core_.base());
    }
    std::stable_sort(segs_.begin(), segs_.end(),
                     [](const LoadSegment& a, const LoadSegment& b) { return a.addr < b.addr; });
    for (size_t i = 1; i < segs_.size(); i++) {
      if (segs_[i].addr < segs_[i - 1].addr + segs_[i - 1].memsz) {
        throw Error(Code::BAD_FORMAT, "core PT_LOAD segments overlap at physical address " + hex(segs_[i].addr))
            .address(segs_[i].addr);
      }
    }
  }

  // libkvm's bootstrap: before the page tables are known, &KPML4phys - kernbase is taken as the
  // variable's physical address (the kernel image sits at KERNBASE + its physical address).
  void bootstrap(const Symtab& symbols) {
    const Symbol* kb = symbols.lookup("kernbase");
    if (!kb) {
      throw Error(Code::NO_SYMBOL, "bad namelist - no kernbase: the kernel has no symbol kernbase, "
                                   "which reading a full dump needs")
          .name("kernbase");
    }
    const Symbol* kp = symbols.lookup("KPML4phys");
    if (!kp) {
      throw Error(Code::NO_SYMBOL, "bad namelist - no KPML4phys: the kernel has no symbol KPML4phys, "
                                   "which reading a full dump needs")
          .name("KPML4phys");
    }
    kernbase_ = kb->value;
    kpml4phys_va_ = kp->value;
    uint64_t var_pa = kp->value - kb->value;
    uint8_t word[8];
    if (PhysRead r = read_phys_bytes(var_pa, word, 8); r != PhysRead::OK) {
      throw Error(Code::BAD_FORMAT, "cannot read KPML4phys: its physical address " + hex(var_pa) + " (KPML4phys " +
                                        hex(kp->value) + " - kernbase " + hex(kb->value) + ") " + missing(r))
          .address(var_pa);
    }
    pml4_pa_ = load64(word, false);
    if (PhysRead r = read_phys_bytes(pml4_pa_, pml4_.data(), kPage); r != PhysRead::OK) {
      throw Error(Code::BAD_FORMAT, "cannot read KPML4phys: the PML4 page at physical address " + hex(pml4_pa_) +
                                        " (the value of KPML4phys) " + missing(r))
          .address(pml4_pa_);
    }
  }

  static const char* missing(PhysRead r) {
    return r == PhysRead::TRUNCATED ? "lies past the end of the truncated core file" : "is not in the dump";
  }

  PhysRead read_phys_bytes(uint64_t pa, uint8_t* dst, uint64_t len) const {
    while (len) {
      Span s;
      if (!phys_span(pa, &s)) return PhysRead::ABSENT;
      if (s.kind == Span::TRUNCATED) return PhysRead::TRUNCATED;
      uint64_t n = std::min(len, s.length);
      if (s.kind == Span::ZERO) std::memset(dst, 0, n);
      else std::memcpy(dst, core_.data() + s.offset, n);
      dst += n;
      pa += n;
      len -= n;
    }
    return PhysRead::OK;
  }

  bool phys_span(uint64_t pa, Span* out) const {
    auto it = std::upper_bound(segs_.begin(), segs_.end(), pa,
                               [](uint64_t a, const LoadSegment& s) { return a < s.addr; });
    if (it == segs_.begin()) return false;
    const LoadSegment& s = *(it - 1);
    uint64_t rel = pa - s.addr;
    if (rel >= s.memsz) return false;
    s.span_at(rel, out);
    return true;
  }

  PhysRead read_entry(uint64_t pa, uint64_t* value) const {
    Span s;
    if (!phys_span(pa, &s)) return PhysRead::ABSENT;
    if (s.kind == Span::ZERO) {
      *value = 0;
      return PhysRead::OK;
    }
    if (s.kind != Span::FILE || s.length < 8) return PhysRead::TRUNCATED;
    *value = load64(core_.data() + s.offset, false);
    return PhysRead::OK;
  }

  // The bytes of a leaf page: at most to the end of the page, of the segment or of the file.
  bool leaf(uint64_t va, uint64_t pa, uint64_t page_size, Span* out, std::string* why) const {
    if (!phys_span(pa, out)) {
      if (why) *why = "virtual address " + hex(va) + " not in dump: physical address " + hex(pa) + " not in dump";
      return false;
    }
    uint64_t rest = page_size - (va & (page_size - 1));
    if (out->length > rest) out->length = rest;
    return true;
  }

  static bool truncated(uint64_t va, Span* out) {
    out->kind = Span::TRUNCATED;
    out->offset = 0;
    out->length = kPage - (va & 0xfff);
    return true;
  }

  static bool fail(uint64_t va, std::string* why, const char* reason) {
    if (why) *why = "virtual address " + hex(va) + " not in dump: " + reason;
    return false;
  }
  static bool fail(uint64_t va, std::string* why, const std::string& reason) {
    if (why) *why = "virtual address " + hex(va) + " not in dump: " + reason;
    return false;
  }

  ByteView core_;
  std::vector<LoadSegment> segs_;
  uint64_t kernbase_ = 0, kpml4phys_va_ = 0, pml4_pa_ = 0;
  std::array<uint8_t, kPage> pml4_{};
};

bool probe(const ProbeInput& in) {
  // Content only: an amd64 kernel, and a core that is an ELF ET_CORE marked standalone (physical).
  if (!(in.kernel.is64() && in.kernel.type() == ET_EXEC && in.kernel.machine() == EM_X86_64)) return false;
  if (!ElfFile::has_magic(in.core) || !in.core.has(0, 18)) return false;
  bool big = in.core.data()[5] == ELFDATA2MSB;
  return in.core.with_order(big).u16(16) == ET_CORE && in.core.data()[7] == ELFOSABI_STANDALONE;
}

std::unique_ptr<CoreImage> open(const OpenInput& in) { return std::make_unique<FullDumpAmd64>(in); }

}  // namespace

extern const FormatDescriptor kFullDumpAmd64Format = {
    "fulldump-amd64",
    "FreeBSD/amd64 full dump (ELF core of physical memory, debug.minidump=0)",
    probe,
    open,
};

}  // namespace kvm
