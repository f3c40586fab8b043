#include "page_index.h"

#include <algorithm>

namespace kvm {

void PageIndex::init(ByteView bitmap, std::vector<PhysRange> ranges, unsigned page_shift,
                     uint64_t data_offset) {
  page_shift_ = page_shift;
  data_offset_ = data_offset;
  nbits_ = bitmap.size() * 8;
  words_ = (bitmap.size() + 7) / 8;

  // Copy the words into blocks and count as we go. A short last word keeps the bytes it has.
  uint64_t nblocks = words_ / kWordsPerBlock + 1;
  blocks_.assign(nblocks, Block{});
  uint64_t full_words = bitmap.size() / 8;
  const uint8_t* p = bitmap.data();
  uint64_t count = 0;
  for (uint64_t i = 0; i < words_; i++) {
    uint64_t v = 0;
    if (i < full_words) {
      v = load64(p + i * 8, false);
    } else {
      for (uint64_t b = i * 8, s = 0; b < bitmap.size(); b++, s += 8) v |= uint64_t(p[b]) << s;
    }
    Block& blk = blocks_[i / kWordsPerBlock];
    if (i % kWordsPerBlock == 0) blk.count = count;
    blk.words[i % kWordsPerBlock] = v;
    count += popcount(v);
  }
  if (words_ % kWordsPerBlock == 0) blocks_[words_ / kWordsPerBlock].count = count;
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
    // At a block start, skip whole blocks without a set bit (the next block's count is equal).
    if (w % kWordsPerBlock == 0) {
      uint64_t b = w / kWordsPerBlock;
      uint64_t last = (words_ - 1) / kWordsPerBlock;
      while (b < last && blocks_[b + 1].count == blocks_[b].count) b++;
      w = b * kWordsPerBlock;
    }
    v = word(w);
  }
}

}  // namespace kvm
