// The one table of core formats, and detection by content.
#include <cstring>

#include "format.h"

namespace kvm {

const std::vector<const FormatDescriptor*>& core_formats() {
  // Probe order: specific FreeBSD formats first, the generic ELF core last.
  static const std::vector<const FormatDescriptor*> table = {
      &kMinidumpAmd64Format,
      &kMinidumpArm64Format,
      &kFullDumpAmd64Format,
      &kElfVcoreFormat,
  };
  return table;
}

namespace {

// Where only a kernel was opened: every address is outside the (absent) image.
class NoCoreImage : public CoreImage {
 public:
  bool translate(uint64_t va, Span*, std::string* why) const override {
    if (why) *why = "no memory image is open (kernel only): cannot read " + hex(va);
    return false;
  }
};

bool never(const ProbeInput&) { return false; }
std::unique_ptr<CoreImage> open_none(const OpenInput&) { return std::make_unique<NoCoreImage>(); }

const FormatDescriptor kNoCoreFormat = {"none", "no memory image (kernel file only)", never, open_none};

constexpr uint64_t kDumpHeaderSize = 512;  // struct kerneldumpheader

bool starts_with(ByteView v, const char* magic) {
  size_t n = std::strlen(magic);
  return v.has(0, n) && std::memcmp(v.data(), magic, n) == 0;
}

// savecore(8) strips the kerneldumpheader; a raw copy of the dump device still has it.
bool has_dump_header(ByteView v) {
  return v.has(0, kDumpHeaderSize) &&
         (starts_with(v, "FreeBSD Kernel Dump") || starts_with(v, "FreeBSD Text Dump"));
}

}  // namespace

OpenedCore open_no_core() {
  OpenedCore opened;
  opened.format = &kNoCoreFormat;
  opened.image = std::make_unique<NoCoreImage>();
  return opened;
}

OpenedCore open_core(const ElfFile& kernel, const Symtab& symbols, ByteView file,
                     const std::string& path) {
  if (file.size() == 0) throw Error(Code::BAD_FORMAT, "core " + path + " is an empty file").path(path);
  if (file.has(0, 2) && file.data()[0] == 0x1f && file.data()[1] == 0x8b) {
    throw Error(Code::UNSUPPORTED, "core " + path +
                                       " is gzip-compressed; decompress it first (gunzip -k " +
                                       path + ")")
        .path(path);
  }
  if (file.has(0, 4) && file.u32(0) == 0xfd2fb528u) {
    throw Error(Code::UNSUPPORTED, "core " + path +
                                       " is zstd-compressed; decompress it first (zstd -d " +
                                       path + ")")
        .path(path);
  }
  if (starts_with(file, "Cleared Kernel Dump")) {
    throw Error(Code::BAD_FORMAT, "core " + path +
                                      " begins with a cleared kerneldumpheader: the dump device "
                                      "was already saved and cleared by savecore")
        .path(path);
  }
  uint64_t payload_offset = has_dump_header(file) ? kDumpHeaderSize : 0;
  ByteView payload = file.tail(payload_offset, "core payload");
  if (payload.size() == 0) {
    throw Error(Code::BAD_FORMAT, "core " + path + " holds only a kerneldumpheader").path(path);
  }

  ProbeInput probe{kernel, payload};
  for (const FormatDescriptor* f : core_formats()) {
    if (!f->probe(probe)) continue;
    OpenInput in{kernel, symbols, payload, payload_offset};
    OpenedCore opened;
    opened.format = f;
    opened.payload_offset = payload_offset;
    try {
      opened.image = f->open(in);
    } catch (Error& e) {
      if (e.path().empty()) e.path(path);
      throw;
    }
    return opened;
  }
  std::string first;
  for (uint64_t i = 0; i < 8 && payload.has(i, 1); i++) {
    char c = static_cast<char>(payload.data()[i]);
    first += (c >= 32 && c < 127) ? c : '.';
  }
  throw Error(Code::UNSUPPORTED, "core " + path + " is not a format we read for a " +
                                     machine_name(kernel.machine()) + " kernel (" +
                                     (kernel.is64() ? "64" : "32") + "-bit, first bytes \"" +
                                     first + "\")")
      .path(path);
}

}  // namespace kvm
