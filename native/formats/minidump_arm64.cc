// FreeBSD/arm64 minidumps, versions 1-3, with 4 KiB or 16 KiB pages (see docs/formats.md). The
// page-table area is a flat array of L3 descriptors, one per page of kernel VA from kernbase.
#include <memory>

#include "minidump_common.h"

namespace kvm {

using namespace elfc;

namespace {

constexpr char kMagic[] = "minidump FreeBSD/arm64";
constexpr uint32_t kMaxVersion = 3;

// arm64 descriptor bits (fixed ABI).
constexpr uint64_t ATTR_MASK = 0xfffc000000000fffull;  // attribute bits: 50-63 and 0-11
constexpr uint64_t ATTR_DESCR_MASK = 3, L3_PAGE = 3;
constexpr uint64_t ATTR_AP_RO = uint64_t(1) << 7;
constexpr uint64_t ATTR_XN = (uint64_t(1) << 53) | (uint64_t(1) << 54);
// Header flags (v3): page size in bits 0-1.
constexpr uint32_t FLAG_PS_MASK = 3, FLAG_PS_4K = 0, FLAG_PS_16K = 1, FLAG_PS_64K = 2;

uint32_t prot_of(uint64_t entry) {
  return 1 | ((entry & ATTR_AP_RO) ? 0 : 2) | ((entry & ATTR_XN) ? 0 : 4);
}

class MinidumpArm64 : public MinidumpImage {
 public:
  explicit MinidumpArm64(const OpenInput& in) : MinidumpImage(in.core, "arm64", kMagic, kMaxVersion) {
    uint64_t hdr_size = version_ >= 3 ? 80 : version_ == 2 ? 76 : 72;
    minidump_check_header(core_, hdr_size, "arm64");
    flags_ = version_ >= 3 ? core_.u32(76) : FLAG_PS_4K;
    switch (flags_ & FLAG_PS_MASK) {
      case FLAG_PS_4K: shift_ = 12; break;
      case FLAG_PS_16K: shift_ = 14; break;
      case FLAG_PS_64K:
        throw Error(Code::UNSUPPORTED, "arm64 minidump with 64 KiB pages (flags " + hex(flags_) +
                                           " at offset " + hex(core_.base() + 76) +
                                           "): only 4 KiB and 16 KiB pages are read")
            .offset(core_.base() + 76);
      default:
        throw Error(Code::UNSUPPORTED, "unknown page size flag " + hex(flags_ & FLAG_PS_MASK) +
                                           " in the arm64 minidump header (flags " + hex(flags_) +
                                           " at offset " + hex(core_.base() + 76) + ")")
            .offset(core_.base() + 76);
    }
    page_ = uint64_t(1) << shift_;
    sizes_.arch = "arm64";
    sizes_.page_size = page_;
    sizes_.page_shift = shift_;
    sizes_.msgbufsize = core_.u32(28);
    sizes_.bitmapsize = core_.u32(32);
    sizes_.pmapsize = core_.u32(36);
    sizes_.dumpavailsize = version_ >= 2 ? core_.u32(72) : 0;
    kernbase_ = core_.u64(40);
    dmapphys_ = core_.u64(48);
    dmapbase_ = core_.u64(56);
    dmapend_ = core_.u64(64);
    index_sections();
  }

  bool translate(uint64_t va, Span* out, std::string* why) const override {
    // The direct map lies above kernbase on arm64, so it is checked first.
    if (va >= dmapbase_ && va < dmapend_) {
      uint64_t pa = va - dmapbase_ + dmapphys_;
      if (lookup(pa, out)) {
        clip_span(out, va, dmapend_);
        return true;
      }
      if (why) *why = "direct map address " + hex(va) + " not in minidump (physical address " + hex(pa) + ")";
      return false;
    }
    if (va >= kernbase_) {
      uint64_t i = (va - kernbase_) >> shift_;
      if (i >= entries_) {
        if (why) {
          *why = "virtual address " + hex(va) + " not minidumped (past the end of the page-table area, which covers " +
                 hex(kernbase_) + "-" + hex(kernbase_ + (entries_ << shift_)) + ")";
        }
        return false;
      }
      uint64_t l3 = load64(pmap_ + i * 8, false);
      if ((l3 & ATTR_DESCR_MASK) != L3_PAGE) {
        if (why) *why = "virtual address " + hex(va) + " not minidumped: L3 entry " + std::to_string(i) + " not valid";
        return false;
      }
      uint64_t pa = ((l3 & ~ATTR_MASK) & ~(page_ - 1)) | (va & (page_ - 1));
      if (lookup(pa, out)) {
        clip_span(out, va, kernbase_ + ((i + 1) << shift_));
        clip_span(out, va, dmapbase_);  // the direct map, checked first, may start above va
        return true;
      }
      if (why) *why = "virtual address " + hex(va) + " not minidumped: physical address " + hex(pa) + " not in minidump";
      return false;
    }
    if (why) {
      *why = "virtual address " + hex(va) + " not minidumped (below the kernel map at " + hex(kernbase_) +
             " and outside the direct map " + hex(dmapbase_) + "-" + hex(dmapend_) + ")";
    }
    return false;
  }

  bool walk_pages_from(uint64_t* cursor, bool* done,
                       const std::function<bool(const PageRecord&)>& fn) const override {
    if (!kmap_) build_kmap();
    uint64_t span = dmapend_ > dmapbase_ ? dmapend_ - dmapbase_ : 0;
    minidump_walk(index_, *kmap_, cursor, done,
                  [&](uint64_t pa) -> uint64_t {
                    if (pa < dmapphys_ || pa - dmapphys_ >= span) return 0;
                    return dmapbase_ + (pa - dmapphys_);
                  },
                  fn);
    return true;
  }

  std::vector<InfoField> info() const override {
    auto num = [](const char* k, uint64_t v) { return InfoField{k, true, v, ""}; };
    std::vector<InfoField> f = {
        num("version", version_),
        num("pageSize", page_),
        num("kernbase", kernbase_),
        num("dmapphys", dmapphys_),
        num("dmapbase", dmapbase_),
        num("dmapend", dmapend_),
        num("msgbufSize", sizes_.msgbufsize),
        num("bitmapSize", sizes_.bitmapsize),
        num("bitmapPages", index_.nbits()),
        num("dumpedPages", index_.dumped_pages()),
        num("pmapSize", sizes_.pmapsize),
        num("dataOffset", core_.base() + layout_.data_off),
    };
    if (version_ >= 2) {
      f.push_back(num("dumpAvailSize", sizes_.dumpavailsize));
      f.push_back(num("dumpAvailRanges", index_.ranges().size()));
    }
    if (version_ >= 3) f.push_back(num("flags", flags_));
    return f;
  }

 private:
  void build_kmap() const {
    std::vector<KmapRun> runs;
    for (uint64_t i = 0; i < entries_; i++) {
      uint64_t l3 = load64(pmap_ + i * 8, false);
      if ((l3 & ATTR_DESCR_MASK) != L3_PAGE) continue;
      append_run(&runs, (l3 & ~ATTR_MASK) >> shift_, kernbase_ + (i << shift_), 1, prot_of(l3), shift_);
      if ((i & 0xffff) == 0) check_kmap_runs(runs.size(), "arm64");
    }
    check_kmap_runs(runs.size(), "arm64");
    kmap_ = std::make_unique<KmapIndex>();
    kmap_->build(runs, shift_);
  }

  uint32_t flags_ = 0;
  unsigned shift_ = 12;
  uint64_t page_ = 4096;
  uint64_t dmapphys_ = 0;
};

bool probe(const ProbeInput& in) {
  return in.kernel.is64() && in.kernel.type() == ET_EXEC && in.kernel.machine() == EM_AARCH64 &&
         in.core.has(0, 8) && std::memcmp(in.core.data(), "minidump", 8) == 0;
}

std::unique_ptr<CoreImage> open(const OpenInput& in) { return std::make_unique<MinidumpArm64>(in); }

}  // namespace

extern const FormatDescriptor kMinidumpArm64Format = {
    "minidump-arm64",
    "FreeBSD/arm64 minidump, versions 1-3, 4 KiB or 16 KiB pages",
    probe,
    open,
};

}  // namespace kvm
