// The DWARF sections of one ELF file, decompressed where needed (SHF_COMPRESSED with
// ELFCOMPRESS_ZLIB, or legacy .zdebug_* with a "ZLIB" header). The loader owns the inflated bytes;
// every view it hands out stays valid for the loader's lifetime. Views use section-relative
// offsets (base 0), so messages give offsets as readelf shows them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bytes.h"
#include "elf.h"

namespace kvm {

class DebugSections {
 public:
  // Loads the sections the type reader needs. `what` names the file in messages.
  DebugSections(const ElfFile& elf, const std::string& what);

  ByteView info, abbrev, str, line_str, str_offsets, addr, types;
  // Sections that were stored compressed, and their total inflated size.
  unsigned compressed_count = 0;
  uint64_t inflated_bytes = 0;

 private:
  ByteView load(const ElfFile& elf, const std::string& name);
  std::string what_;
  std::vector<std::unique_ptr<uint8_t[]>> owned_;
};

// True if the file holds a non-empty .debug_info (plain or .zdebug_info) with bytes in the file.
bool has_dwarf(const ElfFile& elf);

// The .gnu_debuglink section: the debug file's name and the CRC-32 of its contents.
struct DebugLink {
  bool present = false;
  std::string name;
  uint32_t crc = 0;
};
DebugLink read_debuglink(const ElfFile& elf, const std::string& what);

// CRC-32 (the IEEE polynomial, as .gnu_debuglink uses), continuing from `crc` (0 to start).
uint32_t crc32_update(uint32_t crc, const uint8_t* p, uint64_t n);

}  // namespace kvm
