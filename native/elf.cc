#include "elf.h"

#include <algorithm>
#include <cstring>

namespace kvm {

using namespace elfc;

namespace {
constexpr uint64_t kEhdr32 = 52, kEhdr64 = 64;
constexpr uint64_t kShdr32 = 40, kShdr64 = 64;
constexpr uint64_t kPhdr32 = 32, kPhdr64 = 56;
// A table larger than this many entries is refused before any allocation.
constexpr uint64_t kMaxTableEntries = 1u << 24;
// Bytes of section names that may be copied beyond four times the name table's size.
constexpr uint64_t kNameSlack = 1u << 20;

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
}  // namespace

bool ElfFile::has_magic(ByteView bytes) {
  return bytes.has(0, 4) && bytes.data()[0] == 0x7f && bytes.data()[1] == 'E' &&
         bytes.data()[2] == 'L' && bytes.data()[3] == 'F';
}

ElfFile::ElfFile(ByteView file, std::string what, Sections sections)
    : file_(file), what_(std::move(what)) {
  parse_header();
  if (sections == Sections::REQUIRED) {
    parse_sections();
  } else {
    try {
      parse_sections();
    } catch (const Error&) {
      sections_.clear();
    }
  }
  parse_segments();
}

void ElfFile::parse_header() {
  if (file_.size() == 0) throw Error(Code::BAD_FORMAT, what_ + " is an empty file");
  if (!has_magic(file_)) throw Error(Code::BAD_FORMAT, what_ + " is not an ELF file").offset(0);
  if (!file_.has(0, 16)) {
    throw Error(Code::BAD_FORMAT, what_ + ": ELF identification runs past end of file (size " +
                                      hex(file_.size()) + ")")
        .offset(0);
  }
  uint8_t cls = file_.data()[4], data = file_.data()[5];
  if (cls != ELFCLASS32 && cls != ELFCLASS64) {
    throw Error(Code::BAD_FORMAT, what_ + ": unknown ELF class " + std::to_string(cls)).offset(4);
  }
  if (data != ELFDATA2LSB && data != ELFDATA2MSB) {
    throw Error(Code::BAD_FORMAT, what_ + ": unknown ELF data encoding " + std::to_string(data))
        .offset(5);
  }
  is64_ = cls == ELFCLASS64;
  big_ = data == ELFDATA2MSB;
  osabi_ = file_.data()[7];
  file_ = file_.with_order(big_);
  uint64_t ehsize = is64_ ? kEhdr64 : kEhdr32;
  if (!file_.has(0, ehsize)) {
    throw Error(Code::BAD_FORMAT, what_ + ": ELF header (" + std::to_string(ehsize) +
                                      " bytes) runs past end of file (size " + hex(file_.size()) +
                                      ")")
        .offset(0);
  }
  type_ = file_.u16(16);
  machine_ = file_.u16(18);
  if (is64_) {
    entry_ = file_.u64(24);
    phoff_ = file_.u64(32);
    shoff_ = file_.u64(40);
    phentsize_ = file_.u16(54);
    phnum_ = file_.u16(56);
    shentsize_ = file_.u16(58);
    shnum_ = file_.u16(60);
    shstrndx_ = file_.u16(62);
  } else {
    entry_ = file_.u32(24);
    phoff_ = file_.u32(28);
    shoff_ = file_.u32(32);
    phentsize_ = file_.u16(42);
    phnum_ = file_.u16(44);
    shentsize_ = file_.u16(46);
    shnum_ = file_.u16(48);
    shstrndx_ = file_.u16(50);
  }
}

void ElfFile::parse_sections() {
  if (shoff_ == 0) return;
  uint64_t want = is64_ ? kShdr64 : kShdr32;
  if (shentsize_ < want) {
    throw Error(Code::BAD_FORMAT, what_ + ": ELF section header size " +
                                      std::to_string(shentsize_) + " is smaller than " +
                                      std::to_string(want))
        .offset(is64_ ? 58 : 46);
  }
  auto header_at = [&](uint64_t i) -> ElfSection {
    uint64_t off = shoff_ + i * shentsize_;
    ElfSection s;
    s.type = file_.u32(off + 4, "ELF section header");
    if (is64_) {
      s.flags = file_.u64(off + 8);
      s.addr = file_.u64(off + 16);
      s.offset = file_.u64(off + 24);
      s.size = file_.u64(off + 32);
      s.link = file_.u32(off + 40);
      s.info = file_.u32(off + 44);
      s.addralign = file_.u64(off + 48);
      s.entsize = file_.u64(off + 56);
    } else {
      s.flags = file_.u32(off + 8);
      s.addr = file_.u32(off + 12);
      s.offset = file_.u32(off + 16);
      s.size = file_.u32(off + 20);
      s.link = file_.u32(off + 24);
      s.info = file_.u32(off + 28);
      s.addralign = file_.u32(off + 32);
      s.entsize = file_.u32(off + 36);
    }
    return s;
  };
  auto check_table = [&](uint64_t count) {
    if (count > kMaxTableEntries || !file_.has(shoff_, count * shentsize_)) {
      throw Error(Code::BAD_FORMAT, what_ + ": ELF section header table at offset " + hex(shoff_) +
                                        " (" + std::to_string(count) + " entries of " +
                                        std::to_string(shentsize_) +
                                        " bytes) runs past end of file (size " +
                                        hex(file_.size()) + ")")
          .offset(shoff_);
    }
  };
  // Extended numbering: counts that do not fit the header live in section 0.
  uint64_t count = shnum_;
  if (count == 0 || shstrndx_ == SHN_XINDEX || phnum_ == PN_XNUM) {
    check_table(1);
    ElfSection zero = header_at(0);
    if (count == 0) count = zero.size;
    if (shstrndx_ == SHN_XINDEX) shstrndx_ = zero.link;
    if (phnum_ == PN_XNUM) phnum_ = zero.info;
  }
  if (count == 0) return;
  check_table(count);
  sections_.reserve(count);
  for (uint64_t i = 0; i < count; i++) sections_.push_back(header_at(i));
  for (uint64_t i = 0; i < count; i++) {
    const ElfSection& s = sections_[i];
    if (s.type != SHT_NOBITS && s.type != SHT_NULL && !file_.has(s.offset, s.size)) {
      throw Error(Code::BAD_FORMAT, what_ + ": ELF section " + std::to_string(i) + " at offset " +
                                        hex(s.offset) + " (size " + hex(s.size) +
                                        ") runs past end of file (size " + hex(file_.size()) +
                                        ")")
          .offset(s.offset);
    }
  }
  // Names come from the section-name string table.
  if (shstrndx_ == SHN_UNDEF) return;
  if (shstrndx_ >= sections_.size()) {
    throw Error(Code::BAD_FORMAT, what_ + ": ELF section name table index " +
                                      std::to_string(shstrndx_) + " is not a section (" +
                                      std::to_string(sections_.size()) + " sections)");
  }
  const ElfSection& strsec = sections_[shstrndx_];
  if (strsec.type == SHT_NOBITS) {
    throw Error(Code::BAD_FORMAT, what_ + ": ELF section name table has no bytes in the file");
  }
  ByteView strtab = file_.sub(strsec.offset, strsec.size, "ELF section name table");
  // Names are copied. Headers may all point at one long name, so the bytes copied are held to a
  // budget proportional to the name table (real files copy about its size).
  uint64_t name_budget = 4 * strtab.size() + kNameSlack;
  uint32_t name_field = 0;
  for (uint64_t i = 0; i < count; i++) {
    name_field = file_.u32(shoff_ + i * shentsize_, "ELF section header");
    if (name_field == 0 && sections_[i].type == SHT_NULL) continue;
    if (name_field >= strtab.size()) {
      throw Error(Code::BAD_FORMAT, what_ + ": ELF section " + std::to_string(i) +
                                        " name offset " + hex(name_field) +
                                        " is outside the section name table (size " +
                                        hex(strtab.size()) + ")")
          .offset(strtab.base() + name_field);
    }
    const uint8_t* start = strtab.data() + name_field;
    uint64_t room = std::min<uint64_t>(strtab.size() - name_field, name_budget);
    const void* nul = std::memchr(start, 0, room);
    if (!nul && room == strtab.size() - name_field) {
      throw Error(Code::BAD_FORMAT, "ELF section name at offset " + hex(strtab.base() + name_field) +
                                        " is not NUL-terminated")
          .offset(strtab.base() + name_field);
    }
    if (!nul) {
      throw Error(Code::BAD_FORMAT, what_ + ": ELF section names (" + std::to_string(count) +
                                        " sections) add up to more than " +
                                        hex(4 * strtab.size() + kNameSlack) +
                                        " bytes, far more than their table (size " +
                                        hex(strtab.size()) + ") holds")
          .offset(strtab.base() + name_field);
    }
    uint64_t len = static_cast<const uint8_t*>(nul) - start;
    sections_[i].name.assign(reinterpret_cast<const char*>(start), len);
    name_budget -= len + 1;
  }
}

void ElfFile::parse_segments() {
  if (phoff_ == 0 || phnum_ == 0) return;
  uint64_t want = is64_ ? kPhdr64 : kPhdr32;
  if (phentsize_ < want) {
    throw Error(Code::BAD_FORMAT, what_ + ": ELF program header size " +
                                      std::to_string(phentsize_) + " is smaller than " +
                                      std::to_string(want))
        .offset(is64_ ? 54 : 42);
  }
  if (phnum_ > kMaxTableEntries || !file_.has(phoff_, uint64_t(phnum_) * phentsize_)) {
    throw Error(Code::BAD_FORMAT, what_ + ": ELF program header table at offset " + hex(phoff_) +
                                      " (" + std::to_string(phnum_) + " entries of " +
                                      std::to_string(phentsize_) +
                                      " bytes) runs past end of file (size " + hex(file_.size()) +
                                      ")")
        .offset(phoff_);
  }
  segments_.reserve(phnum_);
  for (uint64_t i = 0; i < phnum_; i++) {
    uint64_t off = phoff_ + i * phentsize_;
    ElfSegment p;
    p.type = file_.u32(off);
    if (is64_) {
      p.flags = file_.u32(off + 4);
      p.offset = file_.u64(off + 8);
      p.vaddr = file_.u64(off + 16);
      p.paddr = file_.u64(off + 24);
      p.filesz = file_.u64(off + 32);
      p.memsz = file_.u64(off + 40);
      p.align = file_.u64(off + 48);
    } else {
      p.offset = file_.u32(off + 4);
      p.vaddr = file_.u32(off + 8);
      p.paddr = file_.u32(off + 12);
      p.filesz = file_.u32(off + 16);
      p.memsz = file_.u32(off + 20);
      p.flags = file_.u32(off + 24);
      p.align = file_.u32(off + 28);
    }
    segments_.push_back(p);
  }
}

const ElfSection* ElfFile::section(const std::string& name) const {
  for (const ElfSection& s : sections_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

ByteView ElfFile::section_data(const ElfSection& sec) const {
  if (sec.type == SHT_NOBITS) return ByteView(nullptr, 0, big_, sec.offset);
  return file_.sub(sec.offset, sec.size, "ELF section");
}

std::vector<ElfNote> ElfFile::parse_notes(ByteView data, uint64_t align) const {
  std::vector<ElfNote> notes;
  uint64_t off = 0;
  // Each note needs at least 12 bytes, which bounds the loop by the data size.
  while (data.has(off, 12)) {
    uint32_t namesz = data.u32(off, "ELF note");
    uint32_t descsz = data.u32(off + 4, "ELF note");
    uint32_t type = data.u32(off + 8, "ELF note");
    uint64_t name_off = off + 12;
    uint64_t desc_off = align_up(name_off + namesz, align);
    ElfNote note;
    note.type = type;
    ByteView name = data.sub(name_off, namesz, "ELF note name");
    std::string n(reinterpret_cast<const char*>(name.data()), namesz);
    while (!n.empty() && n.back() == '\0') n.pop_back();
    note.name = n;
    note.desc = data.sub(desc_off, descsz, "ELF note descriptor");
    notes.push_back(note);
    off = align_up(desc_off + descsz, align);
  }
  return notes;
}

std::vector<ElfNote> ElfFile::notes() const {
  std::vector<ElfNote> all;
  bool from_segments = false;
  for (const ElfSegment& p : segments_) {
    if (p.type != PT_NOTE) continue;
    from_segments = true;
    ByteView data = file_.sub(p.offset, p.filesz, "ELF note segment");
    auto part = parse_notes(data, p.align == 8 ? 8 : 4);
    all.insert(all.end(), part.begin(), part.end());
  }
  if (from_segments) return all;
  for (const ElfSection& s : sections_) {
    if (s.type != SHT_NOTE) continue;
    auto part = parse_notes(section_data(s), s.addralign == 8 ? 8 : 4);
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

std::string machine_name(uint16_t machine) {
  switch (machine) {
    case EM_X86_64: return "amd64";
    case EM_AARCH64: return "arm64";
    case EM_386: return "i386";
    case EM_ARM: return "arm";
    case EM_PPC: return "powerpc";
    case EM_PPC64: return "powerpc64";
    case EM_RISCV: return "riscv";
    default: return "machine " + std::to_string(machine);
  }
}

}  // namespace kvm
