// BulkWrite: the page cache of a connection for one large write inside a transaction (an import of
// a roster, a payroll run of a county). On SQLite, for as long as the object lives, the cache holds
// `cache_kib`, so inserts at random places in big indexes find their pages in memory instead of
// spilling them to the WAL and reading them back (pages are taken as they are needed, so a small
// write uses little of it); the previous size is put back when it goes, before commit. On
// PostgreSQL it does nothing.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "store/db.h"

namespace sy::store {

class BulkWrite {
 public:
  BulkWrite(Conn& tx, std::int64_t cache_kib) : tx_(tx), cache_kib_(cache_kib) {}
  BulkWrite(const BulkWrite&) = delete;
  BulkWrite& operator=(const BulkWrite&) = delete;
  ~BulkWrite();

  Status begin();

 private:
  Conn& tx_;
  std::int64_t cache_kib_;
  std::int64_t previous_cache_ = 0;
  bool begun_ = false;
};

}  // namespace sy::store
