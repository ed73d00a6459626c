#include "registry/persons.h"

#include <algorithm>
#include <map>

#include "audit/audit.h"
#include "core/civil_date.h"
#include "core/id_number.h"
#include "core/pinyin.h"
#include "core/region_code.h"
#include "core/text.h"
#include "registry/categories.h"
#include "registry/person_store.h"

namespace sy::registry {
namespace {

// Trims ASCII, full-width (U+3000) and no-break (U+00A0) spaces at both ends.
std::string clean_text(std::string_view s) {
  auto strip_front = [&]() -> bool {
    if (s.empty()) return false;
    if (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n') return s.remove_prefix(1), true;
    if (s.starts_with("\xE3\x80\x80")) return s.remove_prefix(3), true;
    if (s.starts_with("\xC2\xA0")) return s.remove_prefix(2), true;
    return false;
  };
  auto strip_back = [&]() -> bool {
    if (s.empty()) return false;
    char c = s.back();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return s.remove_suffix(1), true;
    if (s.ends_with("\xE3\x80\x80")) return s.remove_suffix(3), true;
    if (s.ends_with("\xC2\xA0")) return s.remove_suffix(2), true;
    return false;
  };
  while (strip_front()) {
  }
  while (strip_back()) {
  }
  return std::string(s);
}

Result<std::optional<bool>> parse_flag(const std::optional<std::string>& v, const char* field) {
  if (!v) return std::optional<bool>();
  std::string t = clean_text(*v);
  if (t.empty() || t == "否" || t == "false" || t == "0" || t == "无") return std::optional<bool>(false);
  if (t == "是" || t == "true" || t == "1" || t == "有") return std::optional<bool>(true);
  return make_error("invalid_flag", field_label(field) + "应填“是”或“否”", field);
}

Result<std::string> parse_date_field(const std::string& text, const char* field) {
  if (text.empty()) return std::string();
  auto d = parse_loose_date(text);
  if (!d) return make_error("invalid_date", field_label(field) + "不是有效日期：" + text, field);
  return *d;
}

const char* kPersonColumns =
    "SELECT p.id, p.region_code, r.short_name, p.household_id, p.name, p.id_number, p.gender, "
    "p.birth_date, p.ethnicity, p.phone, p.address, p.bank_name, p.bank_account, p.enlisted_on, "
    "p.discharged_on, p.paid_through, p.relation, p.related_name, p.status, p.status_date, "
    "p.status_reason, p.note, h.is_dibao, h.is_tekun, h.is_kongchao, p.created_at, p.updated_at, "
    "p.version FROM persons p LEFT JOIN regions r ON r.code = p.region_code "
    "LEFT JOIN households h ON h.id = p.household_id";

Person to_person(const store::Row& r) {
  Person p;
  p.id = r.i64(0);
  p.region_code = r.str(1);
  p.region_name = r.str(2);
  p.household_id = r.is_null(3) ? 0 : r.i64(3);
  p.name = r.str(4);
  p.id_number = r.str(5);
  p.gender = r.str(6);
  p.birth_date = r.str(7);
  p.ethnicity = r.str(8);
  p.phone = r.str(9);
  p.address = r.str(10);
  p.bank_name = r.str(11);
  p.bank_account = r.str(12);
  p.enlisted_on = r.str(13);
  p.discharged_on = r.str(14);
  p.paid_through = r.str(15);
  p.relation = r.str(16);
  p.related_name = r.str(17);
  p.status = r.str(18);
  p.status_date = r.str(19);
  p.status_reason = r.str(20);
  p.note = r.str(21);
  p.is_dibao = r.i64(22) != 0;
  p.is_tekun = r.i64(23) != 0;
  p.is_kongchao = r.i64(24) != 0;
  p.created_at = r.i64(25);
  p.updated_at = r.i64(26);
  p.version = static_cast<int>(r.i64(27));
  return p;
}

Status load_categories(store::Conn& c, std::vector<Person*> persons) {
  if (persons.empty()) return ok_status();
  std::map<std::int64_t, Person*> by_id;
  std::string in;
  store::Params params;
  for (Person* p : persons) {
    by_id[p->id] = p;
    in += in.empty() ? "?" : ",?";
    params.emplace_back(p->id);
  }
  SY_ASSIGN(store::Rows rows,
            c.query("SELECT person_id, id, category, disability_grade, disability_cause, approved_on, "
                    "certificate_no, status FROM person_categories WHERE person_id IN (" + in +
                        ") ORDER BY id",
                    params));
  for (const auto& r : rows) {
    PersonCategory pc;
    pc.id = r.i64(1);
    pc.category = r.str(2);
    if (!r.is_null(3)) pc.disability_grade = static_cast<int>(r.i64(3));
    pc.disability_cause = r.opt_str(4);
    pc.approved_on = r.str(5);
    pc.certificate_no = r.str(6);
    pc.status = r.str(7);
    by_id[r.i64(0)]->categories.push_back(std::move(pc));
  }
  return ok_status();
}

Error not_found() { return make_error("not_found", "优抚对象不存在或不在您的管辖范围内"); }

Status need(const Context& ctx, const char* permission) {
  if (!ctx.actor.has(permission)) {
    return make_error("forbidden", std::string(permission) == "business:write" ? "您的角色无权修改优抚对象"
                                                                             : "您的角色无权查看优抚对象");
  }
  return ok_status();
}

Status write_history(store::Conn& tx, const Context& ctx, std::int64_t person_id, const std::string& action,
                     const nlohmann::json& changes) {
  SY_TRY(tx.exec("INSERT INTO person_history (id, person_id, at, user_id, username, action, changes) "
                 "VALUES (?,?,?,?,?,?,?)",
                 {ctx.ids.next(), person_id, ctx.now(), ctx.actor.id_or_null(), ctx.actor.username, action,
                  changes.dump()}));
  return ok_status();
}

Status check_region(const Context& ctx, store::Conn& c, const std::string& code) {
  if (!ctx.actor.in_scope(code)) {
    return make_error("region_out_of_scope", "所属区划不在您的管辖范围内", "region_code");
  }
  SY_ASSIGN(auto row, c.query_one("SELECT level FROM regions WHERE code = ?", {code}));
  if (!row) return make_error("invalid_region", "所属区划不存在：" + code, "region_code");
  if (row->str(0) == "county") {
    return make_error("invalid_region", "所属区划应为村（社区）或乡镇，不能是县", "region_code");
  }
  return ok_status();
}

Error duplicate(const Person& existing) {
  return make_error("duplicate_id_number",
                    "身份证号已登记：" + existing.name + "（" + existing.region_name + "，" +
                        status_name(existing.status) + "）",
                    "id_number");
}

}  // namespace

bool NormalizedPerson::has(const std::string& field) const {
  return std::find(given.begin(), given.end(), field) != given.end();
}

std::string field_label(const std::string& field) {
  static const std::map<std::string, std::string> kLabels = {
      {"name", "姓名"},           {"id_number", "身份证号"},      {"gender", "性别"},
      {"birth_date", "出生日期"}, {"ethnicity", "民族"},          {"phone", "联系电话"},
      {"address", "家庭住址"},    {"bank_name", "开户银行"},      {"bank_account", "银行账号"},
      {"region_code", "所属村（社区）"}, {"village", "所属村（社区）"},
      {"enlisted_on", "入伍时间"}, {"discharged_on", "退伍时间"}, {"paid_through", "已发放至"},
      {"relation", "与军人关系"}, {"related_name", "军人（烈士）姓名"}, {"note", "备注"},
      {"is_dibao", "是否低保"},   {"is_tekun", "是否特困"},       {"is_kongchao", "是否空巢"},
      {"category", "优抚类别"},   {"disability_grade", "伤残等级"}, {"disability_cause", "伤残性质"},
      {"approved_on", "批准日期"}, {"status", "状态"},            {"status_date", "状态日期"},
      {"status_reason", "原因"}};
  auto it = kLabels.find(field);
  return it == kLabels.end() ? field : it->second;
}

Result<NormalizedPerson> normalize_person(const PersonFields& in, Millis now) {
  NormalizedPerson out;
  Person& p = out.person;
  auto give = [&](const char* field) { out.given.push_back(field); };
  if (in.name) {
    p.name = clean_text(*in.name);
    if (p.name.empty()) return make_error("name_required", "缺少姓名", "name");
    if (p.name.size() > 90) return make_error("invalid_name", "姓名过长", "name");
    give("name");
  }
  if (in.id_number) {
    SY_ASSIGN(IdNumber id, parse_id_number(*in.id_number, civil_date_shanghai(now)));
    p.id_number = id.number;
    p.gender = id.gender();
    p.birth_date = id.birth_date_iso();
    give("id_number");
  }
  struct Plain {
    const std::optional<std::string>& value;
    std::string* target;
    const char* field;
    size_t max;
  };
  for (const Plain& f : {Plain{in.ethnicity, &p.ethnicity, "ethnicity", 30}, Plain{in.address, &p.address, "address", 300},
                         Plain{in.bank_name, &p.bank_name, "bank_name", 120}, Plain{in.note, &p.note, "note", 1000},
                         Plain{in.related_name, &p.related_name, "related_name", 90}}) {
    if (!f.value) continue;
    *f.target = clean_text(*f.value);
    if (f.target->size() > f.max) return make_error("too_long", field_label(f.field) + "过长", f.field);
    give(f.field);
  }
  if (in.phone) {
    p.phone = clean_text(*in.phone);
    std::string digits;
    for (char c : p.phone) {
      if (c >= '0' && c <= '9') digits.push_back(c);
      else if (c != '-' && c != ' ') return make_error("invalid_phone", "联系电话只能包含数字和“-”", "phone");
    }
    if (!p.phone.empty() && (digits.size() < 7 || digits.size() > 12)) {
      return make_error("invalid_phone", "联系电话位数不对：" + p.phone, "phone");
    }
    give("phone");
  }
  if (in.bank_account) {
    std::string acct;
    for (char c : clean_text(*in.bank_account)) {
      if (c == ' ' || c == '-') continue;
      if (c < '0' || c > '9') return make_error("invalid_bank_account", "银行账号只能包含数字", "bank_account");
      acct.push_back(c);
    }
    if (!acct.empty() && (acct.size() < 8 || acct.size() > 30)) {
      return make_error("invalid_bank_account", "银行账号位数不对", "bank_account");
    }
    if (!acct.empty() && acct.size() >= 16 && !luhn_valid(acct)) {
      out.warnings.push_back("银行账号未通过校验（Luhn），请核对");
    }
    p.bank_account = acct;
    give("bank_account");
  }
  if (in.region_code) {
    auto code = normalize_region_code(clean_text(*in.region_code));
    if (!code) return make_error("invalid_region", "所属区划代码格式不正确", "region_code");
    p.region_code = *code;
    give("region_code");
  }
  if (in.enlisted_on) {
    SY_ASSIGN(p.enlisted_on, parse_date_field(clean_text(*in.enlisted_on), "enlisted_on"));
    give("enlisted_on");
  }
  if (in.discharged_on) {
    SY_ASSIGN(p.discharged_on, parse_date_field(clean_text(*in.discharged_on), "discharged_on"));
    give("discharged_on");
  }
  if (in.paid_through) {
    std::string t = clean_text(*in.paid_through);
    if (!t.empty()) {
      auto m = parse_loose_month(t);
      if (!m) return make_error("invalid_month", "已发放至应为年月，如 2026-10", "paid_through");
      p.paid_through = *m;
    }
    give("paid_through");
  }
  if (in.relation) {
    p.relation = clean_text(*in.relation);
    if (!p.relation.empty() && !is_valid_relation(p.relation)) {
      return make_error("invalid_relation", "与军人关系应为父母、配偶、子女或兄弟姐妹", "relation");
    }
    give("relation");
  }
  struct Flag {
    const std::optional<std::string>& value;
    bool* target;
    const char* field;
  };
  for (const Flag& f : {Flag{in.is_dibao, &p.is_dibao, "is_dibao"}, Flag{in.is_tekun, &p.is_tekun, "is_tekun"},
                        Flag{in.is_kongchao, &p.is_kongchao, "is_kongchao"}}) {
    SY_ASSIGN(std::optional<bool> v, parse_flag(f.value, f.field));
    if (v) {
      *f.target = *v;
      give(f.field);
    }
  }
  if (in.category) {
    const CategoryFields& cf = *in.category;
    std::string cat_text = clean_text(cf.category.value_or(""));
    if (cat_text.empty()) return make_error("category_required", "缺少优抚类别", "category");
    auto cat = parse_category(cat_text);
    if (!cat) return make_error("unknown_category", "无法识别的优抚类别：" + cat_text, "category");
    PersonCategory pc;
    pc.category = *cat;
    std::string grade_text = clean_text(cf.disability_grade.value_or(""));
    if (!grade_text.empty()) {
      pc.disability_grade = parse_grade(grade_text);
      if (!pc.disability_grade) {
        return make_error("invalid_grade", "伤残等级应为一级至十级：" + grade_text, "disability_grade");
      }
    }
    std::string cause_text = clean_text(cf.disability_cause.value_or(""));
    if (!cause_text.empty()) {
      pc.disability_cause = parse_cause(cause_text);
      if (!pc.disability_cause) {
        return make_error("invalid_cause", "伤残性质应为因战、因公或因病：" + cause_text, "disability_cause");
      }
    }
    SY_TRY(check_category(pc.category, pc.disability_grade, pc.disability_cause));
    SY_ASSIGN(pc.approved_on, parse_date_field(clean_text(cf.approved_on.value_or("")), "approved_on"));
    out.category = pc;
    give("category");
  }
  return out;
}

Result<std::optional<Person>> load_person(store::Conn& c, std::int64_t id) {
  SY_ASSIGN(auto row, c.query_one(std::string(kPersonColumns) + " WHERE p.id = ?", {id}));
  if (!row) return std::optional<Person>();
  Person p = to_person(*row);
  SY_TRY(load_categories(c, {&p}));
  return std::optional<Person>(std::move(p));
}

Result<std::optional<Person>> load_person_by_id_number(store::Conn& c, const std::string& id_number) {
  SY_ASSIGN(auto row, c.query_one(std::string(kPersonColumns) + " WHERE p.id_number = ?", {id_number}));
  if (!row) return std::optional<Person>();
  Person p = to_person(*row);
  SY_TRY(load_categories(c, {&p}));
  return std::optional<Person>(std::move(p));
}

Status record_person_history(store::Conn& tx, const Context& ctx, std::int64_t person_id, const std::string& action,
                             const nlohmann::json& changes) {
  return write_history(tx, ctx, person_id, action, changes);
}

namespace {

nlohmann::json change(const std::string& field, const std::string& old_value, const std::string& new_value) {
  return nlohmann::json{{"field", field}, {"label", field_label(field)}, {"old", old_value}, {"new", new_value}};
}

std::string category_text(const PersonCategory& c) {
  std::string s = category_name(c.category);
  if (c.disability_grade) s += " " + grade_name(*c.disability_grade);
  if (c.disability_cause) s += " " + cause_name(*c.disability_cause);
  if (!c.approved_on.empty()) s += "（批准 " + c.approved_on + "）";
  return s;
}

Status insert_category(store::Conn& tx, const Context& ctx, std::int64_t person_id, const PersonCategory& c) {
  SY_TRY(tx.exec("INSERT INTO person_categories (id, person_id, category, disability_grade, disability_cause, "
                 "approved_on, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?)",
                 {ctx.ids.next(), person_id, c.category, c.disability_grade, c.disability_cause,
                  c.approved_on.empty() ? std::optional<std::string>() : c.approved_on, ctx.now(),
                  ctx.actor.id_or_null(), ctx.now(), ctx.actor.id_or_null()}));
  return ok_status();
}

}  // namespace

Result<std::int64_t> insert_person(store::Conn& tx, const Context& ctx, const NormalizedPerson& in,
                                   const std::string& history_action) {
  const Person& p = in.person;
  std::int64_t id = ctx.ids.next(), household = ctx.ids.next();
  Millis now = ctx.now();
  auto opt = [](const std::string& s) { return s.empty() ? std::optional<std::string>() : std::optional<std::string>(s); };
  SY_TRY(tx.exec("INSERT INTO households (id, region_code, address, head_person_id, is_dibao, is_tekun, is_kongchao, "
                 "created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                 {household, p.region_code, p.address, id, p.is_dibao, p.is_tekun, p.is_kongchao, now,
                  ctx.actor.id_or_null(), now, ctx.actor.id_or_null()}));
  NamePinyin py = name_pinyin(p.name);
  std::string reversed(p.id_number.rbegin(), p.id_number.rend());
  SY_TRY(tx.exec(
      "INSERT INTO persons (id, region_code, household_id, name, name_pinyin, name_initials, name_sort, id_number, "
      "id_reversed, gender, birth_date, ethnicity, phone, address, bank_name, bank_account, enlisted_on, "
      "discharged_on, paid_through, relation, related_name, status, note, created_at, created_by, updated_at, "
      "updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'active',?,?,?,?,?)",
      {id, p.region_code, household, p.name, py.full, py.initials, py.sort_key, p.id_number, reversed, p.gender, p.birth_date,
       p.ethnicity, p.phone, p.address, p.bank_name, p.bank_account, opt(p.enlisted_on), opt(p.discharged_on),
       opt(p.paid_through), p.relation, p.related_name, p.note, now, ctx.actor.id_or_null(), now,
       ctx.actor.id_or_null()}));
  nlohmann::json changes = nlohmann::json::array();
  changes.push_back(change("name", "", p.name));
  changes.push_back(change("id_number", "", p.id_number));
  if (in.category) {
    SY_TRY(insert_category(tx, ctx, id, *in.category));
    changes.push_back(change("category", "", category_text(*in.category)));
  }
  SY_TRY(write_history(tx, ctx, id, history_action, changes));
  return id;
}

Result<nlohmann::json> merge_person(store::Conn& tx, const Context& ctx, const Person& stored,
                                    const NormalizedPerson& in, const std::string& history_action) {
  nlohmann::json changes = nlohmann::json::array();
  const Person& g = in.person;
  std::vector<std::pair<std::string, store::Value>> person_sets, household_sets;
  auto text = [&](const char* field, const std::string& old_value, const std::string& new_value, bool household = false) {
    if (!in.has(field) || old_value == new_value) return;
    changes.push_back(change(field, old_value, new_value));
    (household ? household_sets : person_sets).emplace_back(field, new_value.empty() && std::string(field).ends_with("_on")
                                                                      ? store::Value()
                                                                      : store::Value(new_value));
  };
  text("name", stored.name, g.name);
  text("ethnicity", stored.ethnicity, g.ethnicity);
  text("phone", stored.phone, g.phone);
  text("address", stored.address, g.address);
  text("bank_name", stored.bank_name, g.bank_name);
  text("bank_account", stored.bank_account, g.bank_account);
  text("region_code", stored.region_code, g.region_code);
  text("enlisted_on", stored.enlisted_on, g.enlisted_on);
  text("discharged_on", stored.discharged_on, g.discharged_on);
  text("paid_through", stored.paid_through, g.paid_through);
  text("relation", stored.relation, g.relation);
  text("related_name", stored.related_name, g.related_name);
  text("note", stored.note, g.note);
  auto flag = [&](const char* field, bool old_value, bool new_value) {
    if (!in.has(field) || old_value == new_value) return;
    changes.push_back(change(field, old_value ? "是" : "否", new_value ? "是" : "否"));
    household_sets.emplace_back(field, store::Value(new_value));
  };
  flag("is_dibao", stored.is_dibao, g.is_dibao);
  flag("is_tekun", stored.is_tekun, g.is_tekun);
  flag("is_kongchao", stored.is_kongchao, g.is_kongchao);

  std::optional<PersonCategory> category_update;
  bool category_new = false;
  if (in.category) {
    const PersonCategory& c = *in.category;
    auto it = std::find_if(stored.categories.begin(), stored.categories.end(),
                           [&](const PersonCategory& s) { return s.category == c.category; });
    if (it == stored.categories.end()) {
      category_new = true;
      category_update = c;
      changes.push_back(change("category", "", category_text(c)));
    } else {
      PersonCategory merged = *it;
      if (c.disability_grade) merged.disability_grade = c.disability_grade;
      if (c.disability_cause) merged.disability_cause = c.disability_cause;
      if (!c.approved_on.empty()) merged.approved_on = c.approved_on;
      if (category_text(merged) != category_text(*it)) {
        category_update = merged;
        changes.push_back(change("category", category_text(*it), category_text(merged)));
      }
    }
  }
  if (changes.empty()) return changes;

  Millis now = ctx.now();
  if (!person_sets.empty()) {
    std::string sql = "UPDATE persons SET ";
    store::Params params;
    for (const auto& [field, value] : person_sets) {
      sql += field + " = ?, ";
      params.push_back(value);
    }
    if (in.has("name") && g.name != stored.name) {
      NamePinyin py = name_pinyin(g.name);
      sql += "name_pinyin = ?, name_initials = ?, name_sort = ?, ";
      params.emplace_back(py.full);
      params.emplace_back(py.initials);
      params.emplace_back(py.sort_key);
    }
    sql += "updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? AND version = ?";
    params.emplace_back(now);
    params.emplace_back(ctx.actor.id_or_null());
    params.emplace_back(stored.id);
    params.emplace_back(stored.version);
    SY_ASSIGN(std::int64_t n, tx.exec(sql, params));
    if (n == 0) return make_error("stale_version", "该优抚对象已被他人修改，请刷新后重试", "version");
  } else {
    SY_ASSIGN(std::int64_t n, tx.exec("UPDATE persons SET updated_at = ?, updated_by = ?, version = version + 1 "
                                      "WHERE id = ? AND version = ?",
                                      {now, ctx.actor.id_or_null(), stored.id, stored.version}));
    if (n == 0) return make_error("stale_version", "该优抚对象已被他人修改，请刷新后重试", "version");
  }
  if (!household_sets.empty() && stored.household_id) {
    std::string sql = "UPDATE households SET ";
    store::Params params;
    for (const auto& [field, value] : household_sets) {
      sql += field + " = ?, ";
      params.push_back(value);
    }
    sql += "updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?";
    params.emplace_back(now);
    params.emplace_back(ctx.actor.id_or_null());
    params.emplace_back(stored.household_id);
    SY_TRY(tx.exec(sql, params));
  }
  if (category_update) {
    if (category_new) {
      SY_TRY(insert_category(tx, ctx, stored.id, *category_update));
    } else {
      const PersonCategory& c = *category_update;
      SY_TRY(tx.exec("UPDATE person_categories SET disability_grade = ?, disability_cause = ?, approved_on = ?, "
                     "updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?",
                     {c.disability_grade, c.disability_cause,
                      c.approved_on.empty() ? std::optional<std::string>() : c.approved_on, now,
                      ctx.actor.id_or_null(), c.id}));
    }
  }
  SY_TRY(write_history(tx, ctx, stored.id, history_action, changes));
  return changes;
}

namespace {

nlohmann::json person_summary(const Person& p) {
  return nlohmann::json{{"name", p.name}, {"id_number", mask_id_number(p.id_number)}, {"region_code", p.region_code},
                        {"status", p.status}};
}

}  // namespace

Result<Person> create_person(const Context& ctx, const PersonFields& in) {
  SY_TRY(need(ctx, "business:write"));
  if (!in.name) return make_error("name_required", "缺少姓名", "name");
  if (!in.id_number) return make_error("id_number_empty", "缺少身份证号", "id_number");
  if (!in.region_code) return make_error("region_required", "缺少所属村（社区）", "region_code");
  SY_ASSIGN(NormalizedPerson n, normalize_person(in, ctx.now()));
  std::optional<Person> out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_TRY(check_region(ctx, tx, n.person.region_code));
    SY_ASSIGN(auto existing, load_person_by_id_number(tx, n.person.id_number));
    if (existing) return duplicate(*existing);
    SY_ASSIGN(std::int64_t id, insert_person(tx, ctx, n, "create"));
    SY_ASSIGN(out, load_person(tx, id));
    entry = audit::Entry{.action = "person.create", .entity = "person", .entity_id = std::to_string(id),
                         .region_code = out->region_code, .after = person_summary(*out)};
    return ok_status();
  }));
  return *out;
}

Result<Person> get_person(const Context& ctx, std::int64_t id) {
  SY_TRY(need(ctx, "business:read"));
  std::optional<Person> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out, load_person(c, id));
    return ok_status();
  }));
  if (!out || !ctx.actor.in_scope(out->region_code)) return not_found();
  return *out;
}

Result<Person> update_person(const Context& ctx, std::int64_t id, const PersonFields& in, int version) {
  SY_TRY(need(ctx, "business:write"));
  SY_ASSIGN(NormalizedPerson n, normalize_person(in, ctx.now()));
  std::optional<Person> out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(auto stored, load_person(tx, id));
    if (!stored || !ctx.actor.in_scope(stored->region_code)) return not_found();
    if (stored->version != version) return make_error("stale_version", "该优抚对象已被他人修改，请刷新后重试", "version");
    if (n.has("id_number") && n.person.id_number != stored->id_number) {
      SY_ASSIGN(auto other, load_person_by_id_number(tx, n.person.id_number));
      if (other) return duplicate(*other);
      return make_error("id_number_immutable", "身份证号不能直接修改；如确属登记错误，请注销后重新登记", "id_number");
    }
    if (n.has("region_code")) SY_TRY(check_region(ctx, tx, n.person.region_code));
    SY_ASSIGN(nlohmann::json changes, merge_person(tx, ctx, *stored, n, "update"));
    SY_ASSIGN(out, load_person(tx, id));
    entry = audit::Entry{.action = "person.update", .entity = "person", .entity_id = std::to_string(id),
                         .region_code = out->region_code, .before = person_summary(*stored),
                         .after = nlohmann::json{{"changes", changes}}};
    return ok_status();
  }));
  return *out;
}

Result<Person> change_status(const Context& ctx, std::int64_t id, const StatusChange& ch, int version) {
  SY_TRY(need(ctx, "business:write"));
  auto status = parse_status(ch.status);
  if (!status) return make_error("invalid_status", "状态应为在册、暂停、迁出、死亡或注销", "status");
  std::string date;
  if (*status != "active") {
    if (ch.date.empty()) return make_error("status_date_required", "请填写" + status_name(*status) + "日期", "date");
    auto d = parse_loose_date(ch.date);
    if (!d) return make_error("invalid_date", "日期无效：" + ch.date, "date");
    if (*d > format_date_shanghai(ctx.now())) return make_error("future_date", "日期不能晚于今天", "date");
    date = *d;
  }
  std::string reason = clean_text(ch.reason);
  if ((*status == "cancelled" || *status == "suspended" || *status == "moved") && reason.empty()) {
    return make_error("reason_required", "请填写" + status_name(*status) + "原因", "reason");
  }
  std::optional<Person> out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(auto stored, load_person(tx, id));
    if (!stored || !ctx.actor.in_scope(stored->region_code)) return not_found();
    if (stored->status == *status) return make_error("same_status", "状态未改变：已是" + status_name(*status), "status");
    if (stored->status == "deceased" || stored->status == "cancelled") {
      if (*status != "active") {
        return make_error("final_status", "已" + status_name(stored->status) + "的对象只能恢复为在册（更正登记错误）", "status");
      }
    }
    SY_ASSIGN(std::int64_t n, tx.exec("UPDATE persons SET status = ?, status_date = ?, status_reason = ?, updated_at = ?, "
                                      "updated_by = ?, version = version + 1 WHERE id = ? AND version = ?",
                                      {*status, date.empty() ? std::optional<std::string>() : date, reason, ctx.now(),
                                       ctx.actor.id_or_null(), id, version}));
    if (n == 0) return make_error("stale_version", "该优抚对象已被他人修改，请刷新后重试", "version");
    nlohmann::json changes = nlohmann::json::array(
        {change("status", status_name(stored->status), status_name(*status) + (date.empty() ? "" : "（" + date + "）"))});
    if (!reason.empty()) changes.push_back(change("status_reason", stored->status_reason, reason));
    SY_TRY(write_history(tx, ctx, id, "status", changes));
    SY_ASSIGN(out, load_person(tx, id));
    entry = audit::Entry{.action = "person.status", .entity = "person", .entity_id = std::to_string(id),
                         .region_code = out->region_code, .before = person_summary(*stored),
                         .after = person_summary(*out), .detail = reason};
    return ok_status();
  }));
  return *out;
}

Result<std::vector<HistoryEntry>> person_history(const Context& ctx, std::int64_t id) {
  SY_ASSIGN(Person p, get_person(ctx, id));
  std::vector<HistoryEntry> out;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(store::Rows rows, c.query("SELECT at, username, action, changes FROM person_history WHERE person_id = ? "
                                        "ORDER BY id DESC",
                                        {p.id}));
    bool full = ctx.actor.has("sensitive:reveal");
    for (const auto& r : rows) {
      auto changes = nlohmann::json::parse(r.str(3), nullptr, false);
      if (changes.is_discarded()) changes = nlohmann::json::array();
      // History holds the values as they were; callers without sensitive:reveal see them masked.
      for (auto& c : changes) {
        std::string field = c.value("field", "");
        auto mask = field == "id_number" ? mask_id_number : field == "phone" ? mask_phone
                    : field == "bank_account" ? mask_account : nullptr;
        if (full || !mask) continue;
        for (const char* k : {"old", "new"}) {
          if (c.contains(k) && c[k].is_string()) c[k] = mask(c[k].get<std::string>());
        }
      }
      out.push_back({r.i64(0), r.str(1), r.str(2), changes});
    }
    return ok_status();
  }));
  return out;
}

namespace {

// The next string after every string starting with `prefix` (for prefix ranges on an index with
// byte order: SQLite's BINARY, PostgreSQL's COLLATE "C"): the prefix with its last character
// replaced by the next one. UTF-8 keeps code point order in byte order, so a Chinese prefix works
// too, and the bound stays valid UTF-8 (PostgreSQL checks every parameter).
std::string prefix_end(std::string prefix) {
  while (!prefix.empty()) {
    size_t start = prefix.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(prefix[start]) & 0xC0) == 0x80) --start;
    char32_t cp = 0;
    auto lead = static_cast<unsigned char>(prefix[start]);
    size_t len = prefix.size() - start;
    cp = len == 1 ? lead : len == 2 ? lead & 0x1F : len == 3 ? lead & 0x0F : lead & 0x07;
    for (size_t i = start + 1; i < prefix.size(); ++i) cp = (cp << 6) | (static_cast<unsigned char>(prefix[i]) & 0x3F);
    prefix.resize(start);
    ++cp;
    if (cp >= 0xD800 && cp < 0xE000) cp = 0xE000;
    if (cp > 0x10FFFF) continue;  // no next character: the range ends after the shorter prefix
    if (cp < 0x80) {
      prefix += static_cast<char>(cp);
    } else if (cp < 0x800) {
      prefix += static_cast<char>(0xC0 | (cp >> 6));
      prefix += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      prefix += static_cast<char>(0xE0 | (cp >> 12));
      prefix += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      prefix += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      prefix += static_cast<char>(0xF0 | (cp >> 18));
      prefix += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      prefix += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      prefix += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return prefix;
  }
  return "\x7f";
}

bool all_digits(const std::string& s, bool allow_x = false) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') continue;
    if (allow_x && (c == 'X' || c == 'x') && i + 1 == s.size()) continue;
    return false;
  }
  return true;
}

bool all_latin(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

// The page's persons, in the order of `ids` (a page of ids already in the list's order), with their
// categories. A page is found by ids first, from the narrowest index, so that ordering many matches
// sorts small (name_sort, id) entries rather than whole rows.
Status fill_page(store::Conn& c, const store::Rows& ids, Page<Person>& page) {
  if (ids.empty()) return ok_status();
  std::string in;
  store::Params id_params;
  for (const auto& r : ids) {
    in += in.empty() ? "?" : ",?";
    id_params.emplace_back(r.i64(0));
  }
  SY_ASSIGN(store::Rows rows, c.query(std::string(kPersonColumns) + " WHERE p.id IN (" + in + ")", id_params));
  std::map<std::int64_t, Person> by_id;
  for (const auto& r : rows) {
    Person person = to_person(r);
    by_id.emplace(person.id, std::move(person));
  }
  for (const auto& r : ids) {
    auto it = by_id.find(r.i64(0));
    if (it != by_id.end()) page.items.push_back(std::move(it->second));
  }
  std::vector<Person*> ptrs;
  for (auto& x : page.items) ptrs.push_back(&x);
  return load_categories(c, ptrs);
}

// Pinyin or initials alone (the search box): the matching ids and their count come from the
// covering indexes persons_initials and persons_pinyin (migration 0005) without reading a row;
// only the page's rows are read. The same set as the general query's OR: a name whose initials
// match comes from the first index, one whose pinyin alone matches from the second. A few matches
// are put in order by sorting them; from kWalkFrom matches on (a short term: "zh" is every 张, 赵
// and 周), sorting them all costs more than walking persons_sort (migration 0008) in page order
// from the term's first letter, where matches are then dense enough to fill a page soon.
constexpr std::int64_t kWalkFrom = 2000;

Result<Page<Person>> search_by_pinyin(const Context& ctx, const std::string& scope, const std::string& term,
                                      const PageRequest& page_request) {
  const std::string initials = "name_initials >= ? AND name_initials < ?";
  const std::string in_scope = " AND region_code >= ? AND region_code < ?";
  const std::string by_initials = "FROM persons WHERE " + initials + in_scope;
  const std::string by_pinyin = "FROM persons WHERE name_pinyin >= ? AND name_pinyin < ?" + in_scope + " AND NOT (" +
                                initials + ")";
  std::string term_end = prefix_end(term), scope_end = prefix_end(scope);
  store::Params params = {term, term_end, scope, scope_end, term, term_end, scope, scope_end, term, term_end};
  Page<Person> page;
  page.page = page_request.page;
  page.size = page_request.size;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(page.total,
              c.query_int("SELECT (SELECT count(*) " + by_initials + ") + (SELECT count(*) " + by_pinyin + ")", params));
    store::Rows ids;
    if (page.total >= kWalkFrom) {
      // Every match's sort key starts with the term's first letter (pinyin_sort_key, initials and
      // full pinyin all start with the first syllable), so the walk starts there.
      std::string first = term.substr(0, 1);
      store::Params p = {first, prefix_end(first), term, term_end, term, term_end, scope, scope_end,
                         static_cast<std::int64_t>(page_request.size), page_request.offset()};
      std::string index = c.dialect() == store::Dialect::kSqlite ? " INDEXED BY persons_sort" : "";
      SY_ASSIGN(ids, c.query("SELECT id FROM persons" + index +
                                 " WHERE name_sort >= ? AND name_sort < ? AND ((" + initials +
                                 ") OR (name_pinyin >= ? AND name_pinyin < ?))" + in_scope +
                                 " ORDER BY name_sort, id LIMIT ? OFFSET ?",
                             p));
    } else {
      store::Params p = params;
      p.emplace_back(page_request.size);
      p.emplace_back(page_request.offset());
      SY_ASSIGN(ids, c.query("SELECT id FROM (SELECT id, name_sort " + by_initials + " UNION ALL SELECT id, name_sort " +
                                 by_pinyin + ") m ORDER BY name_sort, id LIMIT ? OFFSET ?",
                             p));
    }
    return fill_page(c, ids, page);
  }));
  return page;
}

}  // namespace

Result<Page<Person>> search_persons(const Context& ctx, const PersonQuery& q) {
  SY_TRY(need(ctx, "business:read"));
  std::string term = clean_text(q.q);
  // With a search term, the term's own index leads and the scope is checked on the rows it finds
  // (a county clerk's scope is every row: walking persons_region for it would read them all).
  std::string where = term.empty() ? " WHERE p.region_code >= ? AND p.region_code < ?"
                                   : " WHERE (p.region_code || '') >= ? AND (p.region_code || '') < ?";
  std::string scope = ctx.actor.scope_prefix();
  if (!q.region_code.empty()) {
    auto code = normalize_region_code(q.region_code);
    if (!code) return make_error("invalid_region", "区划代码格式不正确", "region_code");
    if (!ctx.actor.in_scope(*code)) return make_error("not_found", "区划不存在或不在您的管辖范围内", "region_code");
    scope = region_prefix(*code);
  }
  store::Params params = {scope, prefix_end(scope)};
  std::optional<std::string> pinyin_term;
  if (!term.empty()) {
    std::string lower = term;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (all_digits(term, true) && term.size() >= 4) {
      std::string upper = term;
      if (upper.back() == 'x') upper.back() = 'X';
      if (upper.size() == 18) {
        where += " AND p.id_number = ?";
        params.emplace_back(upper);
      } else if (upper.size() <= 6) {
        std::string rev(upper.rbegin(), upper.rend());
        where += " AND p.id_reversed >= ? AND p.id_reversed < ?";
        params.emplace_back(rev);
        params.emplace_back(prefix_end(rev));
      } else {
        where += " AND (p.phone = ? OR p.id_number LIKE ? ESCAPE '\\')";
        params.emplace_back(upper);
        params.emplace_back(store::like_prefix(upper));
      }
    } else if (all_latin(term)) {
      pinyin_term = lower;
      where += " AND ((p.name_initials >= ? AND p.name_initials < ?) OR (p.name_pinyin >= ? AND p.name_pinyin < ?))";
      params.emplace_back(lower);
      params.emplace_back(prefix_end(lower));
      params.emplace_back(lower);
      params.emplace_back(prefix_end(lower));
    } else {
      // Names as people type them start with the surname: a prefix of the name, through the
      // persons_name index. Only when no name in the caller's scope starts with the term (a given
      // name alone, say) does the search look inside names, which reads every row in scope.
      std::int64_t starts = 0;
      SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
        SY_ASSIGN(starts, c.query_int("SELECT count(*) FROM (SELECT 1 FROM persons WHERE name >= ? AND name < ? "
                                      "AND region_code >= ? AND region_code < ? LIMIT 1) t",
                                      {term, prefix_end(term), scope, prefix_end(scope)}));
        return ok_status();
      }));
      if (starts > 0) {
        where += " AND p.name >= ? AND p.name < ?";
        params.emplace_back(term);
        params.emplace_back(prefix_end(term));
      } else {
        where += " AND p.name LIKE ? ESCAPE '\\'";
        params.emplace_back(store::like_contains(term));
      }
    }
  }
  if (!q.status.empty()) {
    auto s = parse_status(q.status);
    if (!s) return make_error("invalid_status", "状态不正确", "status");
    where += " AND p.status = ?";
    params.emplace_back(*s);
  }
  if (!q.category.empty() || q.grade || !q.cause.empty()) {
    std::string sub = " AND EXISTS (SELECT 1 FROM person_categories c WHERE c.person_id = p.id";
    if (!q.category.empty()) {
      auto cat = parse_category(q.category);
      if (!cat) return make_error("unknown_category", "优抚类别不正确", "category");
      sub += " AND c.category = ?";
      params.emplace_back(*cat);
    }
    if (q.grade) {
      sub += " AND c.disability_grade = ?";
      params.emplace_back(*q.grade);
    }
    if (!q.cause.empty()) {
      auto cause = parse_cause(q.cause);
      if (!cause) return make_error("invalid_cause", "伤残性质不正确", "cause");
      sub += " AND c.disability_cause = ?";
      params.emplace_back(*cause);
    }
    where += sub + ")";
  }
  // Age in whole years on today's date ⇔ birth date within a range.
  CivilDate today = civil_date_shanghai(ctx.now());
  auto date_text = [](int y, int m, int d) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return std::string(buf);
  };
  if (q.age_min) {  // born on or before today minus age_min years
    where += " AND p.birth_date <= ?";
    int d = today.day;
    if (today.month == 2 && d == 29) d = 28;
    params.emplace_back(date_text(today.year - *q.age_min, today.month, d));
  }
  if (q.age_max) {  // born after today minus (age_max + 1) years
    where += " AND p.birth_date > ?";
    int d = today.day;
    if (today.month == 2 && d == 29) d = 28;
    params.emplace_back(date_text(today.year - *q.age_max - 1, today.month, d));
  }
  for (auto [flag, column] : {std::pair{q.dibao, "h.is_dibao"}, std::pair{q.tekun, "h.is_tekun"},
                              std::pair{q.kongchao, "h.is_kongchao"}}) {
    if (!flag) continue;
    where += std::string(" AND ") + column + " = ?";
    params.emplace_back(*flag ? 1 : 0);
  }
  bool filtered = !q.status.empty() || !q.category.empty() || q.grade || !q.cause.empty() || q.age_min || q.age_max ||
                  q.dibao || q.tekun || q.kongchao;
  if (pinyin_term && !filtered) return search_by_pinyin(ctx, scope, *pinyin_term, q.page);
  Page<Person> page;
  page.page = q.page.page;
  page.size = q.page.size;
  // The household is joined only when a flag asks for it: joined for nothing, it costs a lookup per
  // match (120 ms to count the 11,000 张 of a county of a million instead of 2 ms).
  std::string from = q.dibao || q.tekun || q.kongchao ? " FROM persons p LEFT JOIN households h ON h.id = p.household_id"
                                                      : " FROM persons p";
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(page.total, c.query_int("SELECT count(*)" + from + where, params));
    store::Params p = params;
    p.emplace_back(q.page.size);
    p.emplace_back(q.page.offset());
    SY_ASSIGN(store::Rows ids, c.query("SELECT p.id" + from + where + " ORDER BY p.name_sort, p.id LIMIT ? OFFSET ?",
                                       p));
    return fill_page(c, ids, page);
  }));
  return page;
}

Result<PersonCounts> count_persons(const Context& ctx) {
  SY_TRY(need(ctx, "business:read"));
  PersonCounts out;
  std::string scope = ctx.actor.scope_prefix();
  store::Params range = {scope, prefix_end(scope)};
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(out.total, c.query_int("SELECT count(*) FROM persons WHERE region_code >= ? AND region_code < ?", range));
    SY_ASSIGN(out.active, c.query_int("SELECT count(*) FROM persons WHERE status = 'active' AND region_code >= ? "
                                      "AND region_code < ?",
                                      range));
    auto by_category = [&](const std::string& in) -> Result<std::int64_t> {
      return c.query_int("SELECT count(*) FROM persons p WHERE p.status = 'active' AND p.region_code >= ? AND "
                         "p.region_code < ? AND EXISTS (SELECT 1 FROM person_categories c WHERE c.person_id = p.id "
                         "AND c.category IN (" + in + "))",
                         range);
    };
    SY_ASSIGN(out.disabled_veterans, by_category("'disabled_veteran'"));
    SY_ASSIGN(out.martyr_families,
              by_category("'martyr_survivor', 'duty_death_survivor', 'illness_death_survivor', 'elderly_martyr_child'"));
    SY_ASSIGN(out.conscript_families, by_category("'conscript_family'"));
    return ok_status();
  }));
  return out;
}

}  // namespace sy::registry
