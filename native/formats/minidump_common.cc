#include "minidump_common.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <queue>

namespace kvm {

namespace {

uint64_t round_up(uint64_t v, uint64_t page) { return (v + page - 1) & ~(page - 1); }

std::string printable(const uint8_t* p, size_t n) {
  std::string s;
  for (size_t i = 0; i < n && p[i]; i++) s += (p[i] >= 32 && p[i] < 127) ? char(p[i]) : '.';
  return s;
}

ByteView section(ByteView core, uint64_t off, uint64_t len, const char* what, const char* arch) {
  if (!core.has(off, len)) {
    throw Error(Code::BAD_FORMAT, std::string(arch) + " minidump " + what + " (" + hex(len) +
                                      " bytes at offset " + hex(core.base() + off) +
                                      ") runs past end of file (size " +
                                      hex(core.base() + core.size()) + ")")
        .offset(core.base() + off);
  }
  return core.sub(off, len, what);
}

}  // namespace

void minidump_check_header(ByteView core, uint64_t hdr_size, const char* arch) {
  if (!core.has(0, hdr_size)) {
    throw Error(Code::BAD_FORMAT, std::string("cannot read dump header: the ") + arch +
                                      " minidump header (" + std::to_string(hdr_size) +
                                      " bytes at offset " + hex(core.base()) +
                                      ") runs past end of file (size " +
                                      hex(core.base() + core.size()) + ")")
        .offset(core.base());
  }
}

void minidump_check_magic(ByteView core, const char* magic) {
  char want[24] = {};  // the magic, NUL-padded to the field's size
  std::memcpy(want, magic, std::min<size_t>(std::strlen(magic), sizeof want));
  if (std::memcmp(core.data(), want, sizeof want) != 0) {
    throw Error(Code::BAD_FORMAT, "not a minidump for this platform: magic \"" +
                                      printable(core.data(), 24) + "\" at offset " +
                                      hex(core.base()) + ", expected \"" + magic + "\"")
        .offset(core.base());
  }
}

MinidumpLayout minidump_layout(ByteView core, const MinidumpSizes& s) {
  MinidumpLayout l;
  uint64_t p = s.page_size;
  l.msgbuf_off = p;
  l.dumpavail_off = l.msgbuf_off + round_up(s.msgbufsize, p);
  l.bitmap_off = l.dumpavail_off + round_up(s.dumpavailsize, p);
  l.pmap_off = l.bitmap_off + round_up(s.bitmapsize, p);
  l.data_off = l.pmap_off + round_up(s.pmapsize, p);
  l.msgbuf = section(core, l.msgbuf_off, s.msgbufsize, "message buffer", s.arch);
  l.dumpavail = section(core, l.dumpavail_off, s.dumpavailsize, "dump_avail section", s.arch);
  if (s.bitmapsize == 0) {
    throw Error(Code::BAD_FORMAT, std::string(s.arch) +
                                      " minidump has an empty page bitmap (bitmapsize 0 in the "
                                      "header at offset " +
                                      hex(core.base()) + "): no page can be in the dump")
        .offset(core.base() + 32);
  }
  l.bitmap = section(core, l.bitmap_off, s.bitmapsize, "page bitmap", s.arch);
  l.pmap = section(core, l.pmap_off, s.pmapsize, "page-table area", s.arch);
  return l;
}

std::vector<PhysRange> minidump_ranges(const MinidumpLayout& l, const MinidumpSizes& s) {
  std::vector<PhysRange> ranges;
  uint64_t nbits = uint64_t(s.bitmapsize) * 8;
  if (s.dumpavailsize == 0) {
    ranges.push_back(PhysRange{0, nbits, 0});
    return ranges;
  }
  uint64_t p = s.page_size;
  uint64_t bit = 0;
  ByteView v = l.dumpavail;
  for (uint64_t off = 0; v.has(off, 16); off += 16) {
    uint64_t lo = v.u64(off), hi = v.u64(off + 8);
    if (hi == 0) break;  // terminator
    if (hi < lo) {
      throw Error(Code::BAD_FORMAT, std::string(s.arch) + " minidump dump_avail entry at offset " +
                                        hex(v.base() + off) + " ends (" + hex(hi) +
                                        ") before it starts (" + hex(lo) + ")")
          .offset(v.base() + off);
    }
    uint64_t first = lo / p;
    uint64_t pages = (hi / p + (hi % p != 0)) - first;
    if (pages == 0) continue;
    ranges.push_back(PhysRange{first, pages, bit});
    bit += pages;
  }
  if (ranges.empty()) {
    throw Error(Code::BAD_FORMAT, std::string(s.arch) + " minidump dump_avail section at offset " +
                                      hex(v.base()) + " lists no physical memory")
        .offset(v.base());
  }
  return ranges;
}

void minidump_index(PageIndex* index, ByteView core, const MinidumpLayout& l,
                    const MinidumpSizes& s) {
  index->init(l.bitmap, minidump_ranges(l, s), s.page_shift, l.data_off);
  if (index->dumped_pages() == 0) {
    throw Error(Code::BAD_FORMAT, std::string(s.arch) + " minidump has no dumped page: the page "
                                      "bitmap (" + hex(s.bitmapsize) + " bytes at offset " +
                                      hex(core.base() + l.bitmap_off) + ") has no bit set")
        .offset(core.base() + l.bitmap_off);
  }
}

void check_kmap_runs(size_t runs, const char* arch) {
  if (runs > kMaxKmapRuns) {
    throw Error(Code::CORRUPT, std::string("the ") + arch +
                                   " minidump's page-table area describes more than " +
                                   std::to_string(kMaxKmapRuns) +
                                   " separate kernel-map mappings; not indexing it for a page walk");
  }
}

void KmapIndex::build(const std::vector<KmapRun>& runs, unsigned page_shift) {
  // Sweep over physical pages: at each point the active run with the lowest va wins. Runs come
  // in ascending va order, so a run's index orders them by va.
  std::vector<uint32_t> by_start(runs.size());
  for (uint32_t i = 0; i < by_start.size(); i++) by_start[i] = i;
  std::stable_sort(by_start.begin(), by_start.end(),
                   [&](uint32_t a, uint32_t b) { return runs[a].first_page < runs[b].first_page; });
  auto end_of = [&](uint32_t i) {
    uint64_t e = runs[i].first_page + runs[i].pages;
    return e < runs[i].first_page ? ~uint64_t(0) : e;
  };
  std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<uint32_t>> active;
  runs_.clear();
  size_t next = 0;
  uint64_t cur = 0;
  while (next < by_start.size() || !active.empty()) {
    if (active.empty()) cur = std::max(cur, runs[by_start[next]].first_page);
    while (next < by_start.size() && runs[by_start[next]].first_page <= cur) active.push(by_start[next++]);
    while (!active.empty() && end_of(active.top()) <= cur) active.pop();
    if (active.empty()) continue;
    uint32_t top = active.top();
    uint64_t seg_end = end_of(top);
    if (next < by_start.size() && runs[by_start[next]].first_page < seg_end) {
      seg_end = runs[by_start[next]].first_page;
    }
    const KmapRun& r = runs[top];
    uint64_t va = r.va + ((cur - r.first_page) << page_shift);
    append_run(&runs_, cur, va, seg_end - cur, r.prot, page_shift);
    cur = seg_end;
  }
  runs_.shrink_to_fit();
}

const KmapRun* KmapIndex::find(uint64_t page) const {
  auto it = std::upper_bound(runs_.begin(), runs_.end(), page,
                             [](uint64_t p, const KmapRun& r) { return p < r.first_page; });
  if (it == runs_.begin()) return nullptr;
  const KmapRun& r = *(it - 1);
  return page - r.first_page < r.pages ? &r : nullptr;
}


MinidumpImage::MinidumpImage(ByteView core, const char* arch, const char* magic, uint32_t max_version)
    : core_(core) {
  minidump_check_header(core_, 28, arch);
  minidump_check_magic(core_, magic);
  version_ = core_.u32(24);
  if (version_ < 1 || version_ > max_version) {
    throw Error(Code::UNSUPPORTED, "wrong minidump version. expected " + std::to_string(max_version) +
                                       " got " + std::to_string(version_) + " (version field at offset " +
                                       hex(core_.base() + 24) + "; " + arch + " versions 1-" +
                                       std::to_string(max_version) + " are read)")
        .offset(core_.base() + 24);
  }
}

void MinidumpImage::index_sections() {
  layout_ = minidump_layout(core_, sizes_);
  minidump_index(&index_, core_, layout_, sizes_);
  entries_ = sizes_.pmapsize / 8;
  pmap_ = layout_.pmap.data();
}

bool MinidumpImage::translate_phys(uint64_t pa, Span* out, std::string* why) const {
  if (lookup(pa, out)) return true;
  if (why) *why = "physical address " + hex(pa) + " not in minidump";
  return false;
}

}  // namespace kvm
