// The dumped-page index of a minidump: which physical pages the dump holds and where.
// A page's bit is found through the dump_avail ranges; its place in the page area is the number
// of set bits before it (a rank), answered in O(1) from one cumulative count per 512-bit block.
// The bitmap itself stays in the mapped file; memory is the block counts (1/8 of the bitmap) and
// the ranges, never anything per dumped page.
#pragma once

#include <cstdint>
#include <vector>

#include "../bytes.h"

namespace kvm {

// A run of physical pages that own consecutive bitmap bits (one dump_avail entry).
struct PhysRange {
  uint64_t first_page = 0;  // physical page number (pa / page size)
  uint64_t pages = 0;
  uint64_t first_bit = 0;   // bit of first_page
};

class PageIndex {
 public:
  // `bitmap` = the bitmap section (bitmapsize bytes, little-endian 64-bit words); `ranges` in
  // array order (their bits follow one another); `data_offset` = payload offset of the first
  // dumped page. Throws BAD_FORMAT for overlapping ranges.
  void init(ByteView bitmap, std::vector<PhysRange> ranges, unsigned page_shift,
            uint64_t data_offset);

  // Payload offset of the dumped page holding pa; false when pa is not in the dump.
  bool find(uint64_t pa, uint64_t* page_offset) const {
    uint64_t bit;
    if (!bit_of(pa >> page_shift_, &bit) || !test(bit)) return false;
    *page_offset = data_offset_ + (rank(bit) << page_shift_);
    return true;
  }

  // The first set bit at or after `from`, or nbits() when none.
  uint64_t next_set(uint64_t from) const;
  // Physical address of a bit's page; false for bits past the ranges.
  bool pa_of_bit(uint64_t bit, uint64_t* pa) const;
  // Set bits before `bit` (bit < nbits()).
  uint64_t rank(uint64_t bit) const {
    uint64_t w = bit >> 6;
    uint64_t count = block_counts_[w >> 3];
    for (uint64_t i = w & ~uint64_t(7); i < w; i++) count += popcount(word(i));
    uint64_t low = bit & 63;
    if (low) count += popcount(word(w) & ((uint64_t(1) << low) - 1));
    return count;
  }
  bool test(uint64_t bit) const { return bit < nbits_ && ((word(bit >> 6) >> (bit & 63)) & 1); }

  uint64_t nbits() const { return nbits_; }
  uint64_t dumped_pages() const { return total_; }
  unsigned page_shift() const { return page_shift_; }
  uint64_t data_offset() const { return data_offset_; }
  const std::vector<PhysRange>& ranges() const { return ranges_; }

 private:
  static unsigned popcount(uint64_t v) { return static_cast<unsigned>(__builtin_popcountll(v)); }

  // Word i of the bitmap; a short last word reads its bytes that exist.
  uint64_t word(uint64_t i) const {
    if (i < full_words_) return load64(bitmap_.data() + (i << 3), false);
    uint64_t v = 0;
    for (uint64_t b = i << 3, s = 0; b < bitmap_.size() && s < 64; b++, s += 8) {
      v |= uint64_t(bitmap_.data()[b]) << s;
    }
    return v;
  }

  bool bit_of(uint64_t page, uint64_t* bit) const;

  ByteView bitmap_;
  uint64_t nbits_ = 0, full_words_ = 0, words_ = 0, total_ = 0, data_offset_ = 0;
  unsigned page_shift_ = 12;
  std::vector<uint64_t> block_counts_;  // set bits before each 512-bit block, plus the total
  std::vector<PhysRange> ranges_;       // array (bit) order
  std::vector<uint32_t> by_page_;       // indexes of ranges_ sorted by first_page
  bool single_ = false;                 // one range from page 0 at bit 0 (v1/v2 layout)
};

}  // namespace kvm
