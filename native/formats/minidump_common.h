// What amd64 and arm64 minidumps share: the section layout after the header page, the dump_avail
// section, the page index, and turning a dumped page into a Span.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "format.h"
#include "page_index.h"

namespace kvm {

// Header fields that decide the layout, already converted to host order.
struct MinidumpSizes {
  const char* arch;  // "amd64" / "arm64", for messages
  uint64_t page_size;
  unsigned page_shift;
  uint32_t msgbufsize, dumpavailsize, bitmapsize, pmapsize;
};

// Payload offsets of each section (each starts on a page boundary, see the format doc).
struct MinidumpLayout {
  uint64_t msgbuf_off = 0, dumpavail_off = 0, bitmap_off = 0, pmap_off = 0, data_off = 0;
  ByteView msgbuf, dumpavail, bitmap, pmap;
};

// Checks that every section up to the page area lies in the file; throws BAD_FORMAT naming the
// section, its file offset and the file size. Rejects an empty bitmap.
MinidumpLayout minidump_layout(ByteView core, const MinidumpSizes& s);

// The bitmap's physical ranges: dump_avail pairs when the section is present (zero `end`
// terminates), else one range from physical address 0 covering every bit.
std::vector<PhysRange> minidump_ranges(const MinidumpLayout& l, const MinidumpSizes& s);

// Builds the page index and rejects a dump with no dumped page.
void minidump_index(PageIndex* index, ByteView core, const MinidumpLayout& l,
                    const MinidumpSizes& s);

// The span of `pa` inside its dumped page at payload offset page_off: FILE up to the end of the
// page or of the file, TRUNCATED when the file ends before the byte.
inline void minidump_page_span(uint64_t page_off, uint64_t pa, uint64_t page_size,
                               uint64_t file_size, Span* out) {
  uint64_t in_page = pa & (page_size - 1);
  uint64_t off = page_off + in_page;
  uint64_t rest = page_size - in_page;
  if (off < file_size) {
    out->kind = Span::FILE;
    out->offset = off;
    out->length = rest < file_size - off ? rest : file_size - off;
  } else {
    out->kind = Span::TRUNCATED;
    out->offset = 0;
    out->length = rest;
  }
}

// Shortens a span so it ends by `end`, where the translation of addresses changes (the end of a
// page-table entry's range, or of the direct map). An `end` at or below va (the top of the
// address space wrapped to 0) leaves it as it is. Real headers put such boundaries on page
// boundaries, where this changes nothing; hostile ones must not make a multi-byte read return
// other bytes than reading them one at a time.
inline void clip_span(Span* out, uint64_t va, uint64_t end) {
  if (end > va && end - va < out->length) out->length = end - va;
}

// Reads the 24-byte magic; throws BAD_FORMAT "not a minidump for this platform" when it differs.
void minidump_check_magic(ByteView core, const char* magic);

// Throws BAD_FORMAT when the header (hdr_size bytes) does not fit in the file.
void minidump_check_header(ByteView core, uint64_t hdr_size, const char* arch);

// One kernel-map run for walk_pages: `pages` physical pages from first_page, mapped at va.
struct KmapRun {
  uint64_t first_page, pages, va;
  uint32_t prot;
};

// Physical page -> lowest kernel-map va that maps it. Built from runs in ascending va order (so
// the first mapping of a page is the lowest); later mappings of the same page are ignored.
class KmapIndex {
 public:
  void build(const std::vector<KmapRun>& runs_by_va, unsigned page_shift);
  // The run holding page, or nullptr.
  const KmapRun* find(uint64_t page) const;
  size_t size() const { return runs_.size(); }

 private:
  std::vector<KmapRun> runs_;  // disjoint, sorted by first_page
};

// Bounds on indexing a page-table area for walk_pages: a real kernel map needs far fewer; a
// hostile dump (page-table pages shared by many entries) must not make the walk unbounded.
constexpr uint64_t kMaxKmapRuns = uint64_t(1) << 23;
constexpr uint64_t kMaxPteScans = uint64_t(1) << 26;

// Throws CORRUPT once `runs` passes kMaxKmapRuns.
void check_kmap_runs(size_t runs, const char* arch);

// Appends a run, merging it into the previous one when it continues it.
inline void append_run(std::vector<KmapRun>* runs, uint64_t page, uint64_t va, uint64_t pages,
                       uint32_t prot, unsigned page_shift) {
  if (!runs->empty()) {
    KmapRun& b = runs->back();
    if (b.prot == prot && b.first_page + b.pages == page && b.va + (b.pages << page_shift) == va) {
      b.pages += pages;
      return;
    }
  }
  runs->push_back(KmapRun{page, pages, va, prot});
}

// Common walk over set bits for both minidump formats: one record per dumped page, in bit order.
// `dmap_of` gives the direct-map va of a physical address (0 when outside the direct map).
template <typename DmapOf>
void minidump_walk(const PageIndex& index, const KmapIndex& kmap, uint64_t* cursor, bool* done,
                   DmapOf dmap_of, const std::function<bool(const PageRecord&)>& fn) {
  uint64_t bit = index.next_set(*cursor);
  uint64_t rank = bit < index.nbits() ? index.rank(bit) : 0;
  unsigned shift = index.page_shift();
  *done = false;
  while (bit < index.nbits()) {
    uint64_t pa;
    if (!index.pa_of_bit(bit, &pa)) break;  // stray bits past the ranges hold no page we can name
    PageRecord r;
    r.paddr = pa;
    r.len = uint64_t(1) << shift;
    r.offset = static_cast<int64_t>(index.data_offset() + (rank << shift));
    r.dmap_vaddr = dmap_of(pa);
    if (const KmapRun* run = kmap.find(pa >> shift)) {
      r.kmap_vaddr = run->va + (((pa >> shift) - run->first_page) << shift);
      r.prot = run->prot;
    } else {
      r.prot = 1 | 2;  // reachable only through the direct map, which is read/write
    }
    bool more = fn(r);
    rank++;
    bit = index.next_set(bit + 1);
    if (!more) {
      *cursor = bit;
      *done = bit >= index.nbits();
      return;
    }
  }
  *cursor = index.nbits();
  *done = true;
}


// The part of an amd64 or arm64 minidump reader that does not depend on the architecture: the
// header's magic and version checks, the sections and page index, physical lookups, and the
// page walk's entry point. A subclass reads its header fields into sizes_ and the bases, calls
// index_sections(), and translates kernel virtual addresses its own way.
class MinidumpImage : public CoreImage {
 public:
  bool translate_phys(uint64_t pa, Span* out, std::string* why) const override;
  bool has_physical() const override { return true; }
  ByteView msgbuf() const override { return layout_.msgbuf; }
  bool walk_pages(const std::function<bool(const PageRecord&)>& fn) const override {
    uint64_t cursor = 0;
    bool done = false;
    return walk_pages_from(&cursor, &done, fn);
  }

 protected:
  // Checks the fixed header start (magic and a version in 1..max_version).
  MinidumpImage(ByteView core, const char* arch, const char* magic, uint32_t max_version);
  // Lays out the sections from sizes_ and indexes the dumped pages.
  void index_sections();
  // The dumped page holding physical address pa, as a span; false when it was not dumped.
  bool lookup(uint64_t pa, Span* out) const {
    uint64_t off;
    if (!index_.find(pa, &off)) return false;
    minidump_page_span(off, pa, sizes_.page_size, core_.size(), out);
    return true;
  }

  ByteView core_;
  uint32_t version_ = 0;
  MinidumpSizes sizes_{};
  uint64_t kernbase_ = 0, dmapbase_ = 0, dmapend_ = 0;
  MinidumpLayout layout_;
  PageIndex index_;
  uint64_t entries_ = 0;  // page-table entries in the pmap section
  const uint8_t* pmap_ = nullptr;
  mutable std::unique_ptr<KmapIndex> kmap_;  // built by the first walk
};

}  // namespace kvm
