// The one error type of the native core. Parsers and readers throw kvm::Error; the addon turns it
// into the TypeScript KvmError (codes as strings, table in error.cc). Hot paths return Status instead.
#pragma once

#include <cstdint>
#include <exception>
#include <string>

namespace kvm {

// Closed set; the string names in error.cc must match lib/errors.ts.
enum class Code : int {
  BAD_FORMAT,   // the file is not what it claims (bad header, offsets past EOF, ...)
  UNSUPPORTED,  // a valid file of a kind we do not read (compressed core, 64K pages, ...)
  FAULT,        // an address that is not in the image
  TRUNCATED,    // the image maps the address but the file ends before its bytes
  NO_SYMBOL,
  NO_TYPE,
  NO_TYPES,     // no debug information at all
  NO_VNET,
  NO_CPU,
  CORRUPT,      // kernel data that cannot be right (cyclic list, bad magic, ...)
  CLOSED,
  OS,           // a system call failed (errno in the error)
  READ_ONLY,    // writes to a dump
  COUNT_
};

const char* code_name(Code code);

class Error : public std::exception {
 public:
  Error(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code() const { return code_; }
  const char* what() const noexcept override { return message_.c_str(); }
  const std::string& message() const { return message_; }

  // Optional context; each setter returns *this so a throw site reads as one expression.
  Error& address(uint64_t va) { has_address_ = true; address_ = va; return *this; }
  Error& offset(uint64_t off) { has_offset_ = true; offset_ = off; return *this; }
  Error& path(std::string p) { path_ = std::move(p); return *this; }
  Error& name(std::string n) { name_ = std::move(n); return *this; }
  Error& sys_errno(int e) { errno_ = e; return *this; }

  bool has_address() const { return has_address_; }
  uint64_t address() const { return address_; }
  bool has_offset() const { return has_offset_; }
  uint64_t offset() const { return offset_; }
  const std::string& path() const { return path_; }
  const std::string& name() const { return name_; }
  int sys_errno() const { return errno_; }

 private:
  Code code_;
  std::string message_;
  bool has_address_ = false;
  uint64_t address_ = 0;
  bool has_offset_ = false;
  uint64_t offset_ = 0;
  std::string path_;
  std::string name_;
  int errno_ = 0;
};

// "0x1f" style formatting for messages.
std::string hex(uint64_t value);

}  // namespace kvm
