// The web app's files: from the copy built into the binary, or from a folder (--web-root) during
// development. Unknown paths that are not files get index.html, so client-side routes survive a
// reload. Hashed assets are cached for a year; index.html never.
#pragma once

#include <httplib.h>

#include <string>

namespace sy::http {

void serve_web(const httplib::Request& req, httplib::Response& res, const std::string& web_root);

}  // namespace sy::http
