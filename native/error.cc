#include "error.h"

#include <cstdio>

namespace kvm {

namespace {
// Index = Code value. Keep in step with the enum and with lib/errors.ts.
const char* const kCodeNames[] = {
    "BAD_FORMAT", "UNSUPPORTED", "FAULT", "TRUNCATED", "NO_SYMBOL", "NO_TYPE", "NO_TYPES",
    "NO_VNET",    "NO_CPU",      "CORRUPT", "CLOSED",  "OS",        "READ_ONLY",
};
static_assert(sizeof(kCodeNames) / sizeof(kCodeNames[0]) == static_cast<int>(Code::COUNT_),
              "one name per error code");
}  // namespace

const char* code_name(Code code) {
  int i = static_cast<int>(code);
  if (i < 0 || i >= static_cast<int>(Code::COUNT_)) return "UNKNOWN";
  return kCodeNames[i];
}

std::string hex(uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
  return buf;
}

}  // namespace kvm
