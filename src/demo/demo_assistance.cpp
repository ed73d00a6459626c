#include "demo/demo_assistance.h"

#include <map>
#include <set>

#include "assistance/assistance.h"
#include "demo/demo_actor.h"
#include "auth/roles.h"
#include "core/region_code.h"
#include "core/text.h"

namespace sy::demo {
namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;

// One demo pair: who helps, on what, since how many days, and what happened (days ago each).
struct Entry {
  int days_ago;
  const char* kind;  // funds | labour | technical | follow_up
  std::int64_t amount;  // fen (funds), days (labour), income fen (follow-up; 0 = not estimated)
  const char* text;
};
struct Spec {
  const char* helper_type;
  const char* helper;
  const char* contact;
  const char* phone;
  const char* project;
  const char* description;
  int started_days_ago;
  std::int64_t baseline;  // fen; 0 = not given
  std::vector<Entry> entries;
  int closed_days_ago;  // 0 = still active
  const char* outcome;
};

}  // namespace

Result<DemoAssistanceReport> add_demo_assistance(const Context& base) {
  SY_ASSIGN(Actor actor, demo_actor(base, "fc_clerk"));
  const Millis now = base.now();
  FixedClock clock(now);
  Context clerk{base.db, clock, base.ids, actor};
  auto at = [&](int days_ago) { clock.set(now - days_ago * kDay); };
  auto day = [&](int days_ago) { return format_date_shanghai(now - days_ago * kDay); };

  // Households of the township, those with 低保 / 特困 / 空巢 first.
  std::vector<std::int64_t> households;
  SY_TRY(base.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(store::Rows rows,
              c.query("SELECT h.id FROM households h WHERE h.region_code LIKE ? ESCAPE '\\' AND h.status = 'active' "
                      "ORDER BY (h.is_dibao + h.is_tekun + h.is_kongchao) DESC, h.id LIMIT 12",
                      {store::like_prefix(region_prefix(actor.region_code))}));
    for (const auto& r : rows) households.push_back(r.i64(0));
    return ok_status();
  }));

  const std::vector<Spec> specs = {
      {"department", "县退役军人事务局", "王芳", "03503021234", "industry", "扶持发展肉牛养殖，购买基础母牛2头", 300, 1600000,
       {{290, "funds", 1200000, "购买基础母牛2头"}, {280, "labour", 8, "帮助搭建牛棚"},
        {250, "technical", 0, "联系县畜牧站上门讲解防疫和饲喂"}, {180, "follow_up", 1900000, "母牛产犊1头，长势良好"},
        {60, "follow_up", 2450000, "存栏4头，出售育肥牛1头"}},
       0, ""},
      {"cadre", "张卫东", "", "13935011234", "employment", "推荐到县城物流园区就业", 240, 1200000,
       {{230, "technical", 0, "参加县人社局叉车操作培训并取得证书"}, {200, "follow_up", 2800000, "已在物流园上岗，月工资3500元"},
        {30, "follow_up", 3300000, "转为正式合同工"}},
       20, "稳定就业，家庭年收入增加2.1万元"},
      {"unit", "驻地某部雷达站", "张参谋", "03503012345", "housing", "帮助修缮漏雨的老房屋顶", 200, 900000,
       {{195, "labour", 24, "官兵利用周末更换屋顶瓦片"}, {190, "funds", 650000, "部队党员捐款购买建材"},
        {120, "follow_up", 950000, "屋顶不再漏雨，冬季取暖改善"}},
       100, "危房修缮完成，住房安全有保障"},
      {"department", "县教育局", "周老师", "03503025678", "education", "资助孙女高中三年学费和住宿费", 420, 0,
       {{400, "funds", 300000, "第一学年学费"}, {40, "funds", 300000, "第二学年学费"},
        {35, "follow_up", 0, "成绩班级前十，申请了国家助学金"}},
       0, ""},
      {"department", "县卫生健康局", "刘医生", "03503027788", "medical", "慢性病签约家庭医生，协助办理门诊慢特病报销", 180, 700000,
       {{175, "technical", 0, "家庭医生签约，每月上门测血压血糖"}, {150, "funds", 180000, "垫付药费"},
        {90, "follow_up", 760000, "报销比例提高，自付药费每月减少300元"}, {15, "follow_up", 820000, "病情稳定"}},
       0, ""},
      {"cadre", "王建华", "", "13835016688", "industry", "发展庭院种植：大棚蔬菜", 160, 1000000,
       {{155, "funds", 400000, "修建简易温室大棚"}, {150, "labour", 5, "村干部帮忙扣棚"},
        {140, "technical", 0, "镇农技站指导育苗"}, {70, "follow_up", 1350000, "第一茬蔬菜收入4000元"}},
       0, ""},
      {"unit", "驻地某部三连", "赵指导员", "03503016789", "other", "节日慰问和日常照料空巢老人", 150, 0,
       {{140, "labour", 4, "打扫院落、储备冬煤"}, {100, "labour", 3, "帮助秋收"},
        {50, "follow_up", 0, "老人精神状态好，定期电话问候"}},
       0, ""},
      {"department", "繁城镇人民政府", "韩主任", "03503030011", "employment", "开发村级公益性岗位（保洁员）", 330, 800000,
       {{320, "technical", 0, "岗前培训"}, {250, "follow_up", 1400000, "公益性岗位每月补贴500元"},
        {120, "follow_up", 1500000, "工作稳定"}},
       110, "公益岗位续聘，纳入镇里统一管理后结束结对"},
      {"cadre", "李明", "", "13703501234", "medical", "协助申请大病救助", 90, 600000,
       {{85, "technical", 0, "帮助准备大病救助申请材料"}, {60, "funds", 500000, "协调慈善总会救助资金"},
        {20, "follow_up", 650000, "手术费用已结清"}},
       0, ""},
      {"department", "县住房和城乡建设局", "孙工", "03503029900", "housing", "农村危房改造", 60, 1100000,
       {{55, "technical", 0, "危房鉴定为C级，制定加固方案"}, {40, "funds", 2000000, "危房改造补助资金"},
        {25, "labour", 10, "组织施工队加固墙体"}},
       0, ""},
      {"unit", "武警繁峙中队", "马队长", "03503018877", "education", "结对助学：资助小学生学习用品和课外辅导", 120, 0,
       {{115, "funds", 80000, "书包、文具和冬衣"}, {90, "labour", 6, "周末课业辅导"},
        {45, "follow_up", 0, "期中考试进步明显"}},
       0, ""},
      {"department", "县农业农村局", "郭站长", "03503023344", "industry", "发展小杂粮种植，订单收购", 45, 1300000,
       {{40, "technical", 0, "推荐优质谷子品种，签订收购订单"}, {10, "follow_up", 0, "已完成秋收，待订单结算"}},
       0, ""},
  };

  DemoAssistanceReport report;
  size_t n = std::min(households.size(), specs.size());
  for (size_t i = 0; i < n; ++i) {
    const Spec& s = specs[i];
    at(s.started_days_ago);
    assistance::NewPair in{.household_id = households[i],
                           .helper = assistance::Helper{.type = s.helper_type, .name = s.helper, .contact = s.contact,
                                                        .phone = s.phone},
                           .project = s.project,
                           .description = s.description,
                           .started_on = day(s.started_days_ago),
                           .baseline_income = s.baseline ? std::optional<std::int64_t>(s.baseline) : std::nullopt};
    SY_ASSIGN(assistance::PairDetail d, assistance::create_pair(clerk, in));
    for (const Entry& e : s.entries) {
      at(e.days_ago);
      std::string kind = e.kind;
      if (kind == "follow_up") {
        SY_ASSIGN(d, assistance::add_follow_up(
                         clerk, d.pair.id,
                         assistance::NewFollowUp{.visited_on = day(e.days_ago), .note = e.text,
                                                 .income = e.amount ? std::optional<std::int64_t>(e.amount) : std::nullopt,
                                                 .version = d.pair.version}));
      } else {
        SY_ASSIGN(d, assistance::add_input(
                         clerk, d.pair.id,
                         assistance::NewInput{.kind = kind, .given_on = day(e.days_ago),
                                              .amount = kind == "funds" ? e.amount : 0,
                                              .labour_days = kind == "labour" ? static_cast<int>(e.amount) : 0,
                                              .description = e.text, .version = d.pair.version}));
      }
    }
    if (s.closed_days_ago) {
      at(s.closed_days_ago);
      SY_ASSIGN(d, assistance::close_pair(clerk, d.pair.id,
                                          assistance::Closing{.closed_on = day(s.closed_days_ago), .outcome = s.outcome,
                                                              .version = d.pair.version}));
      ++report.closed;
    }
    ++report.pairs;
  }
  return report;
}

}  // namespace sy::demo
