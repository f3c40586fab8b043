# Shared compiler settings for the addon (read by binding.gyp).
{
  'variables': {
    'kvm_warning_flags': ['-Wall', '-Wextra', '-Werror', '-Wno-unused-parameter', '-Wno-missing-field-initializers'],
  },
  'target_defaults': {
    'defines': [
      'NAPI_VERSION=8',
      # We throw C++ exceptions internally and translate them to KvmError at the boundary.
      'NAPI_CPP_EXCEPTIONS',
      'NODE_ADDON_API_DISABLE_DEPRECATED',
      # A worker terminated in the middle of a call cannot run JS: the error the call would throw
      # is dropped instead of escaping as a C++ exception (which ends the whole process).
      'NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS',
    ],
    'cflags!': ['-fno-exceptions'],
    'cflags_cc!': ['-fno-exceptions', '-fno-rtti'],
    'cflags_cc': ['-std=c++17', '-fvisibility=hidden', '<@(kvm_warning_flags)'],
    'xcode_settings': {
      'GCC_ENABLE_CPP_EXCEPTIONS': 'YES',
      'GCC_ENABLE_CPP_RTTI': 'YES',
      'CLANG_CXX_LANGUAGE_STANDARD': 'c++17',
      'GCC_SYMBOLS_PRIVATE_EXTERN': 'YES',
      'OTHER_CPLUSPLUSFLAGS': ['<@(kvm_warning_flags)'],
    },
    'msvs_settings': {
      'VCCLCompilerTool': { 'ExceptionHandling': 1, 'AdditionalOptions': ['/std:c++17'] },
    },
    'configurations': {
      'Debug': {
        'defines': ['KVM_DEBUG'],
        'cflags_cc': ['-O0', '-g'],
      },
      'Release': {
        'defines': ['NDEBUG'],
        'cflags_cc': ['-O2'],
      },
    },
  },
}
