#include "audit/audit.h"

#include <map>

namespace sy::audit {

Status record(store::Conn& tx, const Context& ctx, const Entry& e) {
  const Actor& a = ctx.actor;
  std::optional<std::int64_t> user_id;
  if (a.user_id) user_id = a.user_id;
  std::optional<std::string> before, after;
  if (e.before) before = e.before->dump();
  if (e.after) after = e.after->dump();
  SY_TRY(tx.exec(
      "INSERT INTO audit_log (id, at, user_id, username, ip, action, entity, entity_id, "
      "region_code, before_json, after_json, result, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {ctx.ids.next(), ctx.now(), user_id, a.username, a.ip, e.action, e.entity, e.entity_id,
       e.region_code, before, after, e.result, e.detail}));
  return ok_status();
}

Status record_now(const Context& ctx, const Entry& e) {
  return ctx.db.transact([&](store::Conn& tx) { return record(tx, ctx, e); });
}

Status mutate(const Context& ctx, const std::function<Status(store::Conn&, Entry&)>& change) {
  return ctx.db.transact([&](store::Conn& tx) -> Status {
    Entry entry;
    SY_TRY(change(tx, entry));
    if (entry.action.empty()) throw std::logic_error("audit::mutate: change did not name its action");
    return record(tx, ctx, entry);
  });
}

namespace {

struct Where {
  std::string sql;
  store::Params params;
};

Where build_where(const Query& q) {
  Where w;
  w.sql = " WHERE 1=1";
  auto eq = [&](const char* col, const std::string& v) {
    if (v.empty()) return;
    w.sql += std::string(" AND ") + col + " = ?";
    w.params.emplace_back(v);
  };
  eq("username", q.username);
  eq("entity", q.entity);
  eq("entity_id", q.entity_id);
  eq("result", q.result);
  if (!q.action.empty()) {
    // "user" matches every user.* action; "user.create" matches itself.
    if (q.action.find('.') == std::string::npos) {
      w.sql += " AND action LIKE ? ESCAPE '\\'";
      w.params.emplace_back(store::like_prefix(q.action + "."));
    } else {
      eq("action", q.action);
    }
  }
  if (q.from) {
    w.sql += " AND at >= ?";
    w.params.emplace_back(*q.from);
  }
  if (q.to) {
    w.sql += " AND at < ?";
    w.params.emplace_back(*q.to);
  }
  return w;
}

const char* kColumns =
    "SELECT id, at, user_id, username, ip, action, entity, entity_id, region_code, before_json, "
    "after_json, result, detail FROM audit_log";

Row to_row(const store::Row& r) {
  Row o;
  o.id = r.i64(0);
  o.at = r.i64(1);
  o.user_id = r.opt_i64(2);
  o.username = r.str(3);
  o.ip = r.str(4);
  o.action = r.str(5);
  o.entity = r.str(6);
  o.entity_id = r.str(7);
  o.region_code = r.str(8);
  o.before_json = r.opt_str(9);
  o.after_json = r.opt_str(10);
  o.result = r.str(11);
  o.detail = r.str(12);
  return o;
}

}  // namespace

Result<Page<Row>> search(const Context& ctx, const Query& q) {
  if (!ctx.actor.has("audit:read")) return make_error("forbidden", "无权查看审计日志");
  Page<Row> page;
  page.page = q.page.page;
  page.size = q.page.size;
  Where w = build_where(q);
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(page.total, c.query_int("SELECT count(*) FROM audit_log" + w.sql, w.params));
    store::Params p = w.params;
    p.emplace_back(q.page.size);
    p.emplace_back(q.page.offset());
    SY_ASSIGN(store::Rows rows,
              c.query(std::string(kColumns) + w.sql + " ORDER BY id DESC LIMIT ? OFFSET ?", p));
    for (const auto& r : rows) page.items.push_back(to_row(r));
    return ok_status();
  }));
  return page;
}

Result<std::vector<Row>> export_rows(const Context& ctx, const Query& q, int limit) {
  if (!ctx.actor.has("audit:export")) return make_error("forbidden", "无权导出审计日志");
  std::vector<Row> out;
  Where w = build_where(q);
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    store::Params p = w.params;
    p.emplace_back(limit);
    SY_ASSIGN(store::Rows rows, c.query(std::string(kColumns) + w.sql + " ORDER BY id DESC LIMIT ?", p));
    for (const auto& r : rows) out.push_back(to_row(r));
    return ok_status();
  }));
  // The whole filter, so the log says exactly which rows left the system.
  auto time_or_null = [](const std::optional<Millis>& t) {
    return t ? nlohmann::json(format_iso_shanghai(*t)) : nlohmann::json(nullptr);
  };
  nlohmann::json filter = {{"username", q.username}, {"action", q.action},
                           {"entity", q.entity},     {"entity_id", q.entity_id},
                           {"result", q.result},     {"from", time_or_null(q.from)},
                           {"to", time_or_null(q.to)}, {"rows", out.size()}};
  SY_TRY(record_now(ctx, Entry{.action = "audit.export", .entity = "audit_log",
                               .after = filter, .detail = "导出审计日志 " + std::to_string(out.size()) + " 条"}));
  return out;
}

std::string action_label(std::string_view action) {
  static const std::map<std::string, std::string, std::less<>> kLabels = {
      {"session.login", "登录"},
      {"session.login_failed", "登录失败"},
      {"session.logout", "退出登录"},
      {"session.expired", "会话过期"},
      {"user.create", "新增用户"},
      {"user.update", "修改用户"},
      {"user.disable", "停用用户"},
      {"user.enable", "启用用户"},
      {"user.reset_password", "重置密码"},
      {"user.change_password", "修改密码"},
      {"user.set_roles", "分配角色"},
      {"user.unlock", "解锁用户"},
      {"user.locked", "账户锁定"},
      {"role.update", "修改角色权限"},
      {"settings.update", "修改系统设置"},
      {"region.load", "导入区划"},
      {"audit.export", "导出审计日志"},
      {"system.init", "系统初始化"},
      {"person.create", "新增优抚对象"},
      {"person.update", "修改优抚对象"},
      {"person.status", "变更优抚对象状态"},
      {"person.import", "导入优抚对象"},
      {"person.export", "导出优抚对象"},
      {"person.reveal", "查看完整敏感信息"},
      {"household.update", "修改户信息"},
      {"household.join", "加入其他户"},
      {"household.head", "变更户主"},
      {"household.split", "迁出为独立户"},
      {"standard.create", "录入待遇标准"},
      {"standard.correct", "更正待遇标准"},
      {"standard.import", "导入待遇标准"},
      {"standard.export", "导出待遇标准"},
      {"benefit_item.funding", "修改资金分担比例"},
      {"payroll.rules", "修改发放规则"},
      {"payroll.create", "编制发放批次"},
      {"payroll.recompute", "重新计算发放批次"},
      {"payroll.discard", "作废发放批次"},
      {"payroll.approve", "审核发放批次"},
      {"payroll.export", "导出银行代发文件"},
      {"payroll.roster", "查看发放花名册"},
      {"payroll.reconcile", "导入银行回盘"},
      {"proof_of_life.record", "登记生存认证"},
      {"proof_of_life.import", "导入生存认证"},
      {"case.register", "登记诉求"},
      {"case.accept", "受理诉求"},
      {"case.reject", "不予受理诉求"},
      {"case.assign", "交办诉求"},
      {"case.note", "诉求办理记录"},
      {"case.resolve", "办结诉求"},
      {"case.visit", "回访诉求"},
      {"case.rectify", "下达隐患整改"},
      {"case.submit_review", "隐患申请复查"},
      {"case.review", "复查隐患"},
      {"case.attach", "上传诉求附件"},
      {"case.export", "导出诉求台帐"},
      {"case.escalate", "逾期诉求上报"},
      {"case_kind.update", "修改诉求类型设置"},
      {"calendar.update", "修改节假日安排"},
      {"assistance_pair.create", "结对帮扶"},
      {"assistance_pair.update", "修改帮扶对子"},
      {"assistance_pair.input", "登记帮扶投入"},
      {"assistance_pair.follow_up", "登记帮扶回访"},
      {"assistance_pair.close", "结束帮扶"},
      {"campaign.create", "新建走访慰问活动"},
      {"campaign.update", "修改走访慰问活动"},
      {"campaign.generate", "生成走访对象"},
      {"campaign.append", "追加走访对象"},
      {"campaign.assign", "指派走访任务"},
      {"campaign.close", "结束走访慰问活动"},
      {"visit.record", "登记走访"},
  };
  auto it = kLabels.find(action);
  return it == kLabels.end() ? std::string(action) : it->second;
}

}  // namespace sy::audit
