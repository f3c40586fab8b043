// kvm::Error -> the TypeScript KvmError, shared by the addon's bindings (addon.cc, addon_dwarf.cc).
#pragma once

#include <napi.h>

#include "error.h"

// Builds KvmError(code, message, fields) with the class handed to setErrorClass (`cls`), or a
// plain Error with a `code` property before the class is set.
Napi::Error to_js_error(Napi::Env env, const Napi::FunctionReference* cls, const kvm::Error& e);
