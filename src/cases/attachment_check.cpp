#include "cases/attachment_check.h"

#include <algorithm>
#include <cctype>

namespace sy::cases {
namespace {

std::string sniff(std::string_view b) {
  if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
      static_cast<unsigned char>(b[2]) == 0xFF)
    return "image/jpeg";
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "image/png";
  if (b.size() >= 5 && b.substr(0, 5) == "%PDF-") return "application/pdf";
  return "";
}

std::string extension(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "";
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

}  // namespace

Result<std::string> check_attachment(std::string_view bytes, std::string_view file_name) {
  if (bytes.size() > kMaxAttachmentBytes)
    return make_error("attachment_too_large", "附件不能超过 10 MB", "file");
  if (bytes.empty()) return make_error("attachment_type", "附件是空文件", "file");
  std::string type = sniff(bytes);
  std::string ext = extension(file_name);
  std::string claimed = (ext == "jpg" || ext == "jpeg") ? "image/jpeg"
                        : ext == "png"                  ? "image/png"
                        : ext == "pdf"                  ? "application/pdf"
                                                        : "";
  if (type.empty()) {
    if (!claimed.empty())
      return make_error("attachment_disguised", "文件内容与扩展名 ." + ext + " 不符，不能上传", "file");
    return make_error("attachment_type", "只能上传 JPG、PNG 图片或 PDF 文件", "file");
  }
  if (claimed.empty())
    return make_error("attachment_type", "只能上传扩展名为 .jpg、.jpeg、.png 或 .pdf 的文件", "file");
  if (claimed != type)
    return make_error("attachment_disguised", "文件内容与扩展名 ." + ext + " 不符，不能上传", "file");
  return type;
}

}  // namespace sy::cases
