// Fuzz target (b): a core file. The input is the core; it is opened through open_core (every
// format's probe and open) with each of three fixed kernels (amd64 with the symbols a full dump
// needs, arm64, and a 32-bit big-endian one), then read every way the addon reads: virtual reads
// whole and byte by byte, scalar and array reads, counter sums, physical reads and page walks,
// at addresses named by the image's header, its page walk and the input's last 64 bytes.
#include <cstdint>
#include <vector>

#include "fuzz_support.h"

namespace {

// The values of test/helpers/small-images.js, so its full dump opens with this kernel.
constexpr uint64_t kKernbase = 0xffffffff80000000ull;
constexpr uint64_t kKpml4physPa = 0x1100;

struct Kernels {
  std::vector<uint8_t> amd64, arm64, be32;
};

const Kernels& kernels() {
  static const Kernels k = [] {
    using namespace kvm::elfc;
    Kernels out;
    std::vector<fuzz::Sym> amd64 = {
        {"kernbase", kKernbase, 0, STT_NOTYPE, STB_GLOBAL, SHN_ABS},
        {"KPML4phys", kKernbase + kKpml4physPa, 8},
        {"version", kKernbase + 0x600200, 64},
    };
    out.amd64 = fuzz::kernel_elf(EM_X86_64, true, false, amd64, kKernbase + 0x600000);
    std::vector<fuzz::Sym> arm64 = {
        {"kernbase", 0xffff000000000000ull, 0, STT_NOTYPE, STB_GLOBAL, SHN_ABS},
        {"version", 0xffff000000200000ull, 64},
    };
    out.arm64 = fuzz::kernel_elf(EM_AARCH64, true, false, arm64, 0xffff000000200000ull);
    std::vector<fuzz::Sym> be32 = {{"version", 0xc0100000u, 64}};
    out.be32 = fuzz::kernel_elf(EM_PPC, false, true, be32, 0xc0100000u);
    return out;
  }();
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Kernels& k = kernels();
  for (const std::vector<uint8_t>* kernel : {&k.amd64, &k.arm64, &k.be32}) {
    try {
      // The core is copied into a buffer of exactly its size: ASan sees any read past its end.
      kvm::Handle h(fuzz::bytes_file("kernel", *kernel), kvm::MappedFile::from_bytes("core", data, size));
      fuzz::exercise(h, data, size);
    } catch (const kvm::Error&) {
    }
  }
  return 0;
}
