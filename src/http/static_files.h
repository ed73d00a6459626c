// The web app's files: from the copy built into the binary, or from a folder (--web-root) during
// development. Unknown paths that are not files get index.html, so client-side routes survive a
// reload. Hashed assets are cached by browsers for a year; index.html never.
//
// Compression happens once per file (gzip, kept in memory by StaticFiles), never per request: the
// HTTP library would otherwise re-compress every asset on every request.
#pragma once

#include <httplib.h>

#include <map>
#include <mutex>
#include <string>

namespace sy::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::string web_root) : web_root_(std::move(web_root)) {}
  void serve(const httplib::Request& req, httplib::Response& res);

 private:
  struct Entry {
    std::string raw;
    std::string gzip;  // empty when compression does not pay
    long long stamp = 0;  // file modification time for --web-root, 0 for built-in files
  };
  // The file's entry, loaded and compressed on first use; nullptr when there is no such file.
  const Entry* find(const std::string& rel);

  std::string web_root_;
  std::mutex mu_;
  std::map<std::string, Entry> cache_;
};

}  // namespace sy::http
