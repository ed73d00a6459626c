#include "org/village_matcher.h"

#include <algorithm>

#include "core/region_code.h"

namespace sy::org {
namespace {

// Removes ASCII and full-width spaces and normalizes full-width brackets.
std::string clean(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (s.substr(i, 3) == "\xE3\x80\x80") {
      i += 2;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() > suffix.size() && std::string_view(s).ends_with(suffix);
}

// Every way a village's name is written, from its official name.
std::vector<std::string> name_keys(const std::string& name) {
  std::vector<std::string> keys{name};
  static const std::pair<const char*, const char*> kSuffixes[] = {
      {"村民委员会", "村"}, {"村委会", "村"}, {"社区居民委员会", "社区"}, {"社区居委会", "社区"},
      {"居民委员会", "社区"}, {"居委会", "社区"}};
  std::string everyday = name;
  for (const auto& [suffix, keep] : kSuffixes) {
    if (ends_with(name, suffix)) {
      everyday = name.substr(0, name.size() - std::string_view(suffix).size()) + keep;
      break;
    }
  }
  keys.push_back(everyday);
  for (const char* tail : {"社区", "村"}) {
    if (ends_with(everyday, tail)) {
      keys.push_back(everyday.substr(0, everyday.size() - std::string_view(tail).size()));
      break;
    }
  }
  return keys;
}

}  // namespace

Result<VillageMatcher> VillageMatcher::load(store::Conn& c, const std::string& area) {
  VillageMatcher m;
  m.area_ = area;
  SY_ASSIGN(auto row, c.query_one("SELECT name FROM regions WHERE code = ?", {area}));
  if (!row) return make_error("invalid_region", "区划不存在：" + area, "town");
  m.area_name_ = row->str(0);
  std::string prefix = region_prefix(area);
  SY_ASSIGN(store::Rows rows, c.query("SELECT code, name, short_name FROM regions WHERE level = 'village' "
                                      "AND code LIKE ? ESCAPE '\\'",
                                      {store::like_prefix(prefix)}));
  for (const auto& r : rows) {
    std::string code = r.str(0);
    m.names_[code] = r.str(2);
    for (auto& key : name_keys(r.str(1))) {
      auto& codes = m.by_name_[key];
      if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
    }
  }
  return m;
}

std::string VillageMatcher::name_of(const std::string& code) const {
  auto it = names_.find(code);
  return it == names_.end() ? code : it->second;
}

Result<std::string> VillageMatcher::match(std::string_view text) const {
  std::string t = clean(text);
  if (t.empty()) return make_error("village_required", "缺少所属村（社区）", "village");
  bool digits = std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (digits && t.size() == 12) {
    if (names_.count(t)) return t;
    return make_error("village_not_found", "区划代码 " + t + " 不是" + area_name_ + "下的村（社区）", "village");
  }
  auto it = by_name_.find(t);
  if (it == by_name_.end()) {
    // 西义村委会 written as 西义村委 or with a trailing 村 on a community: try the bare stem.
    for (const auto& key : name_keys(t)) {
      it = by_name_.find(key);
      if (it != by_name_.end()) break;
    }
  }
  if (it == by_name_.end()) {
    return make_error("village_not_found", "所属村（社区）“" + t + "”在" + area_name_ + "下找不到", "village");
  }
  if (it->second.size() > 1) {
    std::string names;
    for (const auto& code : it->second) names += (names.empty() ? "" : "、") + name_of(code) + "（" + code + "）";
    return make_error("village_ambiguous", "所属村（社区）“" + t + "”有多个同名：" + names + "，请填写区划代码",
                      "village");
  }
  return it->second.front();
}

}  // namespace sy::org
