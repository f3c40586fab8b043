// Default behaviour shared by every CoreImage.
#include "format.h"

namespace kvm {

bool CoreImage::walk_pages_from(uint64_t* cursor, bool* done,
                                const std::function<bool(const PageRecord&)>& fn) const {
  uint64_t index = 0;
  uint64_t start = *cursor;
  bool stopped = false;
  bool has_walker = walk_pages([&](const PageRecord& r) {
    if (index++ < start) return true;
    if (!fn(r)) {
      stopped = true;
      return false;
    }
    return true;
  });
  if (!has_walker) return false;
  *cursor = index;
  *done = !stopped;
  return true;
}

}  // namespace kvm
