#include "http/static_files.h"

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

bool read_from_folder(const std::string& root, const std::string& rel, std::string* out) {
  if (rel.find("..") != std::string::npos) return false;
  std::ifstream in(root + "/" + rel, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

bool find_file(const std::string& root, const std::string& rel, std::string* out) {
  if (!root.empty()) return read_from_folder(root, rel, out);
  const embedded::File* f = embedded::find(embedded::web(), rel);
  if (!f) return false;
  *out = std::string(f->bytes());
  return true;
}

}  // namespace

void serve_web(const httplib::Request& req, httplib::Response& res, const std::string& web_root) {
  std::string rel = req.path.size() > 1 ? req.path.substr(1) : "index.html";
  std::string body;
  if (!rel.empty() && rel.back() != '/' && find_file(web_root, rel, &body)) {
    res.set_content(body, mime_type(rel));
    if (rel.starts_with("assets/")) {
      res.set_header("Cache-Control", "public, max-age=31536000, immutable");
    } else {
      res.set_header("Cache-Control", "no-cache");
    }
    return;
  }
  // A missing asset is a real 404; any other path is a client-side route.
  if (rel.starts_with("assets/") || rel.find('.') != std::string::npos) {
    res.status = 404;
    res.set_content("未找到", "text/plain; charset=utf-8");
    return;
  }
  if (!find_file(web_root, "index.html", &body)) {
    res.status = 503;
    res.set_content(
        "<!doctype html><meta charset=utf-8><title>双拥工作管理系统</title>"
        "<p>网页界面未构建：请在 web/ 目录运行 npm ci && npm run build 后重新构建程序。</p>",
        "text/html; charset=utf-8");
    return;
  }
  res.set_content(body, "text/html; charset=utf-8");
  res.set_header("Cache-Control", "no-cache");
}

}  // namespace sy::http
