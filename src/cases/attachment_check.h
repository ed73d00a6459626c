// What an uploaded case attachment really is: JPEG, PNG or PDF, told by its first bytes (magic
// numbers), never by the name or the browser's content type alone.
//
// Contract: `check_attachment` returns the content type to store and serve, or an error:
// attachment_too_large (over kMaxAttachmentBytes), attachment_type (not one of the three, or
// empty), attachment_disguised (the file name's extension says one thing and the bytes another,
// e.g. a program renamed to .jpg). Field "file".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sy::cases {

inline constexpr std::size_t kMaxAttachmentBytes = 10u << 20;
inline constexpr int kMaxAttachmentsPerCase = 20;

Result<std::string> check_attachment(std::string_view bytes, std::string_view file_name);

}  // namespace sy::cases
