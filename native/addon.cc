// Node-API bindings only. Each open image is an object of small positional functions (see Slot);
// lib/native.ts types them once. kvm::Error becomes the TypeScript KvmError (handed in by
// setErrorClass); argument misuse becomes TypeError/RangeError.
#include <napi.h>

#include <cerrno>
#include <new>
#include <optional>
#include <vector>

#include "addon_dwarf.h"
#include "addon_error.h"
#include "handle.h"

namespace {

using kvm::Code;

struct AddonData {
  Napi::FunctionReference error_class;
};

AddonData& data_of(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// A KvmError(code, message) without further fields.
Napi::Error make_kvm_error(Napi::Env env, Code code, const std::string& message) {
  return to_js_error(env, &data_of(env).error_class, kvm::Error(code, message));
}

[[noreturn]] void throw_error(Napi::Env env, const kvm::Error& e) {
  throw to_js_error(env, &data_of(env).error_class, e);
}

[[noreturn]] void throw_fault(Napi::Env env, const kvm::ReadFault& f) {
  kvm::Error e(f.code, f.why);
  e.address(f.address);
  throw_error(env, e);
}

[[noreturn]] void throw_type(Napi::Env env, const char* message) {
  throw Napi::TypeError::New(env, message);
}

uint64_t address_arg(const Napi::CallbackInfo& info, size_t i) {
  Napi::Value v = info[i];
  if (!v.IsBigInt()) throw_type(info.Env(), "Expected address to be a bigint");
  bool lossless = false;
  uint64_t va = v.As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) throw Napi::RangeError::New(info.Env(), "Address must be in [0, 2^64)");
  return va;
}

uint64_t length_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  Napi::Value v = info[i];
  if (!v.IsNumber()) throw_type(info.Env(), what);
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<uint64_t>(d))) {
    throw Napi::RangeError::New(info.Env(), std::string(what) + " (a non-negative integer)");
  }
  return static_cast<uint64_t>(d);
}

std::string string_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (!info[i].IsString()) throw_type(info.Env(), what);
  return info[i].As<Napi::String>().Utf8Value();
}

Napi::Value info_value(Napi::Env env, const kvm::InfoField& f) {
  if (f.is_number) return Napi::BigInt::New(env, f.number);
  return Napi::String::New(env, f.text);
}

// One open image. Its methods are functions bound to this slot (no object unwrapping on the hot
// path: Node-API's unwrap costs more than a whole read). Each function holds a reference; the
// slot is freed when the last of them is collected. close() drops the handle early.
struct Slot {
  std::unique_ptr<kvm::Handle> handle;
  int refs = 0;
};

kvm::Handle& h(const Napi::CallbackInfo& info) {
  Slot* slot = static_cast<Slot*>(info.Data());
  if (!slot->handle) {
    throw make_kvm_error(info.Env(), Code::CLOSED, "the kvm handle is closed");
  }
  return *slot->handle;
}

Napi::Value close_image(const Napi::CallbackInfo& info) {
  static_cast<Slot*>(info.Data())->handle.reset();
  return info.Env().Undefined();
}

Napi::Value image_info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  Napi::Object o = Napi::Object::New(env);
  o.Set("format", k.format().name);
  o.Set("formatDescription", k.format().description);
  o.Set("machine", kvm::machine_name(k.kernel().machine()));
  o.Set("machineCode", k.kernel().machine());
  o.Set("elfClass", k.kernel().is64() ? 64 : 32);
  o.Set("bigEndian", k.big_endian());
  o.Set("wordSize", k.word_size());
  o.Set("kernelType", k.kernel().type());
  o.Set("symbolCount", static_cast<double>(k.symbols().size()));
  o.Set("symbolSource", k.symbols().source());
  o.Set("payloadOffset", static_cast<double>(k.payload_offset()));
  o.Set("coreSize", Napi::BigInt::New(env, k.core_file().size()));
  o.Set("kerndisp", Napi::BigInt::New(env, k.image().kerndisp()));
  Napi::Object fields = Napi::Object::New(env);
  for (const kvm::InfoField& f : k.image().info()) fields.Set(f.key, info_value(env, f));
  o.Set("fields", fields);
  return o;
}

// lookup(name) -> [value, size, ntype, stt, bind, matchedName] | undefined
Napi::Value lookup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  std::string name = string_arg(info, 0, "Expected symbol name to be a string");
  const kvm::Symbol* s = k.symbols().lookup(name);
  if (!s) return env.Undefined();
  Napi::Array r = Napi::Array::New(env, 6);
  r.Set(0u, Napi::BigInt::New(env, s->value));
  r.Set(1u, Napi::BigInt::New(env, s->size));
  r.Set(2u, s->ntype);
  r.Set(3u, s->type);
  r.Set(4u, s->bind);
  r.Set(5u, Napi::String::New(env, s->name.data(), s->name.size()));
  return r;
}

// symbolize(addr) -> [name, offset, value, size] | undefined
Napi::Value symbolize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  uint64_t va = address_arg(info, 0);
  const kvm::Symbol* s = k.symbols().nearest(va);
  if (!s) return env.Undefined();
  Napi::Array r = Napi::Array::New(env, 4);
  r.Set(0u, Napi::String::New(env, s->name.data(), s->name.size()));
  r.Set(1u, Napi::BigInt::New(env, va - s->value));
  r.Set(2u, Napi::BigInt::New(env, s->value));
  r.Set(3u, Napi::BigInt::New(env, s->size));
  return r;
}

// read(addr, len) -> Buffer; throws FAULT/TRUNCATED naming the first unreadable address.
Napi::Value read(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  uint64_t va = address_arg(info, 0);
  uint64_t len = length_arg(info, 1, "Expected length to be a number");
  if (len > (uint64_t(1) << 31)) throw Napi::RangeError::New(env, "Length must be at most 2 GiB");
  Napi::Buffer<uint8_t> buf = Napi::Buffer<uint8_t>::New(env, len);
  kvm::ReadFault f;
  if (k.read(va, buf.Data(), len, &f) != len) throw_fault(env, f);
  return buf;
}

Napi::Uint8Array target_arg(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw_type(info.Env(), "Expected target to be a Uint8Array");
  }
  return info[i].As<Napi::Uint8Array>();
}

// readInto(addr, target: Uint8Array, len) -> len; throws like read.
Napi::Value read_into(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  uint64_t va = address_arg(info, 0);
  Napi::Uint8Array target = target_arg(info, 1);
  uint64_t len = length_arg(info, 2, "Expected length to be a number");
  if (len > target.ByteLength()) throw Napi::RangeError::New(env, "Length exceeds the target buffer");
  kvm::ReadFault f;
  if (k.read(va, target.Data(), len, &f) != len) throw_fault(env, f);
  return Napi::Number::New(env, static_cast<double>(len));
}

// readPartial(addr, target, len) -> [copied, code | undefined, faultAddress | undefined, why]
Napi::Value read_partial(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  uint64_t va = address_arg(info, 0);
  Napi::Uint8Array target = target_arg(info, 1);
  uint64_t len = length_arg(info, 2, "Expected length to be a number");
  if (len > target.ByteLength()) throw Napi::RangeError::New(env, "Length exceeds the target buffer");
  kvm::ReadFault f;
  size_t got = k.read(va, target.Data(), len, &f);
  Napi::Array r = Napi::Array::New(env, 4);
  r.Set(0u, Napi::Number::New(env, static_cast<double>(got)));
  if (got != len) {
    r.Set(1u, kvm::code_name(f.code));
    r.Set(2u, Napi::BigInt::New(env, f.address));
    r.Set(3u, f.why);
  }
  return r;
}

// readMany(addrs: BigUint64Array, size, target: Uint8Array) -> undefined; element i's bytes go
// to target[i*size .. (i+1)*size). Throws FAULT for the first unreadable element.
Napi::Value read_many(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  if (!info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_biguint64_array) {
    throw_type(env, "Expected addresses to be a BigUint64Array");
  }
  Napi::TypedArrayOf<uint64_t> addrs = info[0].As<Napi::TypedArrayOf<uint64_t>>();
  uint64_t size = length_arg(info, 1, "Expected element size to be a number");
  Napi::Uint8Array target = target_arg(info, 2);
  size_t n = addrs.ElementLength();
  if (size != 0 && n > target.ByteLength() / size) {
    throw Napi::RangeError::New(env, "Target buffer is smaller than addresses x size");
  }
  const uint64_t* a = addrs.Data();
  uint8_t* out = target.Data();
  kvm::ReadFault f;
  for (size_t i = 0; i < n; i++) {
    if (k.read(a[i], out + i * size, size, &f) != size) throw_fault(env, f);
  }
  return env.Undefined();
}

template <typename T>
Napi::Value read_scalar(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  uint64_t va = address_arg(info, 0);
  using U = std::make_unsigned_t<T>;
  U v;
  kvm::ReadFault f;
  if (!k.read_value<U>(va, &v, &f)) throw_fault(env, f);
  return Napi::Number::New(env, static_cast<double>(static_cast<T>(v)));
}

Napi::Value read_u64(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  uint64_t va = address_arg(info, 0);
  uint64_t v;
  kvm::ReadFault f;
  if (!k.read_value<uint64_t>(va, &v, &f)) throw_fault(env, f);
  return Napi::BigInt::New(env, v);
}

Napi::Value read_s64(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  uint64_t va = address_arg(info, 0);
  uint64_t v;
  kvm::ReadFault f;
  if (!k.read_value<uint64_t>(va, &v, &f)) throw_fault(env, f);
  return Napi::BigInt::New(env, static_cast<int64_t>(v));
}

Napi::Value read_word(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  uint64_t va = address_arg(info, 0);
  uint64_t v;
  kvm::ReadFault f;
  if (!k.read_word(va, &v, &f)) throw_fault(env, f);
  return Napi::BigInt::New(env, v);
}

// readCString(addr, max) -> string of the bytes before the first NUL (at most max bytes).
// Throws FAULT if an unreadable byte comes before the NUL and before max.
Napi::Value read_cstring(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  uint64_t va = address_arg(info, 0);
  uint64_t max = length_arg(info, 1, "Expected max length to be a number");
  if (max > (uint64_t(1) << 26)) throw Napi::RangeError::New(env, "Max length must be at most 64 MiB");
  std::string out;
  uint8_t chunk[256];
  while (out.size() < max) {
    uint64_t cur = va + out.size();
    // Stay inside one page per step so a NUL before an unreadable page ends the string cleanly.
    uint64_t n = std::min<uint64_t>({sizeof chunk, max - out.size(), 4096 - (cur & 4095)});
    kvm::ReadFault f;
    size_t got = k.read(cur, chunk, n, &f);
    const void* nul = std::memchr(chunk, 0, got);
    if (nul) {
      out.append(reinterpret_cast<const char*>(chunk), static_cast<const uint8_t*>(nul) - chunk);
      return Napi::String::New(env, out);
    }
    out.append(reinterpret_cast<const char*>(chunk), got);
    if (got != n) throw_fault(env, f);
  }
  return Napi::String::New(env, out);
}

std::optional<uint64_t> optional_address(const Napi::CallbackInfo& info, size_t i) {
  if (info[i].IsUndefined() || info[i].IsNull()) return std::nullopt;
  return address_arg(info, i);
}

Napi::Value optional_bigint(Napi::Env env, std::optional<uint64_t> v) {
  return v ? Napi::Value(Napi::BigInt::New(env, *v)) : env.Null();
}

// resolve(name, order, vnetBase?, cpuOffset?, useSelection = true) ->
//   [value, size, ntype, stt, bind, matchedName, kind] | undefined   (kind: 0 plain, 1 vnet, 2 pcpu)
Napi::Value resolve(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  std::string name = string_arg(info, 0, "Expected symbol name to be a string");
  uint64_t order = length_arg(info, 1, "Expected order to be 0 (libkvm) or 1 (ddb)");
  if (order > 1) throw Napi::RangeError::New(env, "Order must be 0 (libkvm) or 1 (ddb)");
  kvm::Resolved r;
  bool use_selection = !info[4].IsBoolean() || info[4].As<Napi::Boolean>().Value();
  if (!k.translator().resolve(name, static_cast<kvm::ResolveOrder>(order), optional_address(info, 2),
                              optional_address(info, 3), &r, use_selection)) {
    return env.Undefined();
  }
  Napi::Array a = Napi::Array::New(env, 7);
  a.Set(0u, Napi::BigInt::New(env, r.value));
  a.Set(1u, Napi::BigInt::New(env, r.symbol->size));
  a.Set(2u, r.symbol->ntype);
  a.Set(3u, r.symbol->type);
  a.Set(4u, r.symbol->bind);
  a.Set(5u, Napi::String::New(env, r.symbol->name.data(), r.symbol->name.size()));
  a.Set(6u, static_cast<int>(r.kind));
  return a;
}

// select(vnetBase | null, cpuOffset | null): the handle's translation state.
Napi::Value select_translation(const Napi::CallbackInfo& info) {
  kvm::Handle& k = h(info);
  std::optional<uint64_t> vnet = optional_address(info, 0);
  std::optional<uint64_t> cpu = optional_address(info, 1);
  k.translator().select_vnet(vnet);
  k.translator().select_cpu(cpu);
  return info.Env().Undefined();
}

// translation() -> [vnetSetStart, vnetSetStop, pcpuSetStart, pcpuSetStop, vnetBase, cpuOffset]
// (null where absent)
Napi::Value translation_state(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Translator& t = h(info).translator();
  Napi::Array a = Napi::Array::New(env, 6);
  const auto& v = t.vnet_set();
  const auto& p = t.pcpu_set();
  a.Set(0u, optional_bigint(env, v ? std::optional<uint64_t>(v->start) : std::nullopt));
  a.Set(1u, optional_bigint(env, v ? std::optional<uint64_t>(v->stop) : std::nullopt));
  a.Set(2u, optional_bigint(env, p ? std::optional<uint64_t>(p->start) : std::nullopt));
  a.Set(3u, optional_bigint(env, p ? std::optional<uint64_t>(p->stop) : std::nullopt));
  a.Set(4u, optional_bigint(env, t.selected_vnet()));
  a.Set(5u, optional_bigint(env, t.selected_cpu()));
  return a;
}

// readArray(addr, count, width 4|8) -> BigUint64Array of values in the kernel's byte order.
Napi::Value read_array(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  uint64_t va = address_arg(info, 0);
  uint64_t count = length_arg(info, 1, "Expected count to be a number");
  uint64_t width = length_arg(info, 2, "Expected width to be 4 or 8");
  if (width != 4 && width != 8) throw Napi::RangeError::New(env, "Width must be 4 or 8");
  if (count > (uint64_t(1) << 26)) throw Napi::RangeError::New(env, "Count must be at most 2^26");
  Napi::BigUint64Array out = Napi::BigUint64Array::New(env, count);
  kvm::ReadFault f;
  if (!k.read_array(va, count, static_cast<unsigned>(width), out.Data(), &f)) throw_fault(env, f);
  return out;
}

Napi::TypedArrayOf<uint64_t> u64_array_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (!info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_biguint64_array) {
    throw_type(info.Env(), what);
  }
  return info[i].As<Napi::TypedArrayOf<uint64_t>>();
}

// sumGather(bases, offsets, out[, faults: Uint32Array]) -> total unreadable slots.
// out[i] = sum_j u64(bases[i] + offsets[j]) modulo 2^64.
Napi::Value sum_gather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  auto bases = u64_array_arg(info, 0, "Expected bases to be a BigUint64Array");
  auto offsets = u64_array_arg(info, 1, "Expected offsets to be a BigUint64Array");
  auto out = u64_array_arg(info, 2, "Expected out to be a BigUint64Array");
  if (out.ElementLength() < bases.ElementLength()) {
    throw Napi::RangeError::New(env, "out is shorter than bases");
  }
  uint32_t* faults = nullptr;
  if (!info[3].IsUndefined()) {
    if (!info[3].IsTypedArray() || info[3].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
      throw_type(env, "Expected faults to be a Uint32Array");
    }
    Napi::Uint32Array fa = info[3].As<Napi::Uint32Array>();
    if (fa.ElementLength() < bases.ElementLength()) {
      throw Napi::RangeError::New(env, "faults is shorter than bases");
    }
    faults = fa.Data();
  }
  uint64_t missed = k.sum_gather(bases.Data(), bases.ElementLength(), offsets.Data(),
                                 offsets.ElementLength(), out.Data(), faults);
  return Napi::Number::New(env, static_cast<double>(missed));
}

// readPhys(pa, len) -> Buffer of physical memory; throws FAULT/TRUNCATED naming the first
// unreadable physical address, UNSUPPORTED for cores without physical memory.
Napi::Value read_phys(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  uint64_t pa = address_arg(info, 0);
  uint64_t len = length_arg(info, 1, "Expected length to be a number");
  if (len > (uint64_t(1) << 31)) throw Napi::RangeError::New(env, "Length must be at most 2 GiB");
  Napi::Buffer<uint8_t> buf = Napi::Buffer<uint8_t>::New(env, len);
  kvm::ReadFault f;
  size_t got = k.read_phys(pa, buf.Data(), len, &f);
  if (got != len) throw_fault(env, f);
  return buf;
}

// walkPages(cursor, max) -> undefined when the format has no walker, else
// [nextCursor, done, words: BigUint64Array(5 * n), prot: Uint8Array(n)] where record i is
// words[5i..5i+4] = paddr, kmap va, dmap va, payload offset (2^64-1 = none), length.
Napi::Value walk_pages(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  uint64_t cursor = address_arg(info, 0);
  uint64_t max = length_arg(info, 1, "Expected max records to be a number");
  if (max == 0 || max > (uint64_t(1) << 20)) {
    throw Napi::RangeError::New(env, "Max records must be in [1, 2^20]");
  }
  std::vector<uint64_t> words;
  std::vector<uint8_t> prot;
  words.reserve(std::min<uint64_t>(max, 4096) * 5);
  bool done = false;
  bool has = k.image().walk_pages_from(&cursor, &done, [&](const kvm::PageRecord& r) {
    words.insert(words.end(), {r.paddr, r.kmap_vaddr, r.dmap_vaddr, static_cast<uint64_t>(r.offset), r.len});
    prot.push_back(static_cast<uint8_t>(r.prot));
    return prot.size() < max;
  });
  if (!has) return env.Undefined();
  Napi::TypedArrayOf<uint64_t> w = Napi::TypedArrayOf<uint64_t>::New(env, words.size());
  if (!words.empty()) std::memcpy(w.Data(), words.data(), words.size() * 8);
  Napi::Uint8Array p = Napi::Uint8Array::New(env, prot.size());
  if (!prot.empty()) std::memcpy(p.Data(), prot.data(), prot.size());
  Napi::Array r = Napi::Array::New(env, 4);
  r.Set(0u, Napi::BigInt::New(env, cursor));
  r.Set(1u, Napi::Boolean::New(env, done));
  r.Set(2u, w);
  r.Set(3u, p);
  return r;
}

// msgbuf() -> Buffer (a copy of the saved kernel message buffer) | undefined
Napi::Value saved_msgbuf(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  kvm::ByteView m = k.image().msgbuf();
  if (m.data() == nullptr) return env.Undefined();
  return Napi::Buffer<uint8_t>::Copy(env, m.data(), m.size());
}

// kernelSegments() -> [[vaddr, memsz, bytes (the p_filesz bytes, copied)], ...] of the kernel's
// PT_LOADs, for tools that lay the kernel image out in memory (the simulator).
Napi::Value kernel_segments(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm::Handle& k = h(info);
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  try {
    for (const kvm::ElfSegment& p : k.kernel().segments()) {
      if (p.type != kvm::elfc::PT_LOAD) continue;
      kvm::ByteView bytes = k.kernel().file().sub(p.offset, p.filesz, "kernel PT_LOAD");
      Napi::Array seg = Napi::Array::New(env, 3);
      seg.Set(0u, Napi::BigInt::New(env, p.vaddr));
      seg.Set(1u, Napi::BigInt::New(env, p.memsz));
      seg.Set(2u, Napi::Buffer<uint8_t>::Copy(env, bytes.data(), bytes.size()));
      out.Set(n++, seg);
    }
  } catch (const kvm::Error& e) {
    throw_error(env, e);
  }
  return out;
}

void release_slot(napi_env, void* data, void*) {
  Slot* slot = static_cast<Slot*>(data);
  if (--slot->refs == 0) delete slot;
}

// Every bound function runs behind this: a kvm::Error becomes a KvmError, running out of memory
// a KvmError OS (ENOMEM). node-addon-api passes on only Napi::Error; any other C++ exception
// leaving a callback would end the process.
template <Napi::Function::Callback M>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  try {
    return M(info);
  } catch (const kvm::Error& e) {
    throw_error(info.Env(), e);
  } catch (const std::bad_alloc&) {
    kvm::Error e(Code::OS, "out of memory");
    throw_error(info.Env(), e.sys_errno(ENOMEM));
  }
}

template <Napi::Function::Callback M>
void bind(Napi::Env env, Napi::Object obj, const char* name, Slot* slot) {
  Napi::Function fn = Napi::Function::New<guarded<M>>(env, name, slot);
  slot->refs++;
  if (napi_add_finalizer(env, fn, slot, release_slot, nullptr, nullptr) != napi_ok) {
    slot->refs--;
    throw Napi::Error::New(env, "cannot attach a finalizer");
  }
  obj.Set(name, fn);
}

// open(kernelPath, corePath) -> an object of functions bound to the opened image.
Napi::Value open_image(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string kernel = string_arg(info, 0, "Expected kernel path to be a string");
  std::string core;
  if (!info[1].IsNull() && !info[1].IsUndefined()) {
    core = string_arg(info, 1, "Expected core path to be a string or null");
    if (core.empty()) throw Napi::TypeError::New(env, "Expected core path to be non-empty");
  }
  auto slot = std::make_unique<Slot>();
  slot->handle = std::make_unique<kvm::Handle>(kernel, core);
  Slot* s = slot.release();
  s->refs = 1;  // held by this call until the functions own it
  Napi::Object obj = Napi::Object::New(env);
  try {
    bind<close_image>(env, obj, "close", s);
    bind<image_info>(env, obj, "info", s);
    bind<lookup>(env, obj, "lookup", s);
    bind<symbolize>(env, obj, "symbolize", s);
    bind<read>(env, obj, "read", s);
    bind<read_into>(env, obj, "readInto", s);
    bind<read_partial>(env, obj, "readPartial", s);
    bind<read_many>(env, obj, "readMany", s);
    bind<read_scalar<uint8_t>>(env, obj, "readU8", s);
    bind<read_scalar<uint16_t>>(env, obj, "readU16", s);
    bind<read_scalar<uint32_t>>(env, obj, "readU32", s);
    bind<read_scalar<int8_t>>(env, obj, "readS8", s);
    bind<read_scalar<int16_t>>(env, obj, "readS16", s);
    bind<read_scalar<int32_t>>(env, obj, "readS32", s);
    bind<read_u64>(env, obj, "readU64", s);
    bind<read_s64>(env, obj, "readS64", s);
    bind<read_word>(env, obj, "readWord", s);
    bind<read_cstring>(env, obj, "readCString", s);
    bind<read_array>(env, obj, "readArray", s);
    bind<sum_gather>(env, obj, "sumGather", s);
    bind<resolve>(env, obj, "resolve", s);
    bind<select_translation>(env, obj, "select", s);
    bind<translation_state>(env, obj, "translation", s);
    bind<read_phys>(env, obj, "readPhys", s);
    bind<walk_pages>(env, obj, "walkPages", s);
    bind<saved_msgbuf>(env, obj, "msgbuf", s);
    bind<kernel_segments>(env, obj, "kernelSegments", s);
  } catch (...) {
    release_slot(env, s, nullptr);
    throw;
  }
  release_slot(env, s, nullptr);
  return obj;
}

Napi::Value set_error_class(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) throw_type(info.Env(), "Expected the KvmError class");
  data_of(info.Env()).error_class = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value list_formats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto& table = kvm::core_formats();
  Napi::Array r = Napi::Array::New(env, table.size());
  for (size_t i = 0; i < table.size(); i++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", table[i]->name);
    o.Set("description", table[i]->description);
    r.Set(static_cast<uint32_t>(i), o);
  }
  return r;
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData<AddonData>(data);
  exports.Set("open", Napi::Function::New<guarded<open_image>>(env, "open"));
  exports.Set("setErrorClass", Napi::Function::New(env, set_error_class, "setErrorClass"));
  exports.Set("formats", Napi::Function::New(env, list_formats, "formats"));
  register_dwarf(env, exports, &data->error_class);
  return exports;
}

}  // namespace

NODE_API_MODULE(kvm, init)
