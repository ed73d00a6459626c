// Roster export (导出) and the import template (模板下载).
//
// Contract: the export writes the import template's columns, one row per person (the person's
// first category), so that importing an export back gives every row "unchanged". ID numbers,
// bank accounts and phones are written in full only for roles holding sensitive:reveal; otherwise
// masked (such a file is for reading, not for re-import). Every export writes an audit row.
#pragma once

#include <string>

#include "core/result.h"
#include "registry/persons.h"

namespace sy::registry {

enum class ExportFormat { kXlsx, kCsv };

// All persons matching the query (paging ignored), as file bytes.
Result<std::string> export_persons(const Context& ctx, PersonQuery query, ExportFormat format);
// The import template: headers, one example row, drop-down lists for 类别, 等级, 性质.
Result<std::string> import_template();

}  // namespace sy::registry
