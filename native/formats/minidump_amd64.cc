// FreeBSD/amd64 minidumps, versions 1-3 (see docs/formats.md). The page-table area is read in
// place from the mapped file; the page index keeps one count per 512 bitmap bits.
#include <algorithm>
#include <memory>
#include <unordered_set>

#include "minidump_common.h"

namespace kvm {

using namespace elfc;

namespace {

constexpr char kMagic[] = "minidump FreeBSD/amd64";
constexpr uint32_t kMaxVersion = 3;
constexpr uint64_t kPage = 4096;

// amd64 page-table entry bits (fixed ABI).
constexpr uint64_t PG_V = 0x1, PG_RW = 0x2, PG_PS = 0x80, PG_NX = uint64_t(1) << 63;
constexpr uint64_t PG_FRAME = 0x000ffffffffff000ull, PG_PS_FRAME = 0x000fffffffe00000ull;

uint32_t prot_of(uint64_t entry) {
  return 1 | ((entry & PG_RW) ? 2 : 0) | ((entry & PG_NX) ? 0 : 4);
}

class MinidumpAmd64 : public MinidumpImage {
 public:
  explicit MinidumpAmd64(const OpenInput& in) : MinidumpImage(in.core, "amd64", kMagic, kMaxVersion) {
    minidump_check_header(core_, version_ == 3 ? 68 : 64, "amd64");
    sizes_.arch = "amd64";
    sizes_.page_size = kPage;
    sizes_.page_shift = 12;
    sizes_.msgbufsize = core_.u32(28);
    sizes_.bitmapsize = core_.u32(32);
    sizes_.pmapsize = core_.u32(36);
    sizes_.dumpavailsize = version_ == 3 ? core_.u32(64) : 0;
    kernbase_ = core_.u64(40);
    dmapbase_ = core_.u64(48);
    dmapend_ = core_.u64(56);
    index_sections();
  }

  bool translate(uint64_t va, Span* out, std::string* why) const override {
    if (va >= kernbase_) return translate_kmap(va, out, why);
    if (va >= dmapbase_ && va < dmapend_) {
      uint64_t pa = va - dmapbase_;
      if (lookup(pa, out)) {
        clip_span(out, va, std::min(dmapend_, kernbase_));
        return true;
      }
      if (why) *why = "direct map address " + hex(va) + " not in minidump (physical address " + hex(pa) + ")";
      return false;
    }
    if (why) {
      *why = "virtual address " + hex(va) + " not minidumped (below the kernel map at " +
             hex(kernbase_) + " and outside the direct map " + hex(dmapbase_) + "-" +
             hex(dmapend_) + ")";
    }
    return false;
  }

  bool walk_pages_from(uint64_t* cursor, bool* done,
                       const std::function<bool(const PageRecord&)>& fn) const override {
    if (!kmap_) build_kmap();
    uint64_t dmap_pages = (dmapend_ - dmapbase_) >> 12;
    uint64_t base = dmapbase_;
    bool has_dmap = dmapend_ > dmapbase_;
    minidump_walk(index_, *kmap_, cursor, done,
                  [&](uint64_t pa) -> uint64_t {
                    return has_dmap && (pa >> 12) < dmap_pages ? base + pa : 0;
                  },
                  fn);
    return true;
  }

  std::vector<InfoField> info() const override {
    auto num = [](const char* k, uint64_t v) { return InfoField{k, true, v, ""}; };
    std::vector<InfoField> f = {
        num("version", version_),
        num("pageSize", kPage),
        num("kernbase", kernbase_),
        num("dmapbase", dmapbase_),
        num("dmapend", dmapend_),
        num("msgbufSize", sizes_.msgbufsize),
        num("bitmapSize", sizes_.bitmapsize),
        num("bitmapPages", index_.nbits()),
        num("dumpedPages", index_.dumped_pages()),
        num("pmapSize", sizes_.pmapsize),
        num("dataOffset", core_.base() + layout_.data_off),
    };
    if (version_ == 3) {
      f.push_back(num("dumpAvailSize", sizes_.dumpavailsize));
      f.push_back(num("dumpAvailRanges", index_.ranges().size()));
    }
    return f;
  }

 private:
  uint64_t entry(uint64_t i) const { return load64(pmap_ + i * 8, false); }

  bool translate_kmap(uint64_t va, Span* out, std::string* why) const {
    uint64_t rel = va - kernbase_;
    uint64_t pa;
    uint64_t entry_end;  // where the entry translating va stops applying
    if (version_ == 1) {
      uint64_t i = rel >> 12;
      if (i >= entries_) return past_table(va, why);
      entry_end = kernbase_ + ((i + 1) << 12);
      uint64_t pte = entry(i);
      if (!(pte & PG_V)) return fail(va, why, "page table entry " + std::to_string(i) + " not valid");
      pa = (pte & PG_FRAME) | (va & 0xfff);
    } else {
      uint64_t i = rel >> 21;
      if (i >= entries_) return past_table(va, why);
      entry_end = kernbase_ + ((i + 1) << 21);
      uint64_t pde = entry(i);
      if (!(pde & PG_V)) return fail(va, why, "page directory entry " + std::to_string(i) + " not valid");
      if (pde & PG_PS) {
        pa = (pde & PG_PS_FRAME) + (va & 0x1fffff);
      } else {
        uint64_t pt = pde & PG_FRAME;
        uint64_t pt_off;
        if (!index_.find(pt, &pt_off)) {
          return fail(va, why, "page table page at physical address " + hex(pt) + " not in minidump");
        }
        uint64_t e = pt_off + ((va >> 12) & 511) * 8;
        if (!in_bounds(e, 8, core_.size())) {
          // The page table itself was cut off: the address's bytes are lost with it.
          out->kind = Span::TRUNCATED;
          out->offset = 0;
          out->length = kPage - (va & 0xfff);
          clip_span(out, va, entry_end);
          return true;
        }
        uint64_t pte = load64(core_.data() + e, false);
        if (!(pte & PG_V)) return fail(va, why, "page table entry not valid");
        pa = (pte & PG_FRAME) | (va & 0xfff);
      }
    }
    if (lookup(pa, out)) {
      clip_span(out, va, entry_end);
      return true;
    }
    return fail(va, why, "physical address " + hex(pa) + " not in minidump");
  }

  bool past_table(uint64_t va, std::string* why) const {
    if (why) {
      *why = "virtual address " + hex(va) + " not minidumped (past the end of the page-table area, which covers " +
             hex(kernbase_) + "-" + hex(kernbase_ + entries_ * (version_ == 1 ? kPage : 0x200000)) + ")";
    }
    return false;
  }

  static bool fail(uint64_t va, std::string* why, const std::string& reason) {
    if (why) *why = "virtual address " + hex(va) + " not minidumped: " + reason;
    return false;
  }

  void build_kmap() const {
    std::vector<KmapRun> runs;
    std::unordered_set<uint64_t> scanned;  // payload offsets of the page-table pages seen
    uint64_t scans = 0;
    for (uint64_t i = 0; i < entries_; i++) {
      uint64_t e = entry(i);
      if (!(e & PG_V)) continue;
      if (version_ == 1) {
        append_run(&runs, (e & PG_FRAME) >> 12, kernbase_ + (i << 12), 1, prot_of(e), 12);
        continue;
      }
      uint64_t va = kernbase_ + (i << 21);
      if (e & PG_PS) {
        append_run(&runs, (e & PG_PS_FRAME) >> 12, va, 512, prot_of(e), 12);
        continue;
      }
      uint64_t pt_off;
      if (!index_.find(e & PG_FRAME, &pt_off) || !in_bounds(pt_off, kPage, core_.size())) continue;
      // A page-table page already scanned at a lower va maps the same pages at lower addresses,
      // and only the lowest mapping of a page is kept: scanning it again adds nothing. This also
      // keeps the runs proportional to the dump (a hostile area can point every PDE at one page).
      if (!scanned.insert(pt_off).second) continue;
      scans += 512;
      if (scans > kMaxPteScans) {
        throw Error(Code::CORRUPT, "the amd64 minidump's page-table area refers to more than " +
                                       std::to_string(kMaxPteScans / 512) +
                                       " page-table pages; not indexing it for a page walk");
      }
      check_kmap_runs(runs.size(), "amd64");
      for (uint64_t k = 0; k < 512; k++) {
        uint64_t pte = load64(core_.data() + pt_off + k * 8, false);
        if (pte & PG_V) append_run(&runs, (pte & PG_FRAME) >> 12, va + (k << 12), 1, prot_of(pte), 12);
      }
    }
    check_kmap_runs(runs.size(), "amd64");
    kmap_ = std::make_unique<KmapIndex>();
    kmap_->build(runs, 12);
  }

};

bool probe(const ProbeInput& in) {
  return in.kernel.is64() && in.kernel.type() == ET_EXEC && in.kernel.machine() == EM_X86_64 &&
         in.core.has(0, 8) && std::memcmp(in.core.data(), "minidump", 8) == 0;
}

std::unique_ptr<CoreImage> open(const OpenInput& in) { return std::make_unique<MinidumpAmd64>(in); }

}  // namespace

extern const FormatDescriptor kMinidumpAmd64Format = {
    "minidump-amd64",
    "FreeBSD/amd64 minidump, versions 1-3 (savecore's vmcore.N with debug.minidump=1)",
    probe,
    open,
};

}  // namespace kvm
