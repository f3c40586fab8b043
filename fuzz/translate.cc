// Fuzz target (c): the vnet/pcpu Translator over a fuzzed symbol table and image. The input
// describes a kernel (symbols drawn from the names the translator and the vnet/pcpu helpers use,
// or arbitrary ones, with arbitrary values) and an ELF core (segments with arbitrary addresses
// and bytes), then a sequence of operations: resolve in either order with given or selected
// offsets, select a vnet/CPU from values read out of the image, and walk a vnet_head-style list
// a bounded number of steps, as lib/helpers/vnet.ts does.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "translate.h"

namespace {

const char* const kNames[] = {
    "__start_set_vnet", "__stop_set_vnet", "__start_set_pcpu", "__stop_set_pcpu",
    "vnet_entry_ifnet", "vnet_entry_tcpstat", "vnet_entry_", "pcpu_entry_curthread",
    "pcpu_entry_", "vnet_head", "vnet0", "dpcpu_off", "mp_maxid", "all_cpus", "ifnet",
    "_ifnet", "tcpstat", "curthread", "_curthread", "kernbase", "__pcpu", "_",
};
constexpr size_t kNameCount = sizeof kNames / sizeof kNames[0];

std::string pick_name(FuzzedDataProvider& in) {
  if (in.ConsumeBool()) return kNames[in.ConsumeIntegralInRange<size_t>(0, kNameCount - 1)];
  return in.ConsumeRandomLengthString(24);
}

std::optional<uint64_t> maybe(FuzzedDataProvider& in) {
  if (in.ConsumeBool()) return std::nullopt;
  return in.ConsumeIntegral<uint64_t>();
}

// Checks what resolve promises about its answer.
void check_resolved(const kvm::Translator& t, const kvm::Resolved& r, std::optional<uint64_t> vb,
                    std::optional<uint64_t> co) {
  FUZZ_CHECK(r.symbol != nullptr);
  switch (r.kind) {
    case kvm::SymbolKind::PLAIN:
      FUZZ_CHECK(r.value == r.symbol->value);
      break;
    case kvm::SymbolKind::VNET:
      FUZZ_CHECK(t.vnet_set() && t.vnet_set()->contains(r.symbol->value));
      if (vb) FUZZ_CHECK(r.value == r.symbol->value + *vb);
      break;
    case kvm::SymbolKind::PCPU:
      FUZZ_CHECK(t.pcpu_set() && t.pcpu_set()->contains(r.symbol->value));
      if (co) FUZZ_CHECK(r.value == r.symbol->value + *co);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  bool is64 = in.ConsumeIntegralInRange<int>(0, 3) != 0;
  bool big = !is64 && in.ConsumeBool();
  uint16_t machine = is64 ? kvm::elfc::EM_X86_64 : kvm::elfc::EM_PPC;
  uint64_t mask = is64 ? ~uint64_t(0) : 0xffffffffu;

  std::vector<fuzz::Sym> syms(in.ConsumeIntegralInRange<size_t>(0, 24));
  for (fuzz::Sym& s : syms) {
    s.name = pick_name(in);
    s.value = in.ConsumeIntegral<uint64_t>() & mask;
    s.size = in.ConsumeIntegralInRange<uint64_t>(0, 64);
    if (in.ConsumeBool()) s.bind = kvm::elfc::STB_LOCAL;
  }
  std::vector<fuzz::Seg> segs(in.ConsumeIntegralInRange<size_t>(0, 6));
  for (fuzz::Seg& s : segs) {
    s.vaddr = in.ConsumeIntegral<uint64_t>() & mask;
    s.data = in.ConsumeBytes<uint8_t>(in.ConsumeIntegralInRange<size_t>(0, 512));
    s.memsz = s.data.size() + in.ConsumeIntegralInRange<uint64_t>(0, 8192);
  }
  std::unique_ptr<kvm::Handle> h;
  try {
    h = std::make_unique<kvm::Handle>(fuzz::bytes_file("kernel", fuzz::kernel_elf(machine, is64, big, syms, 0)),
                                      fuzz::bytes_file("core", fuzz::vcore_elf(machine, is64, big, segs)));
  } catch (const kvm::Error&) {
    return 0;  // e.g. overlapping or wrapping segments
  }
  kvm::Translator& t = h->translator();
  kvm::ReadFault f;
  for (int step = 0; step < 64 && in.remaining_bytes(); step++) {
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
      case 0: {  // resolve and read what it names
        std::string name = pick_name(in);
        auto order = in.ConsumeBool() ? kvm::ResolveOrder::DDB : kvm::ResolveOrder::LIBKVM;
        std::optional<uint64_t> vb = maybe(in), co = maybe(in);
        bool use_selection = in.ConsumeBool();
        kvm::Resolved r;
        if (t.resolve(name, order, vb, co, &r, use_selection)) {
          check_resolved(t, r, vb ? vb : use_selection ? t.selected_vnet() : std::nullopt,
                         co ? co : use_selection ? t.selected_cpu() : std::nullopt);
          fuzz::read_everything_at(*h, r.value);
        }
        break;
      }
      case 1: {  // select a vnet / CPU, by value or by a word read from the image
        uint64_t at = in.ConsumeIntegral<uint64_t>();
        uint64_t v = 0;
        std::optional<uint64_t> sel;
        if (in.ConsumeBool()) sel = maybe(in);
        else if (h->read_word(at, &v, &f)) sel = v;
        if (in.ConsumeBool()) t.select_vnet(sel);
        else t.select_cpu(sel);
        break;
      }
      case 2: {  // walk vnet_head as the TS helper does, at most 16 entries
        kvm::Resolved head;
        if (!t.resolve("vnet_head", kvm::ResolveOrder::LIBKVM, std::nullopt, std::nullopt, &head)) break;
        uint64_t p = 0;
        if (!h->read_word(head.value, &p, &f)) break;
        for (int i = 0; i < 16 && p; i++) {
          uint64_t base = 0;
          if (h->read_value<uint64_t>(p + 40, &base, &f)) {
            kvm::Resolved r;
            if (t.resolve("ifnet", kvm::ResolveOrder::LIBKVM, base, std::nullopt, &r)) {
              check_resolved(t, r, base, std::nullopt);
              fuzz::checked_read(*h, r.value, 8);
            }
          }
          if (!h->read_word(p, &p, &f)) break;
        }
        break;
      }
      case 3: {  // per-CPU sums over dpcpu-style offsets read from the image
        uint64_t bases[4], offsets[4], out[4];
        uint32_t faults[4];
        for (auto& b : bases) b = in.ConsumeIntegral<uint64_t>();
        size_t n = in.ConsumeIntegralInRange<size_t>(0, 4);
        for (size_t i = 0; i < n; i++) offsets[i] = in.ConsumeIntegral<uint64_t>();
        uint64_t missed = h->sum_gather(bases, 4, offsets, n, out, faults);
        FUZZ_CHECK(missed <= 4 * n);
        break;
      }
    }
  }
  return 0;
}
