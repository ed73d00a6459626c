#include "http/static_files.h"

#include <sys/stat.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

#include "core/embedded.h"

namespace sy::http {
namespace {

const char* mime_type(const std::string& path) {
  auto ends = [&](const char* ext) { return path.ends_with(ext); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".jpg") || ends(".jpeg")) return "image/jpeg";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".woff")) return "font/woff";
  if (ends(".ttf")) return "font/ttf";
  if (ends(".json")) return "application/json";
  if (ends(".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// Content types chosen so the HTTP library does not compress again what we already compressed.
bool compressible(const std::string& path) {
  return path.ends_with(".html") || path.ends_with(".js") || path.ends_with(".mjs") ||
         path.ends_with(".css") || path.ends_with(".svg") || path.ends_with(".json") ||
         path.ends_with(".txt");
}

std::string gzip_bytes(const std::string& in) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, in.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

}  // namespace

const StaticFiles::Entry* StaticFiles::find(const std::string& rel) {
  if (rel.empty() || rel.find("..") != std::string::npos || rel.back() == '/') return nullptr;
  long long stamp = 0;
  std::string path;
  if (!web_root_.empty()) {
    path = web_root_ + "/" + rel;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
    stamp = static_cast<long long>(st.st_mtime) * 1000000000LL + st.st_mtim.tv_nsec;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(rel);
  if (it != cache_.end() && it->second.stamp == stamp) return &it->second;
  Entry e;
  e.stamp = stamp;
  if (!web_root_.empty()) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    e.raw = ss.str();
  } else {
    const embedded::File* f = embedded::find(embedded::web(), rel);
    if (!f) return nullptr;
    e.raw = std::string(f->bytes());
  }
  if (compressible(rel) && e.raw.size() > 1024) {
    e.gzip = gzip_bytes(e.raw);
    if (e.gzip.size() + 64 > e.raw.size()) e.gzip.clear();
  }
  return &(cache_[rel] = std::move(e));
}

void StaticFiles::serve(const httplib::Request& req, httplib::Response& res) {
  std::string rel = req.path.size() > 1 ? req.path.substr(1) : "index.html";
  const Entry* e = find(rel);
  bool is_file = e != nullptr;
  if (!e) {
    // A missing asset is a real 404; any other path is a client-side route.
    if (rel.starts_with("assets/") || rel.find('.') != std::string::npos) {
      res.status = 404;
      res.set_content("未找到", "text/plain; charset=utf-8");
      return;
    }
    rel = "index.html";
    e = find(rel);
  }
  if (!e) {
    res.status = 503;
    res.set_content(
        "<!doctype html><meta charset=utf-8><title>双拥工作管理系统</title>"
        "<p>网页界面未构建：请在 web/ 目录运行 npm ci && npm run build 后重新构建程序。</p>",
        "text/html; charset=utf-8");
    return;
  }
  bool gzip = !e->gzip.empty() && req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
  // cpp-httplib compresses text/* responses itself after the handler, by the request's
  // Accept-Encoding, on every request and even over our own Content-Encoding. Hiding the header
  // from it once we have read it keeps the one compression we did in advance.
  const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
  res.set_content(gzip ? e->gzip : e->raw, mime_type(rel));
  if (gzip) res.set_header("Content-Encoding", "gzip");
  res.set_header("Vary", "Accept-Encoding");
  res.set_header("Cache-Control", is_file && rel.starts_with("assets/") ? "public, max-age=31536000, immutable"
                                                                       : "no-cache");
}

}  // namespace sy::http
