#include "registry/categories.h"

#include "core/text.h"

namespace sy::registry {

const std::vector<CategoryInfo>& all_categories() {
  static const std::vector<CategoryInfo> kAll = {
      {"martyr_survivor", "烈士遗属", {"烈属", "烈士家属"}, true},
      {"duty_death_survivor", "因公牺牲军人遗属", {"因公牺牲遗属", "因公牺牲军人家属"}, true},
      {"illness_death_survivor", "病故军人遗属", {"病故遗属", "病故军人家属"}, true},
      {"disabled_veteran", "残疾军人", {"伤残军人", "残疾退役军人", "伤残退役军人"}, false},
      {"demobilized_veteran", "在乡复员军人", {"老复员军人", "在乡老复员军人", "复员军人"}, false},
      {"ill_returned_veteran", "带病回乡退役军人", {"带病回乡退伍军人", "带病回乡军人"}, false},
      {"war_veteran", "参战退役军人", {"参战人员", "参战退伍军人"}, false},
      {"nuclear_test_veteran", "参试退役军人", {"参试人员", "参试退伍军人", "参加核试验退役军人"}, false},
      {"rural_veteran_60", "60周岁以上农村籍退役士兵",
       {"农村籍退役士兵", "60岁以上农村籍退役士兵", "60周岁以上农村籍退伍士兵"}, false},
      {"elderly_martyr_child", "烈士老年子女", {"老烈子女", "烈士子女"}, true},
      {"conscript_family", "义务兵家庭", {"义务兵家属"}, true},
      {"service_family", "现役军人家属", {"军属", "现役军人家庭"}, true},
      {"accompanying_spouse", "随军家属", {"随军配偶"}, true},
      {"transferred_officer", "军队转业干部", {"转业干部", "军转干部"}, false},
      {"discharged_soldier", "退役士兵", {"退伍士兵", "退伍军人"}, false},
  };
  return kAll;
}

const CategoryInfo* find_category(std::string_view code) {
  for (const auto& c : all_categories()) {
    if (code == c.code) return &c;
  }
  return nullptr;
}

// Drops ASCII and full-width spaces anywhere in the text.
static std::string squeeze(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') continue;
    if (s.substr(i, 3) == "\xE3\x80\x80") {  // U+3000
      i += 2;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

std::optional<std::string> parse_category(std::string_view text) {
  std::string t = squeeze(text);
  if (t.empty()) return std::nullopt;
  for (const auto& c : all_categories()) {
    if (t == c.name || t == c.code) return std::string(c.code);
    for (const char* a : c.aliases) {
      if (t == a) return std::string(c.code);
    }
  }
  return std::nullopt;
}

std::string category_name(std::string_view code) {
  const CategoryInfo* c = find_category(code);
  return c ? c->name : std::string(code);
}

namespace {
const char* kGradeNames[] = {"一级", "二级", "三级", "四级", "五级", "六级", "七级", "八级", "九级", "十级"};
}

std::optional<int> parse_grade(std::string_view text) {
  std::string t = squeeze(text);
  if (t.empty()) return std::nullopt;
  for (int g = 1; g <= 10; ++g) {
    if (t == kGradeNames[g - 1]) return g;
    std::string n = std::to_string(g);
    if (t == n || t == n + "级" || t == n + ".0") return g;
  }
  return std::nullopt;
}

std::string grade_name(int grade) {
  return grade >= 1 && grade <= 10 ? kGradeNames[grade - 1] : std::to_string(grade);
}

std::optional<std::string> parse_cause(std::string_view text) {
  std::string t = squeeze(text);
  if (t == "因战" || t == "战" || t == "combat") return "combat";
  if (t == "因公" || t == "公" || t == "duty") return "duty";
  if (t == "因病" || t == "病" || t == "illness") return "illness";
  return std::nullopt;
}

std::string cause_name(std::string_view code) {
  if (code == "combat") return "因战";
  if (code == "duty") return "因公";
  if (code == "illness") return "因病";
  return std::string(code);
}

Status check_category(const std::string& category, std::optional<int> grade,
                      const std::optional<std::string>& cause) {
  if (!find_category(category)) return make_error("unknown_category", "优抚类别不正确", "category");
  if (category == "disabled_veteran") {
    if (!grade) return make_error("grade_required", "残疾军人缺少伤残等级", "disability_grade");
    if (*grade < 1 || *grade > 10) {
      return make_error("invalid_grade", "伤残等级应为一级至十级", "disability_grade");
    }
    if (!cause) return make_error("cause_required", "残疾军人缺少伤残性质（因战、因公、因病）", "disability_cause");
    if (*cause == "illness" && *grade > 6) {
      return make_error("illness_grade", "因病致残的残疾军人只评定一级至六级", "disability_grade");
    }
    return ok_status();
  }
  if (grade || cause) {
    return make_error("grade_not_applicable", "只有残疾军人填写伤残等级和伤残性质", "disability_grade");
  }
  return ok_status();
}

const std::vector<std::pair<const char*, const char*>>& all_statuses() {
  static const std::vector<std::pair<const char*, const char*>> kAll = {
      {"active", "在册"}, {"suspended", "暂停"}, {"moved", "迁出"}, {"deceased", "死亡"},
      {"cancelled", "注销"}};
  return kAll;
}

std::optional<std::string> parse_status(std::string_view text) {
  std::string t = squeeze(text);
  if (t.empty()) return std::nullopt;
  for (const auto& [code, name] : all_statuses()) {
    if (t == code || t == name) return std::string(code);
  }
  if (t == "正常" || t == "享受中") return std::string("active");
  if (t == "去世" || t == "已故" || t == "亡故") return std::string("deceased");
  return std::nullopt;
}

std::string status_name(std::string_view code) {
  for (const auto& [c, name] : all_statuses()) {
    if (code == c) return name;
  }
  return std::string(code);
}

bool is_valid_relation(std::string_view text) {
  return text == "父母" || text == "配偶" || text == "子女" || text == "兄弟姐妹" || text == "父亲" ||
         text == "母亲" || text == "儿子" || text == "女儿";
}

}  // namespace sy::registry
