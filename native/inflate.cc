// DEFLATE decoding with canonical Huffman codes: a 10-bit direct lookup table for short codes and a
// length-by-length canonical walk for the rest. Input past the end reads as zero bits so peeking is
// branch-free; consuming such bits is an error, and the number of fake bytes is capped.
#include "inflate.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <new>
#include <string>

namespace kvm {

namespace {

constexpr unsigned kMaxBits = 15;
constexpr unsigned kFastBits = 10;
constexpr unsigned kMaxLitLen = 288, kMaxDist = 32, kCodeLenSyms = 19;

// RFC 1951 section 3.2.5.
constexpr uint16_t kLenBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                   31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr uint8_t kLenExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                   2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr uint16_t kDistBase[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                    33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                    6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
// Order in which code-length code lengths are sent (section 3.2.7).
constexpr uint8_t kCodeLenOrder[kCodeLenSyms] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                 11, 4,  12, 3, 13, 2, 14, 1, 15};

class Decoder;

// A canonical Huffman code built from a list of code lengths.
class Huffman {
 public:
  // Builds the code; `lengths[i]` is symbol i's length (0 = unused). Throws on an over-full code.
  void build(const uint8_t* lengths, unsigned count, Decoder& d, const char* which);
  inline unsigned decode(Decoder& d) const;

 private:
  unsigned slow_decode(Decoder& d) const;

  uint16_t fast_[1u << kFastBits];  // (symbol << 4) | length, or 0 for "walk the code"
  uint16_t count_[kMaxBits + 1];    // codes of each length
  uint16_t symbols_[kMaxLitLen];    // symbols ordered by (length, value)
};

class Decoder {
 public:
  Decoder(ByteView in, uint8_t* out, uint64_t expected, const char* what)
      : in_(in), data_(in.data()), size_(in.size()), out_(out), expected_(expected), what_(what) {}

  uint64_t run();

  [[noreturn]] void fail(const std::string& why) const {
    uint64_t at = consumed_bytes();
    throw Error(Code::BAD_FORMAT, std::string(what_) + ": compressed data at offset " +
                                      hex(in_.base() + at) + " is invalid: " + why)
        .offset(in_.base() + at);
  }

  // Makes at least 57 bits available (zero bits past the end of the input).
  void refill() {
    while (bitcnt_ <= 56) {
      uint64_t byte = 0;
      if (pos_ < size_) {
        byte = data_[pos_];
      } else if (++fake_ > 16) {
        fail("stream runs past end of input (size " + hex(size_) + ")");
      }
      pos_++;
      bits_ |= byte << bitcnt_;
      bitcnt_ += 8;
    }
  }
  uint64_t peek() const { return bits_; }
  void drop(unsigned n) {
    bits_ >>= n;
    bitcnt_ -= n;
  }
  uint32_t take(unsigned n) {
    if (bitcnt_ < n) refill();
    uint32_t v = static_cast<uint32_t>(bits_ & ((uint64_t(1) << n) - 1));
    drop(n);
    return v;
  }
  uint32_t bit() { return take(1); }

 private:
  uint64_t consumed_bytes() const { return pos_ - bitcnt_ / 8; }
  void stored_block();
  void codes_block(const Huffman& lit, const Huffman& dist);
  void dynamic_tables(Huffman& lit, Huffman& dist);
  void check_not_past_input() const {
    if (pos_ > size_ && (pos_ - size_) * 8 > bitcnt_) fail("stream runs past end of input");
  }

  ByteView in_;
  const uint8_t* data_;
  uint64_t size_;
  uint64_t pos_ = 0;  // next input byte to load into bits_
  uint64_t bits_ = 0;
  unsigned bitcnt_ = 0;
  unsigned fake_ = 0;  // zero bytes loaded past the end of input
  uint8_t* out_;
  uint64_t expected_;
  uint64_t produced_ = 0;
  const char* what_;
};

void Huffman::build(const uint8_t* lengths, unsigned count, Decoder& d, const char* which) {
  std::memset(count_, 0, sizeof count_);
  for (unsigned i = 0; i < count; i++) count_[lengths[i]]++;
  count_[0] = 0;
  // Each length doubles the code space; using more codes than exist means a corrupt header.
  int left = 1;
  for (unsigned len = 1; len <= kMaxBits; len++) {
    left = (left << 1) - count_[len];
    if (left < 0) d.fail(std::string("over-subscribed ") + which + " code");
  }
  uint16_t offset[kMaxBits + 2];
  offset[1] = 0;
  for (unsigned len = 1; len <= kMaxBits; len++) offset[len + 1] = offset[len] + count_[len];
  for (unsigned i = 0; i < count; i++) {
    if (lengths[i]) symbols_[offset[lengths[i]]++] = static_cast<uint16_t>(i);
  }
  // Short codes go in the direct table, indexed by their bits as they arrive (reversed).
  std::memset(fast_, 0, sizeof fast_);
  unsigned code = 0, index = 0;
  for (unsigned len = 1; len <= kFastBits; len++) {
    for (unsigned k = 0; k < count_[len]; k++, code++, index++) {
      unsigned rev = 0;
      for (unsigned b = 0; b < len; b++) rev |= ((code >> b) & 1u) << (len - 1 - b);
      uint16_t entry = static_cast<uint16_t>((symbols_[index] << 4) | len);
      for (unsigned fill = rev; fill < (1u << kFastBits); fill += 1u << len) fast_[fill] = entry;
    }
    code <<= 1;
  }
}

unsigned Huffman::decode(Decoder& d) const {
  d.refill();
  uint16_t e = fast_[d.peek() & ((1u << kFastBits) - 1)];
  if (e) {
    d.drop(e & 15);
    return e >> 4;
  }
  return slow_decode(d);
}

// Reads the code one bit at a time: codes of length `len` are the `count_[len]` values starting at
// `first`, in symbol order.
unsigned Huffman::slow_decode(Decoder& d) const {
  unsigned code = 0, first = 0, index = 0;
  for (unsigned len = 1; len <= kMaxBits; len++) {
    code |= d.bit();
    if (code - first < count_[len]) return symbols_[index + (code - first)];
    index += count_[len];
    first = (first + count_[len]) << 1;
    code <<= 1;
  }
  d.fail("no such Huffman code");
}

void Decoder::stored_block() {
  drop(bitcnt_ % 8);  // to a byte boundary
  uint32_t len = take(16);
  uint32_t nlen = take(16);
  if ((len ^ 0xffff) != nlen) fail("stored block length " + hex(len) + " does not match its complement");
  // Whole bytes still in the bit buffer come first, then straight from the input.
  while (len > 0 && bitcnt_ >= 8) {
    if (produced_ >= expected_) fail("inflates to more than the expected " + hex(expected_) + " bytes");
    out_[produced_++] = static_cast<uint8_t>(take(8));
    len--;
  }
  check_not_past_input();
  if (len == 0) return;
  uint64_t at = pos_;
  if (at > size_ || size_ - at < len) fail("stored block runs past end of input");
  if (expected_ - produced_ < len) fail("inflates to more than the expected " + hex(expected_) + " bytes");
  std::memcpy(out_ + produced_, data_ + at, len);
  produced_ += len;
  pos_ += len;
}

void Decoder::codes_block(const Huffman& lit, const Huffman& dist) {
  for (;;) {
    unsigned sym = lit.decode(*this);
    if (sym < 256) {
      if (produced_ >= expected_) fail("inflates to more than the expected " + hex(expected_) + " bytes");
      out_[produced_++] = static_cast<uint8_t>(sym);
      continue;
    }
    if (sym == 256) return;
    sym -= 257;
    if (sym >= 29) fail("invalid length symbol " + std::to_string(sym + 257));
    uint32_t len = kLenBase[sym] + take(kLenExtra[sym]);
    unsigned dsym = dist.decode(*this);
    if (dsym >= 30) fail("invalid distance symbol " + std::to_string(dsym));
    uint32_t distance = kDistBase[dsym] + take(kDistExtra[dsym]);
    if (distance > produced_) {
      fail("distance " + std::to_string(distance) + " reaches before the start of the output");
    }
    if (expected_ - produced_ < len) fail("inflates to more than the expected " + hex(expected_) + " bytes");
    uint8_t* dst = out_ + produced_;
    const uint8_t* src = dst - distance;
    if (distance >= len) {
      std::memcpy(dst, src, len);
    } else {
      for (uint32_t i = 0; i < len; i++) dst[i] = src[i];  // overlapping: a repeating pattern
    }
    produced_ += len;
  }
}

void Decoder::dynamic_tables(Huffman& lit, Huffman& dist) {
  unsigned nlen = take(5) + 257, ndist = take(5) + 1, ncode = take(4) + 4;
  if (nlen > 286 || ndist > 30) fail("too many length or distance codes");
  uint8_t lengths[kMaxLitLen + kMaxDist] = {0};
  for (unsigned i = 0; i < ncode; i++) lengths[kCodeLenOrder[i]] = static_cast<uint8_t>(take(3));
  Huffman lencode;
  lencode.build(lengths, kCodeLenSyms, *this, "code-length");
  unsigned n = 0;
  while (n < nlen + ndist) {
    unsigned sym = lencode.decode(*this);
    if (sym < 16) {
      lengths[n++] = static_cast<uint8_t>(sym);
      continue;
    }
    uint8_t value = 0;
    unsigned repeat;
    if (sym == 16) {
      if (n == 0) fail("repeat of a code length with no previous length");
      value = lengths[n - 1];
      repeat = 3 + take(2);
    } else if (sym == 17) {
      repeat = 3 + take(3);
    } else {
      repeat = 11 + take(7);
    }
    if (n + repeat > nlen + ndist) fail("code lengths run past the number of codes");
    while (repeat--) lengths[n++] = value;
  }
  if (lengths[256] == 0) fail("no end-of-block code");
  lit.build(lengths, nlen, *this, "literal/length");
  dist.build(lengths + nlen, ndist, *this, "distance");
}

uint64_t Decoder::run() {
  static thread_local Huffman fixed_lit, fixed_dist;
  static thread_local bool fixed_ready = false;
  auto lit = std::make_unique<Huffman>();
  auto dist = std::make_unique<Huffman>();
  bool last = false;
  while (!last) {
    last = bit() != 0;
    uint32_t type = take(2);
    if (type == 0) {
      stored_block();
    } else if (type == 1) {
      if (!fixed_ready) {
        uint8_t l[kMaxLitLen + kMaxDist];
        for (unsigned i = 0; i < 144; i++) l[i] = 8;
        for (unsigned i = 144; i < 256; i++) l[i] = 9;
        for (unsigned i = 256; i < 280; i++) l[i] = 7;
        for (unsigned i = 280; i < kMaxLitLen; i++) l[i] = 8;
        for (unsigned i = 0; i < kMaxDist; i++) l[kMaxLitLen + i] = 5;
        fixed_lit.build(l, kMaxLitLen, *this, "fixed literal/length");
        fixed_dist.build(l + kMaxLitLen, kMaxDist, *this, "fixed distance");
        fixed_ready = true;
      }
      codes_block(fixed_lit, fixed_dist);
    } else if (type == 2) {
      dynamic_tables(*lit, *dist);
      codes_block(*lit, *dist);
    } else {
      fail("reserved block type 3");
    }
    check_not_past_input();
  }
  if (produced_ != expected_) {
    fail("inflates to " + hex(produced_) + " bytes, expected " + hex(expected_));
  }
  // Give back whole bytes that were loaded but not used; the trailer follows the last partial byte.
  return consumed_bytes();
}

uint32_t adler32(const uint8_t* p, uint64_t n) {
  constexpr uint32_t kMod = 65521;
  uint32_t a = 1, b = 0;
  while (n > 0) {
    uint64_t chunk = n < 5552 ? n : 5552;  // largest run before b can overflow 32 bits
    n -= chunk;
    while (chunk--) {
      a += *p++;
      b += a;
    }
    a %= kMod;
    b %= kMod;
  }
  return (b << 16) | a;
}

}  // namespace

void check_inflated_size(uint64_t expected, uint64_t compressed_size, const char* what) {
  // DEFLATE cannot expand more than 1032:1 (a 258-byte match in under 2 bits, roughly).
  uint64_t ratio_cap = compressed_size > kMaxInflatedSize / 1032 ? kMaxInflatedSize
                                                                 : compressed_size * 1032 + 1024;
  if (expected > kMaxInflatedSize || expected > ratio_cap) {
    throw Error(Code::BAD_FORMAT, std::string(what) + ": declared uncompressed size " +
                                      hex(expected) + " is implausible for " +
                                      hex(compressed_size) + " compressed bytes");
  }
}

uint64_t inflate_raw(ByteView in, uint8_t* out, uint64_t expected, const char* what) {
  Decoder d(in, out, expected, what);
  return d.run();
}

Inflated inflate_zlib(ByteView in, uint64_t expected, const char* what) {
  check_inflated_size(expected, in.size(), what);
  if (in.size() < 6) {
    throw Error(Code::BAD_FORMAT, std::string(what) + ": zlib stream of " +
                                      std::to_string(in.size()) + " bytes is too short")
        .offset(in.base());
  }
  uint8_t cmf = in.u8(0), flg = in.u8(1);
  if ((cmf & 15) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0) {
    throw Error(Code::BAD_FORMAT, std::string(what) + ": bad zlib header " + hex(cmf) + " " +
                                      hex(flg) + " at offset " + hex(in.base()))
        .offset(in.base());
  }
  if (flg & 0x20) {
    throw Error(Code::UNSUPPORTED,
                std::string(what) + ": zlib stream needs a preset dictionary").offset(in.base());
  }
  Inflated out;
  out.size = expected;
  out.data.reset(new (std::nothrow) uint8_t[expected ? expected : 1]);
  if (!out.data) {
    throw Error(Code::OS, std::string(what) + ": cannot allocate " + hex(expected) +
                              " bytes for the inflated data")
        .sys_errno(ENOMEM);
  }
  ByteView body = in.tail(2, what);
  uint64_t used = inflate_raw(body, out.data.get(), expected, what);
  uint64_t trailer = 2 + used;
  ByteView be = in.with_order(true);
  if (!be.has(trailer, 4)) {
    throw Error(Code::BAD_FORMAT, std::string(what) + ": zlib stream has no Adler-32 trailer")
        .offset(in.base() + trailer);
  }
  uint32_t want = be.u32(trailer), got = adler32(out.data.get(), out.size);
  if (want != got) {
    throw Error(Code::BAD_FORMAT, std::string(what) + ": Adler-32 " + hex(got) +
                                      " of the inflated data does not match the stream's " +
                                      hex(want))
        .offset(in.base() + trailer);
  }
  return out;
}

}  // namespace kvm
