// Registers the NativeDwarf class (types from an ELF file's DWARF, independent of any core).
#pragma once

#include <napi.h>

// `error_class` is the addon's reference to the KvmError class (set later by setErrorClass); it
// must outlive the environment's use of NativeDwarf.
void register_dwarf(Napi::Env env, Napi::Object exports, Napi::FunctionReference* error_class);
