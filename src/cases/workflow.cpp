#include "cases/workflow.h"

#include <map>

namespace sy::cases {
namespace {

struct Transition {
  const char* from;
  const char* action;
  bool hazard;
};

constexpr Transition kTransitions[] = {
    {"registered", "accept", false},    {"registered", "reject", false}, {"accepted", "assign", false},
    {"in_progress", "note", false},     {"in_progress", "resolve", false}, {"resolved", "visit", false},
    {"registered", "rectify", true},    {"rectifying", "note", true},    {"rectifying", "submit_review", true},
    {"reviewing", "review", true},
};

std::string lookup(const std::map<std::string, std::string, std::less<>>& m, std::string_view code) {
  auto it = m.find(code);
  return it == m.end() ? std::string(code) : it->second;
}

const std::vector<std::pair<std::string, std::string>> kSatisfaction = {
    {"satisfied", "满意"}, {"basically_satisfied", "基本满意"}, {"dissatisfied", "不满意"}};
const std::vector<std::pair<std::string, std::string>> kLevels = {{"general", "一般"}, {"major", "重大"}};

StepField text(const char* name, const char* label, bool required) { return {name, label, "text", required, {}}; }

std::vector<StepField> fields_of(std::string_view action) {
  if (action == "accept") return {text("note", "受理意见", false)};
  if (action == "reject") return {text("reason", "不予受理理由", true)};
  if (action == "assign")
    return {text("department", "责任单位", true), text("handler", "责任人", true), text("note", "交办意见", false)};
  if (action == "note") return {text("note", "办理情况", true)};
  if (action == "resolve")
    return {text("result", "办理结果", true), {"evidence_ids", "佐证材料", "attachments", false, {}}};
  if (action == "visit")
    return {{"satisfaction", "回访结果", "choice", true, kSatisfaction}, text("note", "回访情况（不满意时必填）", false)};
  if (action == "rectify")
    return {{"hazard_level", "隐患等级", "choice", true, kLevels}, text("measures", "整改措施", true),
            text("department", "整改责任单位", true),                text("handler", "整改责任人", true),
            {"due_date", "整改时限", "date", true, {}}};
  if (action == "submit_review")
    return {text("note", "整改情况", true), {"evidence_ids", "整改佐证", "attachments", false, {}}};
  if (action == "review")
    return {{"passed", "复查是否通过", "bool", true, {}}, text("note", "复查意见", true),
            {"due_date", "新的整改时限（未通过时必填）", "date", false, {}}};
  return {};
}

}  // namespace

bool is_hazard(std::string_view kind) { return kind == "hazard"; }

bool is_known_kind(std::string_view kind) {
  return kind == "rights" || kind == "unit_request" || kind == "hardship" || kind == "hazard";
}

bool is_known_action(std::string_view action) {
  for (const auto& t : kTransitions)
    if (action == t.action) return true;
  return false;
}

bool allowed(std::string_view kind, std::string_view status, std::string_view action) {
  if (!is_known_kind(kind)) return false;
  for (const auto& t : kTransitions)
    if (t.hazard == is_hazard(kind) && status == t.from && action == t.action) return true;
  return false;
}

std::string action_permission(std::string_view action) {
  if (action == "accept" || action == "reject" || action == "rectify" || action == "review") return "cases:decide";
  return "business:write";
}

std::vector<Step> next_steps(std::string_view kind, std::string_view status, const Actor& actor) {
  std::vector<Step> out;
  for (const auto& t : kTransitions) {
    if (t.hazard != is_hazard(kind) || status != t.from) continue;
    std::string perm = action_permission(t.action);
    if (!actor.has(perm)) continue;
    out.push_back(Step{t.action, action_name(t.action), perm, fields_of(t.action)});
  }
  return out;
}

bool is_final(std::string_view status) { return status == "closed" || status == "rejected"; }

std::string kind_name(std::string_view kind) {
  static const std::map<std::string, std::string, std::less<>> m = {
      {"rights", "涉军维权"}, {"unit_request", "部队诉求"}, {"hardship", "困难诉求"}, {"hazard", "安全隐患"}};
  return lookup(m, kind);
}

std::string status_name(std::string_view kind, std::string_view status) {
  if (is_hazard(kind) && status == "closed") return "已销号";
  static const std::map<std::string, std::string, std::less<>> m = {
      {"registered", "已登记"}, {"accepted", "已受理"},   {"in_progress", "办理中"}, {"resolved", "已办结"},
      {"closed", "已回访"},     {"rejected", "不予受理"}, {"rectifying", "整改中"},  {"reviewing", "待复查"}};
  return lookup(m, status);
}

std::string action_name(std::string_view action) {
  static const std::map<std::string, std::string, std::less<>> m = {
      {"register", "登记"},  {"accept", "受理"},          {"reject", "不予受理"}, {"assign", "交办"},
      {"note", "办理记录"},  {"resolve", "办结"},          {"visit", "回访"},      {"rectify", "下达整改"},
      {"submit_review", "申请复查"}, {"review", "复查"}, {"escalate", "逾期上报"}, {"attach", "上传附件"}};
  return lookup(m, action);
}

std::string stage_name(std::string_view stage) {
  static const std::map<std::string, std::string, std::less<>> m = {
      {"accept", "受理时限"}, {"resolve", "办理时限"}, {"rectify", "整改时限"}};
  return lookup(m, stage);
}

std::string deadline_state_name(std::string_view state) {
  static const std::map<std::string, std::string, std::less<>> m = {
      {"normal", "正常"}, {"due_soon", "临期"}, {"overdue", "逾期"}};
  return lookup(m, state);
}

std::string satisfaction_name(std::string_view code) {
  for (const auto& [c, n] : kSatisfaction)
    if (c == code) return n;
  return std::string(code);
}

std::string hazard_level_name(std::string_view code) {
  for (const auto& [c, n] : kLevels)
    if (c == code) return n;
  return std::string(code);
}

std::string applicant_type_name(std::string_view code) {
  static const std::map<std::string, std::string, std::less<>> m = {
      {"person", "优抚对象"}, {"unit", "部队"}, {"individual", "个人"}, {"", ""}};
  return lookup(m, code);
}

std::string purpose_name(std::string_view code) {
  return code == "evidence" ? "佐证材料" : code == "material" ? "材料" : std::string(code);
}

}  // namespace sy::cases
