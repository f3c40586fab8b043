// The kernel's symbol table: name -> symbol with libkvm's leading-underscore rule, and
// address -> nearest symbol. Names point into the mapped string table (no copies).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "elf.h"

namespace kvm {

// a.out symbol type codes that libkvm's nlist reports.
namespace nlistc {
constexpr uint8_t N_UNDF = 0x0, N_EXT = 0x1, N_ABS = 0x2, N_TEXT = 0x4, N_DATA = 0x6,
                  N_BSS = 0x8, N_FN = 0x1f;
}

struct Symbol {
  std::string_view name;
  uint64_t value = 0;
  uint64_t size = 0;
  uint8_t type = 0;   // STT_*
  uint8_t bind = 0;   // STB_*
  uint16_t shndx = 0;
  uint8_t ntype = 0;  // a.out code as libc's nlist computes it
};

class Symtab {
 public:
  Symtab() = default;
  // Loads .symtab, or .dynsym when there is none. A file without either gives an empty table.
  explicit Symtab(const ElfFile& elf);

  size_t size() const { return symbols_.size(); }
  bool empty() const { return symbols_.empty(); }
  const Symbol& at(size_t i) const { return symbols_[i]; }
  const char* source() const { return source_; }  // ".symtab", ".dynsym" or ""

  // Exact name; nullptr when absent.
  const Symbol* exact(std::string_view name) const;
  // libkvm's rule: a symbol equal to `name`, or equal to `name` without one leading '_'.
  const Symbol* lookup(std::string_view name) const;
  // The symbol at or below `addr` (prefers one whose extent contains addr); nullptr if none.
  const Symbol* nearest(uint64_t addr) const;

 private:
  std::vector<Symbol> symbols_;
  std::unordered_map<std::string_view, uint32_t> by_name_;
  std::vector<uint32_t> by_addr_;  // indexes sorted by value
  const char* source_ = "";
};

}  // namespace kvm
