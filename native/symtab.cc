#include "symtab.h"

#include <algorithm>

namespace kvm {

using namespace elfc;
using namespace nlistc;

namespace {

// Name bytes a symbol table may scan beyond four times its string table's size.
constexpr uint64_t kNameSlack = uint64_t(64) << 20;
// Symbols sharing one address that nearest() compares before settling for the best so far.
constexpr int kMaxSameAddress = 256;

uint8_t ntype_of(uint8_t type, uint8_t bind, uint16_t shndx, const std::vector<ElfSection>& secs) {
  uint8_t t;
  if (shndx == SHN_UNDEF || shndx == SHN_COMMON) {
    t = N_UNDF;
  } else if (shndx == SHN_ABS) {
    t = type == STT_FILE ? N_FN : N_ABS;
  } else if (shndx >= secs.size()) {
    t = N_UNDF;
  } else {
    const ElfSection& s = secs[shndx];
    if (s.type == SHT_PROGBITS) t = (s.flags & SHF_WRITE) ? N_DATA : N_TEXT;
    else if (s.type == SHT_NOBITS) t = N_BSS;
    else t = N_UNDF;
  }
  if (bind == STB_GLOBAL || bind == STB_WEAK) t |= N_EXT;
  return t;
}

// Which of two same-named symbols a lookup returns: a defined one, then a global one, then the
// first in table order.
bool better(const Symbol& a, const Symbol& b) {
  bool a_def = a.shndx != SHN_UNDEF, b_def = b.shndx != SHN_UNDEF;
  if (a_def != b_def) return a_def;
  bool a_glob = a.bind != STB_LOCAL, b_glob = b.bind != STB_LOCAL;
  return a_glob && !b_glob;
}

}  // namespace

Symtab::Symtab(const ElfFile& elf) {
  const std::vector<ElfSection>& secs = elf.sections();
  const ElfSection* table = nullptr;
  for (const ElfSection& s : secs) {
    if (s.type == SHT_SYMTAB) { table = &s; source_ = ".symtab"; break; }
  }
  if (!table) {
    for (const ElfSection& s : secs) {
      if (s.type == SHT_DYNSYM) { table = &s; source_ = ".dynsym"; break; }
    }
  }
  if (!table) return;

  if (table->link >= secs.size() || secs[table->link].type != SHT_STRTAB) {
    throw Error(Code::BAD_FORMAT, std::string("symbol table ") + source_ + " links to section " +
                                      std::to_string(table->link) +
                                      ", which is not a string table")
        .offset(table->offset);
  }
  ByteView strtab = elf.section_data(secs[table->link]);
  ByteView data = elf.section_data(*table);
  uint64_t entsize = elf.is64() ? 24 : 16;
  if (table->entsize != 0 && table->entsize < entsize) {
    throw Error(Code::BAD_FORMAT, std::string("symbol table ") + source_ + " entry size " +
                                      std::to_string(table->entsize) + " is smaller than " +
                                      std::to_string(entsize))
        .offset(table->offset);
  }
  if (table->entsize > entsize) entsize = table->entsize;
  uint64_t count = data.size() / entsize;
  symbols_.reserve(count);
  // Every name is scanned and hashed once per symbol. Symbols may all name one long string, so
  // the bytes scanned are held to a budget proportional to the string table (plus room for the
  // short names real tables repeat, like ARM mapping symbols).
  uint64_t name_budget = 4 * strtab.size() + kNameSlack;
  for (uint64_t i = 1; i < count; i++) {  // entry 0 is the reserved null symbol
    uint64_t off = i * entsize;
    Symbol s;
    uint32_t name_off = data.u32(off, "symbol");
    uint8_t info;
    if (elf.is64()) {
      info = data.u8(off + 4);
      s.shndx = data.u16(off + 6);
      s.value = data.u64(off + 8);
      s.size = data.u64(off + 16);
    } else {
      s.value = data.u32(off + 4);
      s.size = data.u32(off + 8);
      info = data.u8(off + 12);
      s.shndx = data.u16(off + 14);
    }
    s.type = info & 0xf;
    s.bind = info >> 4;
    if (name_off == 0) continue;
    if (name_off >= strtab.size()) {
      throw Error(Code::BAD_FORMAT, "symbol " + std::to_string(i) + " name offset " +
                                        hex(name_off) + " is outside its string table (size " +
                                        hex(strtab.size()) + ")")
          .offset(data.base() + off);
    }
    const char* start = reinterpret_cast<const char*>(strtab.data() + name_off);
    uint64_t room = std::min<uint64_t>(strtab.size() - name_off, name_budget);
    const void* nul = std::memchr(start, 0, room);
    if (!nul && room == strtab.size() - name_off) {
      throw Error(Code::BAD_FORMAT, "symbol " + std::to_string(i) + " name at string table offset " +
                                        hex(name_off) + " is not NUL-terminated")
          .offset(strtab.base() + name_off);
    }
    if (!nul) {
      throw Error(Code::BAD_FORMAT, std::string("symbol table ") + source_ + ": symbol names add up to more than " +
                                        hex(4 * strtab.size() + kNameSlack) +
                                        " bytes, far more than their string table (size " +
                                        hex(strtab.size()) + ") holds (symbol " + std::to_string(i) + ")")
          .offset(data.base() + off);
    }
    s.name = std::string_view(start, static_cast<const char*>(nul) - start);
    name_budget -= s.name.size() + 1;
    if (s.name.empty() || s.type == STT_SECTION || s.type == STT_FILE) continue;
    s.ntype = ntype_of(s.type, s.bind, s.shndx, secs);
    symbols_.push_back(s);
  }

  by_name_.reserve(symbols_.size());
  for (uint32_t i = 0; i < symbols_.size(); i++) {
    auto [it, inserted] = by_name_.emplace(symbols_[i].name, i);
    if (!inserted && better(symbols_[i], symbols_[it->second])) it->second = i;
  }
  for (uint32_t i = 0; i < symbols_.size(); i++) {
    const Symbol& s = symbols_[i];
    if (s.shndx == SHN_UNDEF) continue;
    // ARM/AArch64 mapping symbols ($x, $d, $a, $t, with optional ".suffix") mark code/data
    // boundaries; they are not names anyone wants back from an address.
    if (s.name[0] == '$') continue;
    if (s.type != STT_OBJECT && s.type != STT_FUNC && s.type != STT_NOTYPE && s.type != STT_TLS &&
        s.type != STT_COMMON)
      continue;
    by_addr_.push_back(i);
  }
  std::stable_sort(by_addr_.begin(), by_addr_.end(), [&](uint32_t a, uint32_t b) {
    return symbols_[a].value < symbols_[b].value;
  });
}

const Symbol* Symtab::exact(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &symbols_[it->second];
}

const Symbol* Symtab::lookup(std::string_view name) const {
  if (const Symbol* s = exact(name)) return s;
  if (name.size() > 1 && name[0] == '_') return exact(name.substr(1));
  return nullptr;
}

const Symbol* Symtab::nearest(uint64_t addr) const {
  auto it = std::upper_bound(by_addr_.begin(), by_addr_.end(), addr,
                             [&](uint64_t a, uint32_t i) { return a < symbols_[i].value; });
  if (it == by_addr_.begin()) return nullptr;
  // Among the candidates at the highest value <= addr, prefer one whose extent holds addr,
  // then a sized object or function, then a global.
  uint64_t value = symbols_[*(it - 1)].value;
  const Symbol* best = nullptr;
  auto score = [&](const Symbol& s) {
    int v = 0;
    if (s.size && addr - s.value < s.size) v += 4;
    if (s.type == STT_OBJECT || s.type == STT_FUNC) v += 2;
    if (s.bind != STB_LOCAL) v += 1;
    return v;
  };
  int seen = 0;
  for (auto j = it; j != by_addr_.begin() && seen < kMaxSameAddress; seen++) {
    --j;
    const Symbol& s = symbols_[*j];
    if (s.value != value) break;
    if (!best || score(s) > score(*best)) best = &s;
  }
  // A sized symbol further down may still contain addr (e.g. an array with a label inside it).
  if (best && !(best->size && addr - best->value < best->size)) {
    int steps = 0;
    for (auto j = it; j != by_addr_.begin() && steps < 64; steps++) {
      --j;
      const Symbol& s = symbols_[*j];
      if (s.size && addr - s.value < s.size && (s.type == STT_OBJECT || s.type == STT_FUNC)) {
        return &s;
      }
    }
  }
  return best;
}

}  // namespace kvm
