// Node-API bindings only. One wrapped object per open image with small positional methods;
// lib/native.ts types them once. kvm::Error becomes the TypeScript KvmError (handed in by
// setErrorClass); argument misuse becomes TypeError/RangeError.
#include <napi.h>

#include <vector>

#include "addon_dwarf.h"
#include "handle.h"

namespace {

using kvm::Code;

struct AddonData {
  Napi::FunctionReference error_class;
  Napi::FunctionReference native_class;
};

AddonData& data_of(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// Builds a KvmError(code, message, fields) and returns it as a throwable.
Napi::Error make_kvm_error(Napi::Env env, Code code, const std::string& message,
                           const kvm::Error* detail) {
  Napi::Object fields = Napi::Object::New(env);
  if (detail) {
    if (detail->has_address()) fields.Set("address", Napi::BigInt::New(env, detail->address()));
    if (detail->has_offset()) fields.Set("offset", Napi::BigInt::New(env, detail->offset()));
    if (!detail->path().empty()) fields.Set("path", detail->path());
    if (!detail->name().empty()) fields.Set("name", detail->name());
    if (detail->sys_errno()) fields.Set("errno", detail->sys_errno());
  }
  AddonData& data = data_of(env);
  if (data.error_class.IsEmpty()) {
    Napi::Error err = Napi::Error::New(env, message);
    err.Set("code", kvm::code_name(code));
    return err;
  }
  Napi::Value obj = data.error_class.New(
      {Napi::String::New(env, kvm::code_name(code)), Napi::String::New(env, message), fields});
  return Napi::Error(env, obj);
}

[[noreturn]] void throw_error(Napi::Env env, const kvm::Error& e) {
  throw make_kvm_error(env, e.code(), e.message(), &e);
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

class NativeKvm : public Napi::ObjectWrap<NativeKvm> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(
        env, "NativeKvm",
        {
            InstanceMethod<&NativeKvm::close>("close"),
            InstanceMethod<&NativeKvm::info>("info"),
            InstanceMethod<&NativeKvm::lookup>("lookup"),
            InstanceMethod<&NativeKvm::symbolize>("symbolize"),
            InstanceMethod<&NativeKvm::read>("read"),
            InstanceMethod<&NativeKvm::read_into>("readInto"),
            InstanceMethod<&NativeKvm::read_partial>("readPartial"),
            InstanceMethod<&NativeKvm::read_many>("readMany"),
            InstanceMethod<&NativeKvm::read_scalar<uint8_t, false>>("readU8"),
            InstanceMethod<&NativeKvm::read_scalar<uint16_t, false>>("readU16"),
            InstanceMethod<&NativeKvm::read_scalar<uint32_t, false>>("readU32"),
            InstanceMethod<&NativeKvm::read_scalar<int8_t, false>>("readS8"),
            InstanceMethod<&NativeKvm::read_scalar<int16_t, false>>("readS16"),
            InstanceMethod<&NativeKvm::read_scalar<int32_t, false>>("readS32"),
            InstanceMethod<&NativeKvm::read_u64>("readU64"),
            InstanceMethod<&NativeKvm::read_s64>("readS64"),
            InstanceMethod<&NativeKvm::read_word>("readWord"),
            InstanceMethod<&NativeKvm::read_cstring>("readCString"),
        });
  }

  NativeKvm(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeKvm>(info) {
    std::string kernel = string_arg(info, 0, "Expected kernel path to be a string");
    std::string core = string_arg(info, 1, "Expected core path to be a string");
    try {
      handle_ = std::make_unique<kvm::Handle>(kernel, core);
    } catch (const kvm::Error& e) {
      throw_error(info.Env(), e);
    }
  }

 private:
  kvm::Handle& h(Napi::Env env) {
    if (!handle_) throw make_kvm_error(env, Code::CLOSED, "the kvm handle is closed", nullptr);
    return *handle_;
  }

  Napi::Value close(const Napi::CallbackInfo& info) {
    handle_.reset();
    return info.Env().Undefined();
  }

  Napi::Value info(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    kvm::Handle& k = h(env);
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
    kvm::Handle& k = h(env);
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
    kvm::Handle& k = h(env);
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
    kvm::Handle& k = h(env);
    uint64_t va = address_arg(info, 0);
    uint64_t len = length_arg(info, 1, "Expected length to be a number");
    if (len > (uint64_t(1) << 31)) throw Napi::RangeError::New(env, "Length must be at most 2 GiB");
    Napi::Buffer<uint8_t> buf = Napi::Buffer<uint8_t>::New(env, len);
    kvm::ReadFault f;
    if (k.read(va, buf.Data(), len, &f) != len) throw_fault(env, f);
    return buf;
  }

  // readInto(addr, target: Uint8Array, len) -> len; throws like read.
  Napi::Value read_into(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    kvm::Handle& k = h(env);
    uint64_t va = address_arg(info, 0);
    if (!info[1].IsTypedArray()) throw_type(env, "Expected target to be a Uint8Array");
    Napi::Uint8Array target = info[1].As<Napi::Uint8Array>();
    uint64_t len = length_arg(info, 2, "Expected length to be a number");
    if (len > target.ByteLength()) throw Napi::RangeError::New(env, "Length exceeds the target buffer");
    kvm::ReadFault f;
    if (k.read(va, target.Data(), len, &f) != len) throw_fault(env, f);
    return Napi::Number::New(env, static_cast<double>(len));
  }

  // readPartial(addr, target, len) -> [copied, code | undefined, faultAddress | undefined, why]
  Napi::Value read_partial(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    kvm::Handle& k = h(env);
    uint64_t va = address_arg(info, 0);
    if (!info[1].IsTypedArray()) throw_type(env, "Expected target to be a Uint8Array");
    Napi::Uint8Array target = info[1].As<Napi::Uint8Array>();
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
    kvm::Handle& k = h(env);
    if (!info[0].IsTypedArray() ||
        info[0].As<Napi::TypedArray>().TypedArrayType() != napi_biguint64_array) {
      throw_type(env, "Expected addresses to be a BigUint64Array");
    }
    Napi::TypedArrayOf<uint64_t> addrs = info[0].As<Napi::TypedArrayOf<uint64_t>>();
    uint64_t size = length_arg(info, 1, "Expected element size to be a number");
    if (!info[2].IsTypedArray()) throw_type(env, "Expected target to be a Uint8Array");
    Napi::Uint8Array target = info[2].As<Napi::Uint8Array>();
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

  template <typename T, bool unused>
  Napi::Value read_scalar(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    kvm::Handle& k = h(env);
    uint64_t va = address_arg(info, 0);
    using U = std::make_unsigned_t<T>;
    U v;
    kvm::ReadFault f;
    if (!k.read_value<U>(va, &v, &f)) throw_fault(env, f);
    return Napi::Number::New(env, static_cast<double>(static_cast<T>(v)));
  }

  Napi::Value read_u64(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    kvm::Handle& k = h(env);
    uint64_t va = address_arg(info, 0);
    uint64_t v;
    kvm::ReadFault f;
    if (!k.read_value<uint64_t>(va, &v, &f)) throw_fault(env, f);
    return Napi::BigInt::New(env, v);
  }

  Napi::Value read_s64(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    kvm::Handle& k = h(env);
    uint64_t va = address_arg(info, 0);
    uint64_t v;
    kvm::ReadFault f;
    if (!k.read_value<uint64_t>(va, &v, &f)) throw_fault(env, f);
    return Napi::BigInt::New(env, static_cast<int64_t>(v));
  }

  Napi::Value read_word(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    kvm::Handle& k = h(env);
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
    kvm::Handle& k = h(env);
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

  std::unique_ptr<kvm::Handle> handle_;
};

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
  Napi::Function cls = NativeKvm::define(env);
  data->native_class = Napi::Persistent(cls);
  exports.Set("NativeKvm", cls);
  exports.Set("setErrorClass", Napi::Function::New(env, set_error_class, "setErrorClass"));
  exports.Set("formats", Napi::Function::New(env, list_formats, "formats"));
  register_dwarf(env, exports, &data->error_class);
  return exports;
}

}  // namespace

NODE_API_MODULE(kvm, init)
