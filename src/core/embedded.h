// Files built into the binary (schema migrations, the web app, region data), so one executable is
// the whole install. Each group is generated at build time by cmake/embed.cmake.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sy::embedded {

struct File {
  const char* name;
  const unsigned char* begin;
  const unsigned char* end;
  std::string_view bytes() const {
    return std::string_view(reinterpret_cast<const char*>(begin), static_cast<size_t>(end - begin));
  }
};

std::span<const File> migrations();  // "0001_foundation.sql", "0001_foundation.sqlite.sql", ...
std::span<const File> web();         // "index.html", "assets/index-1a2b.js", ...
std::span<const File> regions();     // "areas.csv.gz", "streets.csv.gz", "villages.csv.gz"

const File* find(std::span<const File> group, std::string_view name);

// Inflates gzip data; empty optional if it is not valid gzip.
std::optional<std::string> gunzip(std::string_view gz);

}  // namespace sy::embedded
