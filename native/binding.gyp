{
  "targets": [
    {
      "target_name": "logrotor_native",
      "sources": ["src/addon.cc"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"]
    }
  ]
}
