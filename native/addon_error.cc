#include "addon_error.h"

Napi::Error to_js_error(Napi::Env env, const Napi::FunctionReference* cls, const kvm::Error& e) {
  Napi::Object fields = Napi::Object::New(env);
  if (e.has_address()) fields.Set("address", Napi::BigInt::New(env, e.address()));
  if (e.has_offset()) fields.Set("offset", Napi::BigInt::New(env, e.offset()));
  if (!e.path().empty()) fields.Set("path", e.path());
  if (!e.name().empty()) fields.Set("name", e.name());
  if (e.sys_errno()) fields.Set("errno", e.sys_errno());
  if (!cls || cls->IsEmpty()) {
    Napi::Error err = Napi::Error::New(env, e.message());
    err.Set("code", kvm::code_name(e.code()));
    return err;
  }
  return Napi::Error(env, cls->New({Napi::String::New(env, kvm::code_name(e.code())),
                                    Napi::String::New(env, e.message()), fields}));
}
