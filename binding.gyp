{
  'includes': ['common.gypi'],
  'targets': [
    {
      'target_name': 'kvm',
      # The source list lives in native/sources.txt, shared with CMakeLists.txt.
      'sources': ['<!@(node scripts/list-sources.js)'],
      'include_dirs': ["<!(node -p \"require('node-addon-api').include_dir\")", 'native'],
    },
  ],
}
