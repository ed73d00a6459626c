#include "auth/access_config.h"

#include <mutex>

#include "auth/roles.h"

namespace sy::auth {
namespace {

// Kept beside each Db (Db::attachment): the latest snapshot loaded.
class AccessConfigCache {
 public:
  std::shared_ptr<const AccessConfig> get(std::int64_t version) {
    std::lock_guard<std::mutex> lock(mu_);
    if (current_ && current_->version == version) return current_;
    return nullptr;
  }
  void put(std::shared_ptr<const AccessConfig> config) {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = std::move(config);
  }

 private:
  std::mutex mu_;
  std::shared_ptr<const AccessConfig> current_;
};

}  // namespace

const char kConfigVersionColumn[] = "(SELECT version FROM config_version WHERE id = 1)";

Result<std::int64_t> read_config_version(store::Conn& c) {
  return c.query_int(std::string("SELECT ") + kConfigVersionColumn);
}

Result<std::shared_ptr<const AccessConfig>> access_config(store::Db& db, store::Conn& c,
                                                          std::int64_t version) {
  auto& cache = db.attachment<AccessConfigCache>();
  if (auto hit = cache.get(version)) return hit;
  // Read after `version` was read, so these rows are at least as new as the version they are
  // filed under; a newer writer bumps the version again and the next request reloads.
  auto config = std::make_shared<AccessConfig>();
  config->version = version;
  SY_ASSIGN(config->settings, load_settings(c));
  SY_ASSIGN(config->role_permissions, load_role_permissions(c));
  cache.put(config);
  return std::shared_ptr<const AccessConfig>(std::move(config));
}

}  // namespace sy::auth
