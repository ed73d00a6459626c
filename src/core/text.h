// Small text helpers shared by every layer: trimming, splitting, hex, CSV line parsing, HTML
// escaping, base64.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sy {

std::string_view trim_ascii(std::string_view s);
// Drops every space, tab, line break and full-width space (U+3000), wherever it stands: for cells
// that hold a code, a name or a number where no space belongs ("一 级", "80 140", "身份证号　").
std::string strip_spaces(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string to_hex(std::string_view bytes);
// Appends a code point as UTF-8; NUL, surrogates and values past U+10FFFF become U+FFFD.
void append_utf8(std::string& out, std::uint32_t code_point);
// One line of RFC 4180 CSV (quoted fields with "" escapes; no embedded newlines).
std::vector<std::string> parse_csv_line(std::string_view line);
// Text for an HTML page (printable lists): & < > " ' as entities.
std::string html_escape(std::string_view s);
// Standard base64 with padding, as stored files (attachments, photos) and downloads in JSON travel.
std::string base64_encode(std::string_view bytes);
// The bytes of standard base64, skipping the characters in `ignore` (line breaks a client may
// add); nothing when the text is not base64.
std::optional<std::string> base64_decode(std::string_view text, const char* ignore = nullptr);

}  // namespace sy
