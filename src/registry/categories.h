// The dictionary of 优抚类别 (beneficiary categories), 伤残等级 and 伤残性质, with the names people
// actually write in rosters (DOMAIN.md §2, §3, §9).
//
// Contract: `parse_category` maps canonical and old names (烈属 → 烈士遗属, 伤残军人 → 残疾军人, …)
// to a code; `parse_grade` reads 一级…十级, 1级…10级, 1…10; `parse_cause` reads 因战/因公/因病
// (also 战/公/病). `check_category` enforces the rules between them: a 残疾军人 needs a grade and
// a cause; 因病 only grades 1–6; other categories carry neither.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sy::registry {

struct CategoryInfo {
  const char* code;  // martyr_survivor, ...
  const char* name;  // 烈士遗属
  std::vector<const char*> aliases;
  bool family;  // a relative of a serviceman or martyr (relation applies)
};

const std::vector<CategoryInfo>& all_categories();
const CategoryInfo* find_category(std::string_view code);
std::optional<std::string> parse_category(std::string_view text);
std::string category_name(std::string_view code);

std::optional<int> parse_grade(std::string_view text);
std::string grade_name(int grade);  // 一级 … 十级

std::optional<std::string> parse_cause(std::string_view text);  // combat | duty | illness
std::string cause_name(std::string_view code);                  // 因战 | 因公 | 因病

Status check_category(const std::string& category, std::optional<int> grade,
                      const std::optional<std::string>& cause);

// Person status: active 在册, suspended 暂停, moved 迁出, deceased 死亡, cancelled 注销.
const std::vector<std::pair<const char*, const char*>>& all_statuses();
std::optional<std::string> parse_status(std::string_view text);
std::string status_name(std::string_view code);

// Relation of a family member to the serviceman or martyr: 父母, 配偶, 子女, 兄弟姐妹.
bool is_valid_relation(std::string_view text);

}  // namespace sy::registry
