#include "payroll/rules.h"

#include "audit/audit.h"
#include "core/civil_date.h"
#include "payroll/bank_file.h"

namespace sy::payroll {
namespace {

Status put(store::Conn& tx, const Context& ctx, const std::string& key, const std::string& value) {
  SY_ASSIGN(std::int64_t n, tx.exec("UPDATE settings SET value = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE key = ?",
                                    {value, ctx.now(), ctx.actor.id_or_null(), key}));
  if (n == 0)
    SY_TRY(tx.exec("INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?,?,?,?)",
                   {key, value, ctx.now(), ctx.actor.id_or_null()}));
  return ok_status();
}

bool valid_deadline(const std::string& s) {
  if (s.size() != 5 || s[2] != '-') return false;
  return parse_loose_date("2024-" + s).has_value();  // a leap year, so 02-29 is allowed
}

}  // namespace

Result<RulesSettings> load_rules(store::Conn& c) {
  RulesSettings r;
  SY_ASSIGN(store::Rows rows, c.query("SELECT key, value FROM settings WHERE key LIKE 'payroll.%'"));
  for (const auto& row : rows) {
    std::string k = row.str(0), v = row.str(1);
    try {
      if (k == "payroll.first_month") r.first_month = v;
      if (k == "payroll.funeral_months") r.funeral_months = std::stoi(v);
      if (k == "payroll.funeral_months_disabled_illness") r.funeral_months_disabled_illness = std::stoi(v);
      if (k == "payroll.part_year_counts") r.part_year_counts = v == "true";
      if (k == "payroll.proof_of_life_deadline") r.proof_of_life_deadline = v;
      if (k == "payroll.bank_templates") {
        auto j = nlohmann::json::parse(v, nullptr, false);
        if (!j.is_discarded() && validate_bank_templates(j).ok()) r.bank_templates = j;
      }
    } catch (...) {
      // A value that no longer parses keeps the default; update_rules never writes one.
    }
  }
  return r;
}

nlohmann::json rules_json(const RulesSettings& r) {
  return {{"first_month", r.first_month},
          {"funeral_months", r.funeral_months},
          {"funeral_months_disabled_illness", r.funeral_months_disabled_illness},
          {"part_year_counts", r.part_year_counts},
          {"proof_of_life_deadline", r.proof_of_life_deadline},
          {"bank_templates", r.bank_templates}};
}

Result<RulesSettings> update_rules(const Context& ctx, const nlohmann::json& changes) {
  if (!ctx.actor.has("standards:manage") && !ctx.actor.has("settings:manage"))
    return make_error("forbidden", "您的角色无权修改发放规则");
  if (!changes.is_object()) return make_error("invalid_request", "请求格式错误");
  RulesSettings out;
  SY_TRY(audit::mutate(ctx, [&](store::Conn& tx, audit::Entry& entry) -> Status {
    SY_ASSIGN(RulesSettings before, load_rules(tx));
    RulesSettings r = before;
    for (const auto& [k, v] : changes.items()) {
      if (k == "first_month") {
        if (!v.is_string() || (!v.get<std::string>().empty() && !parse_month(v.get<std::string>())))
          return make_error("invalid_setting", "首次发放月份应为 YYYY-MM", k);
        r.first_month = v.get<std::string>();
      } else if (k == "funeral_months" || k == "funeral_months_disabled_illness") {
        if (!v.is_number_integer() || v.get<int>() < 0 || v.get<int>() > 60)
          return make_error("invalid_setting", "丧葬补助月数应为 0 至 60 的整数", k);
        (k == "funeral_months" ? r.funeral_months : r.funeral_months_disabled_illness) = v.get<int>();
      } else if (k == "part_year_counts") {
        if (!v.is_boolean()) return make_error("invalid_setting", "应为是或否", k);
        r.part_year_counts = v.get<bool>();
      } else if (k == "proof_of_life_deadline") {
        if (!v.is_string() || (!v.get<std::string>().empty() && !valid_deadline(v.get<std::string>())))
          return make_error("invalid_setting", "生存认证截止日应为 MM-DD（如 06-30），留空表示不检查", k);
        r.proof_of_life_deadline = v.get<std::string>();
      } else if (k == "bank_templates") {
        SY_TRY(validate_bank_templates(v));
        r.bank_templates = v;
      } else {
        return make_error("invalid_setting", "未知的设置项：" + k, k);
      }
    }
    SY_TRY(put(tx, ctx, "payroll.first_month", r.first_month));
    SY_TRY(put(tx, ctx, "payroll.funeral_months", std::to_string(r.funeral_months)));
    SY_TRY(put(tx, ctx, "payroll.funeral_months_disabled_illness", std::to_string(r.funeral_months_disabled_illness)));
    SY_TRY(put(tx, ctx, "payroll.part_year_counts", r.part_year_counts ? "true" : "false"));
    SY_TRY(put(tx, ctx, "payroll.proof_of_life_deadline", r.proof_of_life_deadline));
    SY_TRY(put(tx, ctx, "payroll.bank_templates", r.bank_templates.dump()));
    entry = audit::Entry{.action = "payroll.rules", .entity = "settings", .entity_id = "payroll",
                         .before = rules_json(before), .after = rules_json(r)};
    out = r;
    return ok_status();
  }));
  return out;
}

Status fix_first_month(store::Conn& tx, const Context& ctx, const std::string& month) {
  SY_ASSIGN(RulesSettings r, load_rules(tx));
  if (!r.first_month.empty()) return ok_status();
  return put(tx, ctx, "payroll.first_month", month);
}

}  // namespace sy::payroll
