#include "handle.h"

#include <algorithm>
#include <utility>

namespace kvm {

namespace {
alignas(4096) const uint8_t kZeroPage[4096] = {};
}

// The members open the kernel before the core, so a missing kernel is reported first.
Handle::Handle(const std::string& kernel_path, const std::string& core_path)
    : kernel_file_(kernel_path) {
  if (!core_path.empty()) core_file_ = MappedFile(core_path);
  load();
}

Handle::Handle(MappedFile kernel, MappedFile core)
    : kernel_file_(std::move(kernel)), core_file_(std::move(core)) {
  load();
}

void Handle::load() {
  const std::string& kernel_path = kernel_file_.path();
  try {
    kernel_elf_ = std::make_unique<ElfFile>(kernel_file_.view(), "kernel " + kernel_path);
    symtab_ = Symtab(*kernel_elf_);
    translator_ = std::make_unique<Translator>(symtab_);
  } catch (Error& e) {
    if (e.path().empty()) e.path(kernel_path);
    throw;
  }
  core_ = core_file_.is_open() ? open_core(*kernel_elf_, symtab_, core_file_.view(), core_file_.path())
                                : open_no_core();
  payload_ = core_file_.view().tail(core_.payload_offset, "core payload");
}

const uint8_t* Handle::fill_tlb(uint64_t va) {
  uint64_t page = va & ~kPageMask;
  Span span;
  if (!core_.image->translate(page, &span, nullptr) || span.length < kPageSize) return nullptr;
  const uint8_t* p;
  if (span.kind == Span::ZERO) {
    p = kZeroPage;
  } else if (span.kind == Span::FILE && in_bounds(span.offset, kPageSize, payload_.size())) {
    p = payload_.data() + span.offset;
  } else {
    return nullptr;
  }
  TlbEntry& e = tlb_[(va >> 12) & (kTlbEntries - 1)];
  e.tag = (va >> 12) + 1;
  e.page = p;
  return p;
}

size_t Handle::read(uint64_t va, uint8_t* dst, size_t len, ReadFault* fault) {
  size_t done = 0;
  while (done < len) {
    uint64_t cur = va + done;
    size_t want = len - done;
    if (const uint8_t* p = page_pointer(cur)) {
      size_t n = std::min<uint64_t>(want, kPageSize - (cur & kPageMask));
      std::memcpy(dst + done, p + (cur & kPageMask), n);
      done += n;
      continue;
    }
    Span span;
    std::string why;
    if (!core_.image->translate(cur, &span, fault ? &why : nullptr) || span.length == 0) {
      if (fault) {
        fault->code = Code::FAULT;
        fault->address = cur;
        fault->why = why.empty() ? "address " + hex(cur) + " is not in the core" : why;
      }
      return done;
    }
    size_t n = 0;
    bool ok = copy_span(span, cur, dst + done, want, &n, fault);
    done += n;
    if (!ok) return done;
  }
  return done;
}

bool Handle::copy_span(const Span& span, uint64_t addr, uint8_t* dst, size_t want, size_t* copied,
                       ReadFault* fault) const {
  size_t n = std::min<uint64_t>(want, span.length);
  if (span.kind == Span::ZERO) {
    std::memset(dst, 0, n);
  } else if (span.kind == Span::FILE && in_bounds(span.offset, n, payload_.size())) {
    std::memcpy(dst, payload_.data() + span.offset, n);
  } else {
    // The image maps these bytes but the file ends before them.
    uint64_t avail = 0;
    if (span.kind == Span::FILE && span.offset < payload_.size()) {
      avail = std::min<uint64_t>(n, payload_.size() - span.offset);
      std::memcpy(dst, payload_.data() + span.offset, avail);
    }
    *copied = avail;
    if (fault) {
      fault->code = Code::TRUNCATED;
      fault->address = addr + avail;
      fault->why = "address " + hex(addr + avail) + " is mapped but the core file ends before its bytes";
    }
    return false;
  }
  *copied = n;
  return true;
}

size_t Handle::read_phys(uint64_t pa, uint8_t* dst, size_t len, ReadFault* fault) {
  const CoreImage& img = *core_.image;
  if (!img.has_physical()) {
    throw Error(Code::UNSUPPORTED, std::string("the ") + core_.format->name +
                                       " core holds no physical memory to read");
  }
  size_t done = 0;
  while (done < len) {
    uint64_t cur = pa + done;
    Span span;
    std::string why;
    if (!img.translate_phys(cur, &span, fault ? &why : nullptr) || span.length == 0) {
      if (fault) {
        fault->code = Code::FAULT;
        fault->address = cur;
        fault->why = why.empty() ? "physical address " + hex(cur) + " is not in the core" : why;
      }
      return done;
    }
    size_t n = 0;
    bool ok = copy_span(span, cur, dst + done, len - done, &n, fault);
    done += n;
    if (!ok) {
      if (fault) fault->why = "physical address " + hex(fault->address) + " is in the dump but the core file ends before its bytes";
      return done;
    }
  }
  return done;
}

bool Handle::read_word(uint64_t va, uint64_t* out, ReadFault* fault) {
  if (word_size() == 8) return read_value<uint64_t>(va, out, fault);
  uint32_t v;
  if (!read_value<uint32_t>(va, &v, fault)) return false;
  *out = v;
  return true;
}

bool Handle::read_array(uint64_t va, size_t count, unsigned width, uint64_t* out,
                        ReadFault* fault) {
  for (size_t i = 0; i < count; i++) {
    uint64_t a = va + i * width;
    if (width == 8) {
      if (!read_value<uint64_t>(a, &out[i], fault)) return false;
    } else {
      uint32_t v;
      if (!read_value<uint32_t>(a, &v, fault)) return false;
      out[i] = v;
    }
  }
  return true;
}

uint64_t Handle::sum_gather(const uint64_t* bases, size_t nbases, const uint64_t* offsets,
                            size_t noffsets, uint64_t* out, uint32_t* faults) {
  // CPU-major within blocks of handles: counters allocated together sit side by side in each
  // CPU's copy, so consecutive reads stay on one page (one translation) and stream through
  // memory, where handle-major order would touch a different page on every read.
  constexpr size_t kBlock = 2048;
  uint64_t total_faults = 0;
  for (size_t start = 0; start < nbases; start += kBlock) {
    const size_t end = std::min(nbases, start + kBlock);
    for (size_t i = start; i < end; i++) {
      out[i] = 0;
      if (faults) faults[i] = 0;
    }
    for (size_t j = 0; j < noffsets; j++) {
      const uint64_t off = offsets[j];
      for (size_t i = start; i < end; i++) {
        uint64_t v;
        if (read_value<uint64_t>(bases[i] + off, &v, nullptr)) {
          out[i] += v;
        } else {
          if (faults) faults[i]++;
          total_faults++;
        }
      }
    }
  }
  return total_faults;
}

}  // namespace kvm
