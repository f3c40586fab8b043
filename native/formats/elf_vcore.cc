// ELF cores whose PT_LOAD segments carry virtual addresses: process cores (gcore) and the
// simulator's virtual images. Bytes past p_filesz up to p_memsz read as zeros; segment bytes the
// file does not hold (a truncated core) are reported as TRUNCATED at read time.
#include <algorithm>

#include "format.h"

namespace kvm {

using namespace elfc;

namespace {

class ElfVcoreImage : public CoreImage {
 public:
  ElfVcoreImage(const OpenInput& in) : core_(in.core, "core", ElfFile::Sections::OPTIONAL) {
    uint64_t file_size = in.core.size();
    for (const ElfSegment& p : core_.segments()) {
      if (p.type != PT_LOAD || p.memsz == 0) continue;
      if (p.filesz > p.memsz) {
        throw Error(Code::BAD_FORMAT, "core PT_LOAD at " + hex(p.vaddr) + " has p_filesz " +
                                          hex(p.filesz) + " larger than p_memsz " + hex(p.memsz))
            .address(p.vaddr);
      }
      if (p.vaddr + p.memsz < p.vaddr && p.vaddr + p.memsz != 0) {
        throw Error(Code::BAD_FORMAT, "core PT_LOAD at " + hex(p.vaddr) + " of size " +
                                          hex(p.memsz) + " wraps past the end of the address space")
            .address(p.vaddr);
      }
      segs_.push_back(LoadSegment::of(p.vaddr, p.memsz, p.filesz, p.offset, file_size));
    }
    // Sorted by address; where segments overlap, the one earlier in the file wins (stable).
    std::stable_sort(segs_.begin(), segs_.end(),
                     [](const LoadSegment& a, const LoadSegment& b) { return a.addr < b.addr; });
    std::vector<LoadSegment> merged;
    for (const LoadSegment& s : segs_) {
      if (!merged.empty()) {
        const LoadSegment& prev = merged.back();
        uint64_t prev_end = prev.addr + prev.memsz;
        if (prev_end == 0 || s.addr < prev_end) continue;  // overlapped: keep the first
      }
      merged.push_back(s);
    }
    segs_ = std::move(merged);
  }

  bool translate(uint64_t va, Span* out, std::string* why) const override {
    auto it = std::upper_bound(segs_.begin(), segs_.end(), va,
                               [](uint64_t a, const LoadSegment& s) { return a < s.addr; });
    if (it == segs_.begin()) return miss(va, why);
    const LoadSegment& s = *(it - 1);
    uint64_t rel = va - s.addr;
    if (rel >= s.memsz) return miss(va, why);
    s.span_at(rel, out);
    return true;
  }

  bool walk_pages(const std::function<bool(const PageRecord&)>& fn) const override {
    uint64_t cursor = 0;
    bool done = false;
    return walk_pages_from(&cursor, &done, fn);
  }

  // The cursor is a segment index, so a batch costs its own records only (the default replays
  // the walk from the start, quadratic over a core with very many segments).
  bool walk_pages_from(uint64_t* cursor, bool* done,
                       const std::function<bool(const PageRecord&)>& fn) const override {
    uint64_t i = *cursor;
    while (i < segs_.size()) {
      const LoadSegment& s = segs_[i++];
      PageRecord r;
      r.kmap_vaddr = s.addr;
      r.prot = 1;
      r.offset = s.in_file ? static_cast<int64_t>(s.offset) : -1;
      r.len = s.memsz;
      if (!fn(r)) break;
    }
    *cursor = i;
    *done = i >= segs_.size();
    return true;
  }

  std::vector<InfoField> info() const override {
    InfoField segments{"segments", true, segs_.size(), ""};
    return {segments};
  }

 private:
  static bool miss(uint64_t va, std::string* why) {
    if (why) *why = "virtual address " + hex(va) + " is not in any segment of the core";
    return false;
  }

  ElfFile core_;
  std::vector<LoadSegment> segs_;
};

bool probe(const ProbeInput& in) {
  if (!ElfFile::has_magic(in.core) || !in.core.has(0, 18)) return false;
  bool big = in.core.has(5, 1) && in.core.data()[5] == ELFDATA2MSB;
  uint16_t type = in.core.with_order(big).u16(16);
  // FreeBSD full dumps are ELF cores too, but of physical memory (EI_OSABI standalone).
  return type == ET_CORE && in.core.data()[7] != ELFOSABI_STANDALONE;
}

std::unique_ptr<CoreImage> open(const OpenInput& in) {
  return std::make_unique<ElfVcoreImage>(in);
}

}  // namespace

extern const FormatDescriptor kElfVcoreFormat = {
    "elf-vcore",
    "ELF core with virtual-address PT_LOAD segments (process cores, simulated images)",
    probe,
    open,
};

}  // namespace kvm
