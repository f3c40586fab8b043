// ELF32/ELF64 in either byte order: header, section headers, program headers and notes.
// Everything is validated against the file size when the file is parsed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bytes.h"
#include "mapped_file.h"

namespace kvm {

// Constants from the ELF specification (the subset we use).
namespace elfc {
constexpr uint8_t ELFCLASS32 = 1, ELFCLASS64 = 2;
constexpr uint8_t ELFDATA2LSB = 1, ELFDATA2MSB = 2;
constexpr uint16_t ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4;
constexpr uint16_t EM_386 = 3, EM_PPC = 20, EM_PPC64 = 21, EM_ARM = 40, EM_X86_64 = 62,
                   EM_AARCH64 = 183, EM_RISCV = 243;
constexpr uint8_t ELFOSABI_FREEBSD = 9, ELFOSABI_STANDALONE = 255;
constexpr uint32_t SHT_NULL = 0, SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_NOTE = 7,
                   SHT_NOBITS = 8, SHT_DYNSYM = 11;
constexpr uint64_t SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4, SHF_COMPRESSED = 0x800;
constexpr uint16_t SHN_UNDEF = 0, SHN_LORESERVE = 0xff00, SHN_ABS = 0xfff1, SHN_COMMON = 0xfff2,
                   SHN_XINDEX = 0xffff;
constexpr uint16_t PN_XNUM = 0xffff;
constexpr uint32_t PT_NULL = 0, PT_LOAD = 1, PT_NOTE = 4;
constexpr uint32_t PF_X = 1, PF_W = 2, PF_R = 4;
constexpr uint8_t STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3, STT_FILE = 4,
                  STT_COMMON = 5, STT_TLS = 6;
constexpr uint8_t STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2;
}  // namespace elfc

struct ElfSection {
  std::string name;
  uint32_t type = 0;
  uint64_t flags = 0, addr = 0, offset = 0, size = 0;
  uint32_t link = 0, info = 0;
  uint64_t addralign = 0, entsize = 0;
};

struct ElfSegment {
  uint32_t type = 0, flags = 0;
  uint64_t offset = 0, vaddr = 0, paddr = 0, filesz = 0, memsz = 0, align = 0;
};

struct ElfNote {
  std::string name;
  uint32_t type = 0;
  ByteView desc;
};

class ElfFile {
 public:
  // True if the bytes start with the ELF magic.
  static bool has_magic(ByteView bytes);

  // Parses and validates; throws Error(BAD_FORMAT) with the file offset of the first problem.
  // `what` names the file in messages ("kernel", "core", ...). Cores are read through their
  // program headers only, so with sections = OPTIONAL a damaged section table is ignored.
  enum class Sections { REQUIRED, OPTIONAL };
  ElfFile(ByteView file, std::string what, Sections sections = Sections::REQUIRED);

  bool is64() const { return is64_; }
  bool big_endian() const { return big_; }
  unsigned word_size() const { return is64_ ? 8 : 4; }
  uint16_t type() const { return type_; }
  uint16_t machine() const { return machine_; }
  uint8_t osabi() const { return osabi_; }
  uint64_t entry() const { return entry_; }
  ByteView file() const { return file_; }

  const std::vector<ElfSection>& sections() const { return sections_; }
  const std::vector<ElfSegment>& segments() const { return segments_; }

  // First section with this name, or nullptr.
  const ElfSection* section(const std::string& name) const;
  // The bytes of a section (empty for SHT_NOBITS); throws if they are not in the file.
  ByteView section_data(const ElfSection& sec) const;
  // Notes from PT_NOTE segments, or from SHT_NOTE sections where there are no such segments.
  std::vector<ElfNote> notes() const;

 private:
  void parse_header();
  void parse_sections();
  void parse_segments();
  std::vector<ElfNote> parse_notes(ByteView data, uint64_t align) const;

  ByteView file_;
  std::string what_;
  bool is64_ = false, big_ = false;
  uint16_t type_ = 0, machine_ = 0;
  uint8_t osabi_ = 0;
  uint64_t entry_ = 0, phoff_ = 0, shoff_ = 0;
  uint32_t phnum_ = 0, shnum_ = 0, shstrndx_ = 0;
  uint16_t phentsize_ = 0, shentsize_ = 0;
  std::vector<ElfSection> sections_;
  std::vector<ElfSegment> segments_;
};

// Human name of an e_machine value ("amd64", "arm64", ...), or "machine N".
std::string machine_name(uint16_t machine);

}  // namespace kvm
