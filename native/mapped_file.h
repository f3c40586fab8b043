// A file mapped read-only into memory. Cores are never opened for writing.
#pragma once

#include <cstdint>
#include <string>

#include "bytes.h"

namespace kvm {

class MappedFile {
 public:
  MappedFile() = default;
  // Opens and maps `path` read-only; throws Error(OS) naming the path and errno.
  explicit MappedFile(const std::string& path);
  // A private copy of `size` bytes held in memory and named `name` in messages: the same reader
  // over bytes that are not a file (fuzz targets). Never touches the file system.
  static MappedFile from_bytes(std::string name, const uint8_t* data, uint64_t size);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;

  const std::string& path() const { return path_; }
  const uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }
  bool is_open() const { return open_; }
  ByteView view(bool big_endian = false) const { return ByteView(data_, size_, big_endian, 0); }

 private:
  void release();

  std::string path_;
  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  bool open_ = false;
  bool heap_ = false;  // true where the bytes were read into memory instead of mapped
};

}  // namespace kvm
