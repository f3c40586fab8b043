// Node-API glue for the DWARF reader: class NativeDwarf with positional methods (typed in
// lib/native.ts). kvm::Error becomes KvmError; misuse becomes TypeError/RangeError.
#include "addon_dwarf.h"

#include <cerrno>
#include <memory>
#include <new>

#include "dwarf.h"
#include "addon_error.h"
#include "inflate.h"

namespace {

using kvm::Code;

// Builds a KvmError(code, message, fields) from the class the addon was handed.
Napi::Error to_js_error(Napi::Env env, Napi::FunctionReference* cls, const kvm::Error& e,
                        const std::string& path) {
  std::string file = e.path().empty() ? path : e.path();
  // Name the file unless the message already does.
  if (file.empty() || e.message().find(file) != std::string::npos) {
    kvm::Error named = e;
    if (!file.empty()) named.path(file);
    return ::to_js_error(env, cls, named);
  }
  kvm::Error named(e.code(), file + ": " + e.message());
  named = named.path(file).name(e.name()).sys_errno(e.sys_errno());
  if (e.has_address()) named.address(e.address());
  if (e.has_offset()) named.offset(e.offset());
  return ::to_js_error(env, cls, named);
}

// Anything that is not a kvm::Error (allocation failure, a library exception) still becomes a
// KvmError instead of escaping Node-API and ending the process.
kvm::Error from_std(const std::exception& e) {
  if (dynamic_cast<const std::bad_alloc*>(&e)) {
    return kvm::Error(Code::OS, "out of memory reading DWARF").sys_errno(ENOMEM);
  }
  return kvm::Error(Code::OS, std::string("internal error reading DWARF: ") + e.what());
}

Napi::FunctionReference* error_class_of(const Napi::CallbackInfo& info) {
  return static_cast<Napi::FunctionReference*>(info.Data());
}

std::string string_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (!info[i].IsString()) throw Napi::TypeError::New(info.Env(), what);
  return info[i].As<Napi::String>().Utf8Value();
}

uint64_t id_arg(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), "Expected type id to be a number");
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<uint64_t>(d))) {
    throw Napi::RangeError::New(info.Env(), "Type id must be a non-negative integer");
  }
  return static_cast<uint64_t>(d);
}

Napi::Value num(Napi::Env env, uint64_t v) { return Napi::Number::New(env, static_cast<double>(v)); }

// Runs `fn`, turning kvm::Error (and other C++ exceptions) into KvmError naming `path`; errors
// already made for JavaScript pass through.
template <typename F>
Napi::Value guard(Napi::Env env, Napi::FunctionReference* cls, const std::string& path, F&& fn) {
  try {
    return fn();
  } catch (const kvm::Error& e) {
    throw to_js_error(env, cls, e, path);
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw to_js_error(env, cls, from_std(e), path);
  }
}

class NativeDwarf : public Napi::ObjectWrap<NativeDwarf> {
 public:
  static Napi::Function define(Napi::Env env, Napi::FunctionReference* error_class) {
    return DefineClass(
        env, "NativeDwarf",
        {
            InstanceMethod<&NativeDwarf::close>("close"),
            InstanceMethod<&NativeDwarf::find_type>("findType"),
            InstanceMethod<&NativeDwarf::type_info>("typeInfo"),
            InstanceMethod<&NativeDwarf::find_variable>("findVariable"),
            InstanceMethod<&NativeDwarf::stats>("stats"),
            StaticMethod<&NativeDwarf::probe>("probe", napi_default, error_class),
            StaticMethod<&NativeDwarf::crc32>("crc32", napi_default, error_class),
            StaticMethod<&NativeDwarf::inflate>("inflate", napi_default, error_class),
        },
        error_class);
  }

  NativeDwarf(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeDwarf>(info) {
    error_class_ = error_class_of(info);
    path_ = string_arg(info, 0, "Expected the path of an ELF file with DWARF");
    guard(info.Env(), error_class_, path_, [&] {
      reader_ = std::make_unique<kvm::DwarfReader>(path_);
      return info.Env().Undefined();
    });
  }

 private:
  kvm::DwarfReader& reader(Napi::Env env) {
    if (!reader_) {
      throw to_js_error(env, error_class_, kvm::Error(Code::CLOSED, "the DWARF reader is closed"),
                        path_);
    }
    return *reader_;
  }

  // Runs `fn`, turning kvm::Error into KvmError naming this reader's file.
  template <typename F>
  Napi::Value guarded(Napi::Env env, F&& fn) {
    return guard(env, error_class_, path_, std::forward<F>(fn));
  }

  Napi::Value close(const Napi::CallbackInfo& info) {
    reader_.reset();
    return info.Env().Undefined();
  }

  // findType(kind: 'struct'|'union'|'enum'|'typedef'|'base', name) -> id | undefined
  Napi::Value find_type(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string kind_s = string_arg(info, 0, "Expected kind to be a string");
    std::string name = string_arg(info, 1, "Expected type name to be a string");
    kvm::NameKind kind;
    if (!kvm::parse_name_kind(kind_s, &kind) || kind == kvm::NameKind::kVariable) {
      throw Napi::RangeError::New(env, "Kind must be one of struct, union, enum, typedef, base");
    }
    uint64_t id;
    if (!reader(env).find_type(kind, name, &id)) return env.Undefined();
    return num(env, id);
  }

  Napi::Value type_info(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint64_t id = id_arg(info, 0);
    kvm::DwarfReader& r = reader(env);
    return guarded(env, [&]() -> Napi::Value {
      const kvm::TypeInfo& t = r.type_info(id);
      Napi::Object o = Napi::Object::New(env);
      o.Set("id", num(env, t.id));
      o.Set("kind", kvm::type_kind_name(t.kind));
      if (!t.name.empty()) o.Set("name", t.name);
      if (t.has_size) o.Set("size", num(env, t.size));
      if (t.has_target) o.Set("target", num(env, t.target));
      if (t.incomplete) o.Set("incomplete", true);
      if (t.kind == kvm::TypeKind::kBase) o.Set("encoding", t.encoding);
      if (t.kind == kvm::TypeKind::kStruct || t.kind == kvm::TypeKind::kUnion ||
          t.kind == kvm::TypeKind::kClass) {
        Napi::Array ms = Napi::Array::New(env, t.members.size());
        for (size_t i = 0; i < t.members.size(); i++) {
          const kvm::MemberInfo& m = t.members[i];
          Napi::Object mo = Napi::Object::New(env);
          mo.Set("name", m.name);
          if (m.has_type) mo.Set("typeId", num(env, m.type));
          mo.Set("offset", num(env, m.offset));
          mo.Set("bitOffset", num(env, m.bit_offset));
          mo.Set("bitSize", m.bit_size);
          ms.Set(static_cast<uint32_t>(i), mo);
        }
        o.Set("members", ms);
      }
      if (t.kind == kvm::TypeKind::kArray) {
        Napi::Array dims = Napi::Array::New(env, t.dims.size());
        for (size_t i = 0; i < t.dims.size(); i++) {
          dims.Set(static_cast<uint32_t>(i), t.dims[i] < 0 ? env.Null() : num(env, t.dims[i]));
        }
        o.Set("dims", dims);
      }
      if (t.kind == kvm::TypeKind::kEnum) {
        o.Set("signed", t.is_signed);
        Napi::Array es = Napi::Array::New(env, t.enumerators.size());
        for (size_t i = 0; i < t.enumerators.size(); i++) {
          Napi::Object eo = Napi::Object::New(env);
          eo.Set("name", t.enumerators[i].name);
          uint64_t v = t.enumerators[i].value;
          eo.Set("value", t.is_signed ? Napi::BigInt::New(env, static_cast<int64_t>(v))
                                      : Napi::BigInt::New(env, v));
          es.Set(static_cast<uint32_t>(i), eo);
        }
        o.Set("enumerators", es);
      }
      if (t.kind == kvm::TypeKind::kFunction) {
        Napi::Array ps = Napi::Array::New(env, t.params.size());
        for (size_t i = 0; i < t.params.size(); i++) {
          ps.Set(static_cast<uint32_t>(i), t.params[i] ? num(env, t.params[i]) : env.Null());
        }
        o.Set("params", ps);
        o.Set("variadic", t.variadic);
        o.Set("prototyped", t.prototyped);
      }
      return o;
    });
  }

  // findVariable(name) -> { id, typeId?, address?: bigint, declaration, external } | undefined
  Napi::Value find_variable(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string name = string_arg(info, 0, "Expected variable name to be a string");
    kvm::DwarfReader& r = reader(env);
    return guarded(env, [&]() -> Napi::Value {
      kvm::VariableInfo v;
      if (!r.find_variable(name, &v)) return env.Undefined();
      Napi::Object o = Napi::Object::New(env);
      o.Set("id", num(env, v.id));
      if (v.has_type) o.Set("typeId", num(env, v.type));
      if (v.has_address) o.Set("address", Napi::BigInt::New(env, v.address));
      o.Set("declaration", v.declaration);
      o.Set("external", v.external);
      return o;
    });
  }

  Napi::Value stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    kvm::DwarfReader& r = reader(env);
    kvm::DwarfStats s = r.stats();
    Napi::Object o = Napi::Object::New(env);
    o.Set("path", r.path());
    o.Set("addressSize", r.address_size());
    o.Set("bigEndian", r.big_endian());
    o.Set("units", num(env, s.units));
    o.Set("typeUnits", num(env, s.type_units));
    o.Set("dies", num(env, s.dies));
    o.Set("maxVersion", s.max_version);
    static const char* const kKinds[] = {"struct", "union", "enum", "typedef", "base", "variable"};
    Napi::Object names = Napi::Object::New(env);
    for (size_t k = 0; k < kvm::kNameKinds; k++) names.Set(kKinds[k], num(env, s.names[k]));
    o.Set("names", names);
    o.Set("indexMs", s.index_ms);
    o.Set("compressedSections", s.compressed_sections);
    o.Set("inflatedBytes", num(env, s.inflated_bytes));
    o.Set("infoBytes", num(env, s.info_bytes));
    o.Set("cachedTypes", num(env, s.cached_types));
    return o;
  }

  // probe(path) -> { isElf, hasDwarf, debuglink?, debuglinkCrc? }
  static Napi::Value probe(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string path = string_arg(info, 0, "Expected a path");
    return guard(env, error_class_of(info), path, [&]() -> Napi::Value {
      kvm::DebugFileProbe p = kvm::probe_debug_file(path);
      Napi::Object o = Napi::Object::New(env);
      o.Set("isElf", p.is_elf);
      o.Set("hasDwarf", p.has_dwarf);
      if (p.link.present) {
        o.Set("debuglink", p.link.name);
        o.Set("debuglinkCrc", num(env, p.link.crc));
      }
      return o;
    });
  }

  // crc32(path) -> the file's CRC-32 as .gnu_debuglink computes it
  static Napi::Value crc32(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string path = string_arg(info, 0, "Expected a path");
    return guard(env, error_class_of(info), path, [&] { return num(env, kvm::file_crc32(path)); });
  }

  // inflate(zlibStream: Uint8Array, size) -> Buffer of exactly `size` bytes (the section decoder,
  // exposed for tests).
  static Napi::Value inflate(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!info[0].IsTypedArray()) throw Napi::TypeError::New(env, "Expected a Uint8Array");
    Napi::Uint8Array in = info[0].As<Napi::Uint8Array>();
    uint64_t size = id_arg(info, 1);
    return guard(env, error_class_of(info), "", [&]() -> Napi::Value {
      kvm::Inflated out =
          kvm::inflate_zlib(kvm::ByteView(in.Data(), in.ByteLength()), size, "zlib stream");
      return Napi::Buffer<uint8_t>::Copy(env, out.data.get(), out.size);
    });
  }

  Napi::FunctionReference* error_class_ = nullptr;
  std::string path_;
  std::unique_ptr<kvm::DwarfReader> reader_;
};

}  // namespace

void register_dwarf(Napi::Env env, Napi::Object exports, Napi::FunctionReference* error_class) {
  exports.Set("NativeDwarf", NativeDwarf::define(env, error_class));
}
