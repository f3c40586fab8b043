#include "mapped_file.h"

#include <cerrno>
#include <cstring>
#include <utility>

#ifdef _WIN32
#include <cstdio>
#include <vector>
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace kvm {

namespace {
Error os_error(const std::string& what, const std::string& path, int err) {
  return Error(Code::OS, what + " " + path + ": " + std::strerror(err)).path(path).sys_errno(err);
}
}  // namespace

#ifdef _WIN32
MappedFile::MappedFile(const std::string& path) : path_(path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw os_error("cannot open", path, errno);
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) bytes.insert(bytes.end(), chunk, chunk + n);
  std::fclose(f);
  size_ = bytes.size();
  if (size_) {
    uint8_t* copy = new uint8_t[size_];
    std::memcpy(copy, bytes.data(), size_);
    data_ = copy;
    heap_ = true;
  }
  open_ = true;
}
#else
MappedFile::MappedFile(const std::string& path) : path_(path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw os_error("cannot open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    throw os_error("cannot stat", path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw os_error("cannot map", path, EISDIR);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(Code::UNSUPPORTED, path + " is not a regular file (devices and pipes are not read)")
        .path(path);
  }
  size_ = static_cast<uint64_t>(st.st_size);
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      int err = errno;
      ::close(fd);
      throw os_error("cannot map", path, err);
    }
    data_ = static_cast<const uint8_t*>(p);
  }
  ::close(fd);  // the mapping keeps the file's pages reachable
  open_ = true;
}
#endif

MappedFile MappedFile::from_bytes(std::string name, const uint8_t* data, uint64_t size) {
  MappedFile f;
  f.path_ = std::move(name);
  f.size_ = size;
  if (size) {
    uint8_t* copy = new uint8_t[size];
    std::memcpy(copy, data, size);
    f.data_ = copy;
    f.heap_ = true;
  }
  f.open_ = true;
  return f;
}

MappedFile::~MappedFile() { release(); }

MappedFile::MappedFile(MappedFile&& other) noexcept { *this = std::move(other); }

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    release();
    path_ = std::move(other.path_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    open_ = std::exchange(other.open_, false);
    heap_ = std::exchange(other.heap_, false);
  }
  return *this;
}

void MappedFile::release() {
  if (data_) {
#ifdef _WIN32
    delete[] data_;
#else
    if (heap_) delete[] data_;
    else ::munmap(const_cast<uint8_t*>(data_), size_);
#endif
  }
  data_ = nullptr;
  size_ = 0;
  open_ = false;
  heap_ = false;
}

}  // namespace kvm
