// VillageMatcher: finds the village or community a roster means by what clerks write — the full
// name (西义村委会), the everyday name (西义村, 东泰社区), the bare name (西义, 东泰), or the 12-digit
// code — among the villages under one township (or county).
//
// Contract: built once per import from the database; `match` is then pure and thread-safe. A name
// that fits two villages is an error naming both, never a guess; a code outside the area is
// not found.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/db.h"

namespace sy::org {

class VillageMatcher {
 public:
  // `area` is a 12-digit township or county code.
  static Result<VillageMatcher> load(store::Conn& c, const std::string& area);
  Result<std::string> match(std::string_view text) const;
  const std::string& area_name() const { return area_name_; }
  std::string name_of(const std::string& code) const;

 private:
  std::string area_, area_name_;
  std::map<std::string, std::vector<std::string>, std::less<>> by_name_;  // key → codes
  std::map<std::string, std::string, std::less<>> names_;                 // code → short name
};

}  // namespace sy::org
