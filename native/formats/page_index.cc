#include "page_index.h"

#include <algorithm>

namespace kvm {

void PageIndex::init(ByteView bitmap, std::vector<PhysRange> ranges, unsigned page_shift,
                     uint64_t data_offset) {
  bitmap_ = bitmap;
  page_shift_ = page_shift;
  data_offset_ = data_offset;
  nbits_ = bitmap.size() * 8;
  full_words_ = bitmap.size() / 8;
  words_ = (bitmap.size() + 7) / 8;

  // One count per 8 words; entry k = set bits in words [0, 8k). The last entry is the total.
  uint64_t blocks = (words_ + 7) / 8;
  block_counts_.assign(blocks + 1, 0);
  uint64_t count = 0;
  for (uint64_t i = 0; i < words_; i++) {
    if ((i & 7) == 0) block_counts_[i >> 3] = count;
    count += popcount(word(i));
  }
  block_counts_[blocks] = count;
  total_ = count;

  ranges_ = std::move(ranges);
  by_page_.resize(ranges_.size());
  for (uint32_t i = 0; i < by_page_.size(); i++) by_page_[i] = i;
  std::sort(by_page_.begin(), by_page_.end(), [this](uint32_t a, uint32_t b) {
    return ranges_[a].first_page < ranges_[b].first_page;
  });
  for (size_t i = 1; i < by_page_.size(); i++) {
    const PhysRange& prev = ranges_[by_page_[i - 1]];
    const PhysRange& cur = ranges_[by_page_[i]];
    if (cur.first_page < prev.first_page + prev.pages) {
      throw Error(Code::BAD_FORMAT,
                  "minidump dump_avail ranges overlap: pages " + hex(prev.first_page << page_shift) +
                      "-" + hex((prev.first_page + prev.pages) << page_shift) + " and " +
                      hex(cur.first_page << page_shift) + "-" +
                      hex((cur.first_page + cur.pages) << page_shift));
    }
  }
  single_ = ranges_.size() == 1 && ranges_[0].first_page == 0 && ranges_[0].first_bit == 0;
}

bool PageIndex::bit_of(uint64_t page, uint64_t* bit) const {
  if (single_) {
    if (page >= ranges_[0].pages) return false;
    *bit = page;
    return true;
  }
  // Last range starting at or below page.
  auto it = std::upper_bound(by_page_.begin(), by_page_.end(), page, [this](uint64_t p, uint32_t i) {
    return p < ranges_[i].first_page;
  });
  if (it == by_page_.begin()) return false;
  const PhysRange& r = ranges_[*(it - 1)];
  if (page - r.first_page >= r.pages) return false;
  *bit = r.first_bit + (page - r.first_page);
  return true;
}

bool PageIndex::pa_of_bit(uint64_t bit, uint64_t* pa) const {
  // ranges_ are in bit order and their bits are contiguous.
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), bit,
                             [](uint64_t b, const PhysRange& r) { return b < r.first_bit; });
  if (it == ranges_.begin()) return false;
  const PhysRange& r = *(it - 1);
  if (bit - r.first_bit >= r.pages) return false;
  *pa = (r.first_page + (bit - r.first_bit)) << page_shift_;
  return true;
}

uint64_t PageIndex::next_set(uint64_t from) const {
  if (from >= nbits_) return nbits_;
  uint64_t w = from >> 6;
  uint64_t v = word(w) & (~uint64_t(0) << (from & 63));
  while (true) {
    if (v) {
      uint64_t bit = (w << 6) + static_cast<uint64_t>(__builtin_ctzll(v));
      return bit < nbits_ ? bit : nbits_;
    }
    if (++w >= words_) return nbits_;
    // Skip empty 512-bit blocks using the counts.
    if ((w & 7) == 0) {
      uint64_t b = w >> 3;
      while (b + 1 < block_counts_.size() && block_counts_[b + 1] == block_counts_[b]) b++;
      if (b + 1 >= block_counts_.size()) return nbits_;
      if ((b << 3) != w) w = b << 3;
    }
    v = word(w);
  }
}

}  // namespace kvm
