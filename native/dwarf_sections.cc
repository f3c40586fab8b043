#include "dwarf_sections.h"

#include <array>
#include <cstring>

#include "inflate.h"

namespace kvm {

using namespace elfc;

namespace {
constexpr uint32_t ELFCOMPRESS_ZLIB = 1, ELFCOMPRESS_ZSTD = 2;

// ".debug_info" -> ".zdebug_info"
std::string legacy_name(const std::string& name) { return ".z" + name.substr(1); }

const ElfSection* find_with_bytes(const ElfFile& elf, const std::string& name) {
  const ElfSection* s = elf.section(name);
  if (s && s->type != SHT_NOBITS && s->size > 0) return s;
  return nullptr;
}
}  // namespace

DebugSections::DebugSections(const ElfFile& elf, const std::string& what) : what_(what) {
  info = load(elf, ".debug_info");
  abbrev = load(elf, ".debug_abbrev");
  str = load(elf, ".debug_str");
  line_str = load(elf, ".debug_line_str");
  str_offsets = load(elf, ".debug_str_offsets");
  addr = load(elf, ".debug_addr");
  types = load(elf, ".debug_types");
}

ByteView DebugSections::load(const ElfFile& elf, const std::string& name) {
  bool big = elf.big_endian();
  const ElfSection* sec = find_with_bytes(elf, name);
  bool legacy = false;
  if (!sec) {
    sec = find_with_bytes(elf, legacy_name(name));
    legacy = sec != nullptr;
  }
  if (!sec) return ByteView(nullptr, 0, big, 0);
  ByteView raw = elf.section_data(*sec);
  std::string label = what_ + ": section " + sec->name;
  uint64_t size = 0;
  ByteView stream;
  if (sec->flags & SHF_COMPRESSED) {
    // Elf32_Chdr / Elf64_Chdr, in the file's byte order.
    uint64_t header = elf.is64() ? 24 : 12;
    raw.require(0, header, (label + " compression header").c_str());
    uint32_t type = raw.u32(0);
    size = elf.is64() ? raw.u64(8) : raw.u32(4);
    if (type == ELFCOMPRESS_ZSTD) {
      throw Error(Code::UNSUPPORTED, label + " is zstd-compressed; only zlib is supported")
          .offset(sec->offset);
    }
    if (type != ELFCOMPRESS_ZLIB) {
      throw Error(Code::BAD_FORMAT, label + " has unknown compression type " + std::to_string(type))
          .offset(sec->offset);
    }
    stream = raw.tail(header, label.c_str());
  } else if (legacy) {
    // "ZLIB" then the inflated size as a 64-bit big-endian number.
    ByteView be = raw.with_order(true);
    if (!be.has(0, 12) || std::memcmp(raw.data(), "ZLIB", 4) != 0) {
      throw Error(Code::BAD_FORMAT, label + " does not start with a ZLIB header").offset(sec->offset);
    }
    size = be.u64(4);
    stream = raw.tail(12, label.c_str());
  } else {
    return ByteView(raw.data(), raw.size(), big, 0);
  }
  std::string what = label + " (compressed)";
  Inflated bytes =
      inflate_zlib(ByteView(stream.data(), stream.size(), big, stream.base()), size, what.c_str());
  ByteView view(bytes.data.get(), bytes.size, big, 0);
  compressed_count++;
  inflated_bytes += bytes.size;
  owned_.push_back(std::move(bytes.data));
  return view;
}

bool has_dwarf(const ElfFile& elf) {
  return find_with_bytes(elf, ".debug_info") || find_with_bytes(elf, ".zdebug_info");
}

DebugLink read_debuglink(const ElfFile& elf, const std::string& what) {
  DebugLink link;
  const ElfSection* sec = find_with_bytes(elf, ".gnu_debuglink");
  if (!sec) return link;
  ByteView data = elf.section_data(*sec);
  std::string label = what + ": .gnu_debuglink";
  link.name = data.cstring(0, label.c_str());
  // The CRC follows the name's NUL, padded to a 4-byte boundary.
  uint64_t crc_at = (link.name.size() + 1 + 3) & ~uint64_t(3);
  link.crc = data.u32(crc_at, label.c_str());
  link.present = !link.name.empty();
  return link;
}

uint32_t crc32_update(uint32_t crc, const uint8_t* p, uint64_t n) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  while (n--) crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return ~crc;
}

}  // namespace kvm
