#include "store/bulk_write.h"

#include <string>

namespace sy::store {

Status BulkWrite::begin() {
  if (tx_.dialect() != Dialect::kSqlite || begun_) return ok_status();
  SY_ASSIGN(previous_cache_, tx_.query_int("PRAGMA cache_size"));
  SY_TRY(tx_.exec("PRAGMA cache_size = -" + std::to_string(cache_kib_)));
  begun_ = true;
  return ok_status();
}

BulkWrite::~BulkWrite() {
  if (!begun_) return;
  (void)tx_.exec("PRAGMA cache_size = " + std::to_string(previous_cache_));
}

}  // namespace sy::store
