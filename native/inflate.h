// Our own DEFLATE decoder (RFC 1951) and zlib wrapper (RFC 1950), for compressed debug sections.
// The output size is always known up front (ELF Chdr.ch_size, the .zdebug header); the decoder
// never writes past it and refuses a stream that produces more or fewer bytes.
#pragma once

#include <cstdint>
#include <memory>

#include "bytes.h"

namespace kvm {

// Largest inflated size we accept at all (a kernel's .debug_info is well under this).
constexpr uint64_t kMaxInflatedSize = uint64_t(4) << 30;

// Checks that `expected` is plausible for `compressed_size` input bytes: at most
// kMaxInflatedSize, and no more than DEFLATE's best ratio allows. Throws BAD_FORMAT naming `what`.
void check_inflated_size(uint64_t expected, uint64_t compressed_size, const char* what);

// Inflated bytes; the buffer is not zero-filled first, so a stream that fails early never touches
// most of a large (declared) size.
struct Inflated {
  std::unique_ptr<uint8_t[]> data;
  uint64_t size = 0;
};

// Inflates a zlib stream (2-byte header, DEFLATE data, Adler-32 trailer) into exactly `expected`
// bytes. Throws BAD_FORMAT (offsets relative to `in`'s base) naming `what` on any error, and
// OS (ENOMEM) when the buffer cannot be allocated.
Inflated inflate_zlib(ByteView in, uint64_t expected, const char* what);

// Inflates raw DEFLATE data into exactly `expected` bytes; returns the number of input bytes used.
uint64_t inflate_raw(ByteView in, uint8_t* out, uint64_t expected, const char* what);

}  // namespace kvm
