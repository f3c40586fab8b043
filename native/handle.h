// One open kernel + core: the files, the kernel's ELF and symbols, the core's format, and a small
// translation cache. The addon wraps one Handle per Kvm object; fuzz targets use it directly.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "elf.h"
#include "formats/format.h"
#include "mapped_file.h"
#include "symtab.h"
#include "translate.h"

namespace kvm {

// Why a read stopped early.
struct ReadFault {
  Code code = Code::FAULT;  // FAULT (not in the image) or TRUNCATED (file too short)
  uint64_t address = 0;     // first unreadable address
  std::string why;
};

class Handle {
 public:
  // An empty core_path opens the kernel alone (symbols and types; every read faults).
  Handle(const std::string& kernel_path, const std::string& core_path);
  // Over files already open (or bytes held in memory, MappedFile::from_bytes); their path()
  // names them in messages.
  Handle(MappedFile kernel, MappedFile core);

  const MappedFile& kernel_file() const { return kernel_file_; }
  const MappedFile& core_file() const { return core_file_; }
  const ElfFile& kernel() const { return *kernel_elf_; }
  const Symtab& symbols() const { return symtab_; }
  const CoreImage& image() const { return *core_.image; }
  const FormatDescriptor& format() const { return *core_.format; }
  uint64_t payload_offset() const { return core_.payload_offset; }
  bool big_endian() const { return kernel_elf_->big_endian(); }
  unsigned word_size() const { return kernel_elf_->word_size(); }

  // Copies up to len bytes at va into dst; returns the count copied. When it is short, *fault
  // (if given) says why and where.
  size_t read(uint64_t va, uint8_t* dst, size_t len, ReadFault* fault);

  // Whole-value reads in the kernel's byte order. Return false (and fill *fault) on a short read.
  template <typename T>
  bool read_value(uint64_t va, T* out, ReadFault* fault) {
    const uint8_t* p = page_pointer(va);
    uint8_t buf[sizeof(T)];
    if (p && (va & kPageMask) <= kPageSize - sizeof(T)) {
      std::memcpy(buf, p + (va & kPageMask), sizeof(T));
    } else if (read(va, buf, sizeof(T), fault) != sizeof(T)) {
      return false;
    }
    *out = decode<T>(buf);
    return true;
  }

  // Reads a word of the kernel's pointer size.
  bool read_word(uint64_t va, uint64_t* out, ReadFault* fault);

  // count values of `width` bytes (4 or 8) at va, decoded in the kernel's byte order.
  bool read_array(uint64_t va, size_t count, unsigned width, uint64_t* out, ReadFault* fault);

  // out[i] = sum over j of the u64 at bases[i] + offsets[j] (modulo 2^64): counter(9) sums.
  // Unreadable slots are skipped and counted in faults[i] (when given); returns the total count.
  uint64_t sum_gather(const uint64_t* bases, size_t nbases, const uint64_t* offsets,
                      size_t noffsets, uint64_t* out, uint32_t* faults);

  Translator& translator() { return *translator_; }
  // Copies up to len bytes of physical memory at pa (formats that hold physical memory); short
  // counts as for read(). Throws UNSUPPORTED when the core has no physical address space.
  size_t read_phys(uint64_t pa, uint8_t* dst, size_t len, ReadFault* fault);

 private:
  static constexpr uint64_t kPageSize = 4096;
  static constexpr uint64_t kPageMask = kPageSize - 1;
  static constexpr size_t kTlbEntries = 1024;

  template <typename T>
  T decode(const uint8_t* p) const {
    if constexpr (sizeof(T) == 1) return static_cast<T>(p[0]);
    else if constexpr (sizeof(T) == 2) return static_cast<T>(load16(p, big_endian()));
    else if constexpr (sizeof(T) == 4) return static_cast<T>(load32(p, big_endian()));
    else return static_cast<T>(load64(p, big_endian()));
  }

  // Host pointer to the 4 KiB page holding va when that page is wholly backed by file bytes or
  // zeros; nullptr otherwise. Results are cached in a direct-mapped TLB.
  const uint8_t* page_pointer(uint64_t va) {
    uint64_t vpn = va >> 12;
    TlbEntry& e = tlb_[vpn & (kTlbEntries - 1)];
    if (e.tag == vpn + 1) return e.page;
    return fill_tlb(va);
  }
  // Parses the kernel and opens the core once both files are held.
  void load();
  const uint8_t* fill_tlb(uint64_t va);
  // Copies the bytes of one translated span; returns false (with *fault) when it stops early.
  bool copy_span(const Span& span, uint64_t addr, uint8_t* dst, size_t want, size_t* copied,
                 ReadFault* fault) const;

  struct TlbEntry {
    uint64_t tag = 0;  // vpn + 1; 0 = empty
    const uint8_t* page = nullptr;
  };

  MappedFile kernel_file_;
  MappedFile core_file_;
  std::unique_ptr<ElfFile> kernel_elf_;
  Symtab symtab_;
  OpenedCore core_;
  ByteView payload_;
  std::unique_ptr<Translator> translator_;  // built once the symbol table is loaded
  std::array<TlbEntry, kTlbEntries> tlb_{};
};

}  // namespace kvm
