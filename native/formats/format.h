// A core format is a descriptor { probe, open } listed in registry.cc; `open` returns a CoreImage
// that translates kernel virtual addresses to bytes of the core file and, where the format can,
// walks its pages. Adding a format touches its own file and one line of the registry.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bytes.h"
#include "elf.h"
#include "symtab.h"

namespace kvm {

// Where the bytes of one virtual address are.
struct Span {
  enum Kind : uint8_t {
    FILE,       // at `offset` in the core payload
    ZERO,       // mapped, reads as zeros (e.g. p_filesz < p_memsz)
    TRUNCATED,  // mapped, but the file ends before these bytes
  };
  Kind kind = FILE;
  uint64_t offset = 0;  // payload offset of the translated address (FILE only)
  uint64_t length = 0;  // bytes from the address that share this kind (and consecutive offsets)
};

// One PT_LOAD segment of an ELF core at `addr` (virtual or physical, as the format reads it):
// memsz bytes, of which the first filesz are at `offset` in the file and the rest read as zeros.
// in_file counts the bytes of filesz the file really holds (a truncated core holds fewer).
struct LoadSegment {
  uint64_t addr = 0, memsz = 0, filesz = 0, offset = 0, in_file = 0;

  static LoadSegment of(uint64_t addr, uint64_t memsz, uint64_t filesz, uint64_t offset, uint64_t file_size) {
    LoadSegment s{addr, memsz, filesz, offset, 0};
    if (filesz && offset < file_size) s.in_file = filesz < file_size - offset ? filesz : file_size - offset;
    return s;
  }

  // The span from `rel` bytes into the segment (rel < memsz) to where its kind changes.
  void span_at(uint64_t rel, Span* out) const {
    if (rel < in_file) {
      out->kind = Span::FILE;
      out->offset = offset + rel;
      out->length = in_file - rel;
    } else if (rel < filesz) {
      out->kind = Span::TRUNCATED;
      out->offset = 0;
      out->length = filesz - rel;
    } else {
      out->kind = Span::ZERO;
      out->offset = 0;
      out->length = memsz - rel;
    }
  }
};

// One dumped page as kvm_walk_pages reports it.
struct PageRecord {
  uint64_t paddr = 0;
  uint64_t kmap_vaddr = 0;  // 0 when the page is not in the kernel map
  uint64_t dmap_vaddr = 0;  // 0 when the format has no direct map
  uint32_t prot = 0;        // VM_PROT_READ 1 | WRITE 2 | EXECUTE 4
  int64_t offset = -1;      // payload offset, -1 when mapped but not dumped
  uint64_t len = 0;
};

// A named property of an opened image ("version" = 3, "kernbase" = 0x...), for kd.info.
struct InfoField {
  std::string key;
  bool is_number = false;
  uint64_t number = 0;
  std::string text;
};

class CoreImage {
 public:
  virtual ~CoreImage() = default;
  // Translates va; returns false when va is not in the image, with the reason in *why.
  // Must not throw: this is the hot path of every read.
  virtual bool translate(uint64_t va, Span* out, std::string* why) const = 0;
  // Physical address -> bytes, for formats that hold physical memory.
  virtual bool translate_phys(uint64_t pa, Span* out, std::string* why) const {
    if (why) *why = "this core has no physical address space";
    return false;
  }
  // Visits every dumped page; fn returns false to stop. Returns false if the format has no walker.
  virtual bool walk_pages(const std::function<bool(const PageRecord&)>& fn) const { return false; }
  // Resumable walk for batching across calls: visits records from position *cursor (0 = start);
  // fn returns false to stop, and the record it was handed counts as visited. On return *cursor
  // is where to resume and *done says whether the walk reached its end. Returns false if the
  // format has no walker. The default replays walk_pages and skips what earlier calls visited,
  // which suits formats with few records; page-map formats override it.
  virtual bool walk_pages_from(uint64_t* cursor, bool* done,
                               const std::function<bool(const PageRecord&)>& fn) const;
  // True when translate_phys can answer (the image holds physical memory).
  virtual bool has_physical() const { return false; }
  // The kernel message buffer saved in the image (minidumps), or an empty view.
  virtual ByteView msgbuf() const { return ByteView(); }
  // Format-specific facts (version, header fields) for kd.info.
  virtual std::vector<InfoField> info() const { return {}; }
  // Displacement between the run-time and link-time kernel base (kvm_kerndisp).
  virtual int64_t kerndisp() const { return 0; }
};

struct ProbeInput {
  const ElfFile& kernel;
  ByteView core;  // the payload (a leading kerneldumpheader already skipped)
};

struct OpenInput {
  const ElfFile& kernel;
  const Symtab& symbols;
  ByteView core;  // the payload
  uint64_t payload_offset;  // where the payload starts in the file (for messages)
};

struct FormatDescriptor {
  const char* name;         // "elf-vcore", "minidump-amd64", ...
  const char* description;  // one line for --list-formats
  bool (*probe)(const ProbeInput& in);
  std::unique_ptr<CoreImage> (*open)(const OpenInput& in);
};

// One descriptor per format file (defined there, listed in registry.cc).
extern const FormatDescriptor kMinidumpAmd64Format;  // minidump_amd64.cc
extern const FormatDescriptor kMinidumpArm64Format;  // minidump_arm64.cc
extern const FormatDescriptor kFullDumpAmd64Format;  // fulldump_amd64.cc
extern const FormatDescriptor kElfVcoreFormat;       // elf_vcore.cc

// The table (registry.cc), in probe order; the first descriptor whose probe accepts wins.
const std::vector<const FormatDescriptor*>& core_formats();

struct OpenedCore {
  const FormatDescriptor* format = nullptr;
  std::unique_ptr<CoreImage> image;
  uint64_t payload_offset = 0;  // 512 when a kerneldumpheader was skipped
};

// Detects the format by content and opens the core. Throws BAD_FORMAT / UNSUPPORTED.
OpenedCore open_core(const ElfFile& kernel, const Symtab& symbols, ByteView file,
                     const std::string& path);

// A kernel opened without a memory image: symbols and types work, every read faults.
OpenedCore open_no_core();

}  // namespace kvm
