// Per-vnet and per-CPU symbol translation. A virtualized global X is the symbol vnet_entry_X in
// [__start_set_vnet, __stop_set_vnet); a vnet's copy is at X + vnet_data_base. Per-CPU data is
// pcpu_entry_X in [__start_set_pcpu, __stop_set_pcpu), CPU n's copy at X + dpcpu_off[n].
// The selected vnet base and CPU offset are per handle; callers may also pass them explicitly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "symtab.h"

namespace kvm {

struct SetRange {
  uint64_t start = 0, stop = 0;  // half-open
  bool contains(uint64_t v) const { return v >= start && v < stop; }
};

enum class SymbolKind : uint8_t { PLAIN = 0, VNET = 1, PCPU = 2 };

// libkvm: plain, then vnet_entry_, then pcpu_entry_. DDB: plain, then pcpu_entry_, then vnet_entry_.
enum class ResolveOrder : uint8_t { LIBKVM = 0, DDB = 1 };

struct Resolved {
  const Symbol* symbol = nullptr;
  uint64_t value = 0;  // translated when kind is VNET or PCPU
  SymbolKind kind = SymbolKind::PLAIN;
};

class Translator {
 public:
  explicit Translator(const Symtab& symbols);

  const std::optional<SetRange>& vnet_set() const { return vnet_; }
  const std::optional<SetRange>& pcpu_set() const { return pcpu_; }

  // The handle's selection; nullopt = none selected (prefixed lookups stay untranslated).
  void select_vnet(std::optional<uint64_t> data_base) { vnet_base_ = data_base; }
  void select_cpu(std::optional<uint64_t> dpcpu_off) { cpu_off_ = dpcpu_off; }
  std::optional<uint64_t> selected_vnet() const { return vnet_base_; }
  std::optional<uint64_t> selected_cpu() const { return cpu_off_; }

  // Resolves `name` (libkvm's leading-underscore rule) in the given order. vnet_base / cpu_off
  // override the handle's selection when given. Returns false when no pass finds the name.
  //
  // LIBKVM order keeps libkvm's behaviour for a prefixed symbol outside its set: it is found and
  // returned untranslated (kind PLAIN). DDB order treats it as not found. A prefixed pass whose
  // set is missing, or whose vnet/cpu is not selected and not given, does not run.
  // With use_selection false, only the given vnet_base / cpu_off are used.
  bool resolve(std::string_view name, ResolveOrder order, std::optional<uint64_t> vnet_base,
               std::optional<uint64_t> cpu_off, Resolved* out, bool use_selection = true) const;

 private:
  bool prefixed(std::string_view name, const char* prefix, const std::optional<SetRange>& set,
                std::optional<uint64_t> offset, SymbolKind kind, bool strict, Resolved* out) const;

  const Symtab& symbols_;
  std::optional<SetRange> vnet_, pcpu_;
  std::optional<uint64_t> vnet_base_, cpu_off_;
};

}  // namespace kvm
