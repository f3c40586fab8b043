// The dumped-page index of a minidump: which physical pages the dump holds and where.
// A page's bit is found through the dump_avail ranges; its place in the page area is the number
// of set bits before it (a rank). The bitmap is copied once into 64-byte blocks that each hold a
// cumulative count and the next 448 bits, so a rank is one cache line: O(1), at most 7
// popcounts. Memory is 8/7 of the bitmap plus the ranges, never anything per dumped page.
#pragma once

#include <cstdint>
#include <memory>
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
  // `bitmap` = the bitmap section (little-endian 64-bit words); `ranges` in array order (their
  // bits follow one another); `data_offset` = payload offset of the first dumped page. Throws
  // BAD_FORMAT for overlapping ranges.
  void init(ByteView bitmap, std::vector<PhysRange> ranges, unsigned page_shift,
            uint64_t data_offset);

  // Payload offset of the dumped page holding pa; false when pa is not in the dump.
  bool find(uint64_t pa, uint64_t* page_offset) const {
    uint64_t bit;
    if (!bit_of(pa >> page_shift_, &bit) || bit >= nbits_) return false;
    const Block& b = blocks_[bit / kBlockBits];
    uint64_t r = bit % kBlockBits;
    uint64_t w = r >> 6;
    uint64_t word = b.words[w];
    if (!((word >> (r & 63)) & 1)) return false;
    uint64_t count = b.count;
    for (uint64_t i = 0; i < w; i++) count += popcount(b.words[i]);
    count += popcount(word & ((uint64_t(1) << (r & 63)) - 1));
    *page_offset = data_offset_ + (count << page_shift_);
    return true;
  }

  // The first set bit at or after `from`, or nbits() when none.
  uint64_t next_set(uint64_t from) const;
  // Physical address of a bit's page; false for bits past the ranges.
  bool pa_of_bit(uint64_t bit, uint64_t* pa) const;
  // Set bits before `bit` (bit < nbits()).
  uint64_t rank(uint64_t bit) const {
    const Block& b = blocks_[bit / kBlockBits];
    uint64_t r = bit % kBlockBits;
    uint64_t w = r >> 6;
    uint64_t count = b.count;
    for (uint64_t i = 0; i < w; i++) count += popcount(b.words[i]);
    if (r & 63) count += popcount(b.words[w] & ((uint64_t(1) << (r & 63)) - 1));
    return count;
  }
  bool test(uint64_t bit) const {
    return bit < nbits_ && ((blocks_[bit / kBlockBits].words[(bit % kBlockBits) >> 6] >> (bit & 63)) & 1);
  }

  uint64_t nbits() const { return nbits_; }
  uint64_t dumped_pages() const { return total_; }
  unsigned page_shift() const { return page_shift_; }
  uint64_t data_offset() const { return data_offset_; }
  const std::vector<PhysRange>& ranges() const { return ranges_; }

 private:
  static constexpr uint64_t kWordsPerBlock = 7;
  static constexpr uint64_t kBlockBits = kWordsPerBlock * 64;  // 448
  struct alignas(64) Block {
    uint64_t count;  // set bits before this block
    uint64_t words[kWordsPerBlock];
  };
  static_assert(sizeof(Block) == 64, "one block per cache line");

  // Without a popcount instruction in the target (-mpopcnt) the builtin is a libgcc call; the
  // SWAR form is a dozen inline instructions.
  static unsigned popcount(uint64_t v) {
#if defined(__POPCNT__) || defined(__ARM_NEON) || defined(__aarch64__)
    return static_cast<unsigned>(__builtin_popcountll(v));
#else
    v = v - ((v >> 1) & 0x5555555555555555ull);
    v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
    v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return static_cast<unsigned>((v * 0x0101010101010101ull) >> 56);
#endif
  }
  uint64_t word(uint64_t i) const { return blocks_[i / kWordsPerBlock].words[i % kWordsPerBlock]; }
  bool bit_of(uint64_t page, uint64_t* bit) const;

  uint64_t nbits_ = 0, words_ = 0, total_ = 0, data_offset_ = 0;
  unsigned page_shift_ = 12;
  std::vector<Block> blocks_;       // the bitmap with counts, plus one spare block
  std::vector<PhysRange> ranges_;   // array (bit) order
  std::vector<uint32_t> by_page_;   // indexes of ranges_ sorted by first_page
  bool single_ = false;             // one range from page 0 at bit 0 (v1/v2 layout)
};

}  // namespace kvm
