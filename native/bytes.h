// Byte-order aware loads and a bounds-checked view over mapped bytes. Every parser reads file data
// through ByteView so no offset taken from a file is ever used unchecked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "error.h"

namespace kvm {

inline uint16_t bswap16(uint16_t v) { return static_cast<uint16_t>((v >> 8) | (v << 8)); }
inline uint32_t bswap32(uint32_t v) { return __builtin_bswap32(v); }
inline uint64_t bswap64(uint64_t v) { return __builtin_bswap64(v); }

constexpr bool kHostBigEndian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

// Unchecked loads from raw memory in a given byte order (callers have checked the range).
inline uint16_t load16(const uint8_t* p, bool big) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return big != kHostBigEndian ? bswap16(v) : v;
}
inline uint32_t load32(const uint8_t* p, bool big) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return big != kHostBigEndian ? bswap32(v) : v;
}
inline uint64_t load64(const uint8_t* p, bool big) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return big != kHostBigEndian ? bswap64(v) : v;
}

// True if [off, off + len) lies inside [0, size), without overflow.
inline bool in_bounds(uint64_t off, uint64_t len, uint64_t size) {
  return off <= size && len <= size - off;
}

// A read-only window of bytes with a byte order. Checked accessors throw BAD_FORMAT naming `what`
// and the offset; `base` is the window's offset in its file, so messages give file offsets.
class ByteView {
 public:
  ByteView() = default;
  ByteView(const uint8_t* data, uint64_t size, bool big_endian = false, uint64_t base = 0)
      : data_(data), size_(size), big_(big_endian), base_(base) {}

  const uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }
  bool big_endian() const { return big_; }
  uint64_t base() const { return base_; }
  bool empty() const { return size_ == 0; }

  bool has(uint64_t off, uint64_t len) const { return in_bounds(off, len, size_); }

  // Sub-view [off, off + len); throws if it does not fit.
  ByteView sub(uint64_t off, uint64_t len, const char* what) const {
    require(off, len, what);
    return ByteView(data_ + off, len, big_, base_ + off);
  }
  ByteView tail(uint64_t off, const char* what) const {
    require(off, 0, what);
    return ByteView(data_ + off, size_ - off, big_, base_ + off);
  }
  ByteView with_order(bool big_endian) const { return ByteView(data_, size_, big_endian, base_); }

  uint8_t u8(uint64_t off, const char* what = "field") const {
    require(off, 1, what);
    return data_[off];
  }
  uint16_t u16(uint64_t off, const char* what = "field") const {
    require(off, 2, what);
    return load16(data_ + off, big_);
  }
  uint32_t u32(uint64_t off, const char* what = "field") const {
    require(off, 4, what);
    return load32(data_ + off, big_);
  }
  uint64_t u64(uint64_t off, const char* what = "field") const {
    require(off, 8, what);
    return load64(data_ + off, big_);
  }
  // A pointer-sized word (4 or 8 bytes).
  uint64_t word(uint64_t off, unsigned width, const char* what = "field") const {
    return width == 8 ? u64(off, what) : u32(off, what);
  }

  // A NUL-terminated string starting at off; throws if no NUL before the end of the view.
  std::string cstring(uint64_t off, const char* what = "string") const {
    require(off, 1, what);
    const void* nul = std::memchr(data_ + off, 0, size_ - off);
    if (!nul) {
      throw Error(Code::BAD_FORMAT, std::string(what) + " at offset " + hex(base_ + off) +
                                        " is not NUL-terminated")
          .offset(base_ + off);
    }
    return std::string(reinterpret_cast<const char*>(data_ + off),
                       static_cast<const uint8_t*>(nul) - (data_ + off));
  }

  void require(uint64_t off, uint64_t len, const char* what) const {
    if (!has(off, len)) {
      throw Error(Code::BAD_FORMAT, std::string(what) + " at offset " + hex(base_ + off) +
                                        " (length " + hex(len) + ") runs past end of data (size " +
                                        hex(base_ + size_) + ")")
          .offset(base_ + off);
    }
  }

 private:
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  bool big_ = false;
  uint64_t base_ = 0;
};

}  // namespace kvm
