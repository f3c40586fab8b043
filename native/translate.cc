#include "translate.h"

namespace kvm {

namespace {
std::optional<SetRange> set_range(const Symtab& symbols, const char* start, const char* stop) {
  const Symbol* a = symbols.exact(start);
  const Symbol* b = symbols.exact(stop);
  if (!a || !b || b->value < a->value) return std::nullopt;
  return SetRange{a->value, b->value};
}
}  // namespace

Translator::Translator(const Symtab& symbols)
    : symbols_(symbols),
      vnet_(set_range(symbols, "__start_set_vnet", "__stop_set_vnet")),
      pcpu_(set_range(symbols, "__start_set_pcpu", "__stop_set_pcpu")) {}

bool Translator::prefixed(std::string_view name, const char* prefix,
                          const std::optional<SetRange>& set, std::optional<uint64_t> offset,
                          SymbolKind kind, bool strict, Resolved* out) const {
  if (!set || !offset) return false;
  // One leading underscore of the caller's name goes before the prefix is added.
  if (name.size() > 1 && name[0] == '_') name.remove_prefix(1);
  std::string full(prefix);
  full.append(name);
  const Symbol* s = symbols_.exact(full);
  if (!s) return false;
  if (!set->contains(s->value)) {
    if (strict) return false;
    *out = Resolved{s, s->value, SymbolKind::PLAIN};
    return true;
  }
  *out = Resolved{s, s->value + *offset, kind};  // wraps modulo 2^64 by design
  return true;
}

bool Translator::resolve(std::string_view name, ResolveOrder order,
                         std::optional<uint64_t> vnet_base, std::optional<uint64_t> cpu_off,
                         Resolved* out, bool use_selection) const {
  if (const Symbol* s = symbols_.lookup(name)) {
    *out = Resolved{s, s->value, SymbolKind::PLAIN};
    return true;
  }
  std::optional<uint64_t> vb = vnet_base || !use_selection ? vnet_base : vnet_base_;
  std::optional<uint64_t> co = cpu_off || !use_selection ? cpu_off : cpu_off_;
  if (order == ResolveOrder::LIBKVM) {
    return prefixed(name, "vnet_entry_", vnet_, vb, SymbolKind::VNET, false, out) ||
           prefixed(name, "pcpu_entry_", pcpu_, co, SymbolKind::PCPU, false, out);
  }
  return prefixed(name, "pcpu_entry_", pcpu_, co, SymbolKind::PCPU, true, out) ||
         prefixed(name, "vnet_entry_", vnet_, vb, SymbolKind::VNET, true, out);
}

}  // namespace kvm
