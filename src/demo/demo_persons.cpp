#include "demo/demo_persons.h"

#include <cstdio>
#include <random>
#include <set>

#include "core/clock.h"
#include "core/id_number.h"
#include "registry/import.h"
#include "registry/persons.h"

namespace sy::demo {
namespace {

const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
                           "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
                           "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾",
                           "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜"};
const char* kGivenMale[] = {"建国", "国强", "志刚", "建军", "卫东", "俊", "军", "强", "伟", "海", "平", "明", "文斌",
                            "建华", "永红", "宝山", "满仓", "二虎", "福贵", "跃进", "卫国", "振华", "树林", "长城"};
const char* kGivenFemale[] = {"秀英", "桂兰", "玉兰", "淑珍", "丽", "敏", "静", "芳", "红梅", "秀兰", "春花", "凤英",
                              "金凤", "翠花", "玉梅", "美华", "晓燕", "丽娟", "桂英", "巧云"};
const char* kBanks[] = {"山西农信繁峙联社", "中国邮政储蓄银行繁峙县支行", "中国农业银行繁峙县支行",
                        "中国工商银行繁峙支行"};

struct CategorySpec {
  const char* name;
  int weight;
  int born_from, born_to;  // birth years
};
// Shares roughly as in county annual plans; birth years fit each category's rules.
const CategorySpec kCategories[] = {
    {"残疾军人", 20, 1945, 1990},        {"烈士遗属", 7, 1935, 1975},
    {"因公牺牲军人遗属", 3, 1940, 1985}, {"病故军人遗属", 3, 1940, 1980},
    {"在乡复员军人", 3, 1926, 1935},     {"带病回乡退役军人", 8, 1948, 1975},
    {"参战退役军人", 12, 1948, 1966},    {"参试退役军人", 3, 1938, 1960},
    {"60周岁以上农村籍退役士兵", 25, 1940, 1965}, {"烈士老年子女", 3, 1940, 1965},
    {"义务兵家庭", 13, 1970, 1985}};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A valid bank card number: 621799 + 12 random digits + Luhn check digit.
std::string bank_account(std::mt19937& rng) {
  std::string s = "621799";
  for (int i = 0; i < 12; ++i) s += static_cast<char>('0' + rng() % 10);
  for (char d = '0'; d <= '9'; ++d) {
    if (luhn_valid(s + d)) return s + d;
  }
  return s + "0";
}

}  // namespace

Result<DemoPersonsReport> add_demo_persons(const Context& ctx, const std::string& county_code, unsigned seed) {
  std::mt19937 rng(seed);
  struct Village {
    std::string code, name;
  };
  std::vector<Village> villages;
  SY_TRY(ctx.db.read([&](store::Conn& c) -> Status {
    SY_ASSIGN(store::Rows rows, c.query("SELECT code, short_name FROM regions WHERE level = 'village' ORDER BY code"));
    for (const auto& r : rows) villages.push_back({r.str(0), r.str(1)});
    return ok_status();
  }));
  int total_weight = 0;
  for (const auto& c : kCategories) total_weight += c.weight;
  std::string addr6 = county_code.substr(0, 6);
  std::set<std::string> ids;
  std::string csv =
      "姓名,身份证号,民族,优抚类别,伤残等级,伤残性质,所属村(社区),联系电话,家庭住址,开户银行,银行账号,批准日期,"
      "入伍时间,退伍时间,是否低保,是否特困,是否空巢\r\n";
  int persons = 0;
  CivilDate today = civil_date_shanghai(ctx.now());
  std::vector<std::string> to_change;  // ID numbers that get another status below
  for (const auto& v : villages) {
    int n = 6 + static_cast<int>(rng() % 10);
    for (int i = 0; i < n; ++i) {
      int pick = static_cast<int>(rng() % static_cast<unsigned>(total_weight));
      const CategorySpec* cat = &kCategories[0];
      for (const auto& c : kCategories) {
        if (pick < c.weight) {
          cat = &c;
          break;
        }
        pick -= c.weight;
      }
      std::string category = cat->name;
      bool veteran = category != "烈士遗属" && category != "因公牺牲军人遗属" && category != "病故军人遗属" &&
                     category != "烈士老年子女" && category != "义务兵家庭";
      bool male = veteran ? (rng() % 50 != 0) : (rng() % 2 == 0);
      int year = cat->born_from + static_cast<int>(rng() % static_cast<unsigned>(cat->born_to - cat->born_from + 1));
      int month = 1 + static_cast<int>(rng() % 12), day = 1 + static_cast<int>(rng() % 28);
      if (year > today.year - 18) year = today.year - 18;
      std::string id;
      for (int attempt = 0; attempt < 20; ++attempt) {
        char first17[64];
        int seq = static_cast<int>(rng() % 500) * 2 + (male ? 1 : 0);
        std::snprintf(first17, sizeof first17, "%s%04d%02d%02d%03d", addr6.c_str(), year, month, day, seq);
        std::string prefix(first17, 17);
        id = prefix + id_number_check_digit(prefix);
        if (ids.insert(id).second) break;
      }
      std::string name = std::string(kSurnames[rng() % std::size(kSurnames)]) +
                         (male ? kGivenMale[rng() % std::size(kGivenMale)] : kGivenFemale[rng() % std::size(kGivenFemale)]);
      std::string grade, cause;
      if (category == "残疾军人") {
        int g = 1 + static_cast<int>(rng() % 10);
        if (g < 5 && rng() % 2) g += 5;  // the lighter grades are the most common
        int c = static_cast<int>(rng() % 10);
        cause = c < 3 ? "因战" : c < 8 ? "因公" : "因病";
        if (cause == "因病" && g > 6) g = 6 - static_cast<int>(rng() % 2);
        grade = std::to_string(g) + "级";
      }
      std::string enlisted, discharged;
      if (veteran) {
        int ey = std::min(year + 18 + static_cast<int>(rng() % 3), today.year - 3);
        enlisted = std::to_string(ey) + "-12";
        discharged = std::to_string(std::min(ey + 3 + static_cast<int>(rng() % 3), today.year - 1)) + "-12";
      }
      int approved_year = std::max(year + 20, 1985) + static_cast<int>(rng() % 15);
      if (approved_year > today.year - 1) approved_year = today.year - 1;
      char approved[48];
      std::snprintf(approved, sizeof approved, "%04d-%02d-%02d", approved_year, 1 + static_cast<int>(rng() % 12),
                    1 + static_cast<int>(rng() % 28));
      std::string phone = std::string("1") + "3578"[rng() % 4] + std::to_string(100000000 + rng() % 900000000);
      bool dibao = rng() % 10 == 0, tekun = rng() % 30 == 0;
      bool kongchao = category == "义务兵家庭" && rng() % 4 == 0;
      csv += csv_field(name) + "," + id + ",汉族," + category + "," + grade + "," + cause + "," + v.code + "," +
             phone + "," + csv_field(v.name + std::to_string(1 + rng() % 200) + "号") + "," +
             kBanks[rng() % std::size(kBanks)] + "," + bank_account(rng) + "," + approved + "," + enlisted + "," +
             discharged + "," + (dibao ? "是" : "否") + "," + (tekun ? "是" : "否") + "," + (kongchao ? "是" : "否") +
             "\r\n";
      ++persons;
      if (rng() % 40 == 0) to_change.push_back(id);
    }
  }
  SY_ASSIGN(registry::ImportReport report,
            registry::import_persons(ctx, csv, registry::ImportOptions{.file_name = "demo.csv", .town = county_code}));
  if (report.rejected > 0) {
    for (const auto& v : report.verdicts) {
      if (v.verdict == "rejected") {
        return make_error("demo_failed", "演示数据第" + std::to_string(v.row) + "行被拒绝：" + v.message);
      }
    }
  }
  // A few of each status, through the same service a clerk uses.
  const char* statuses[][2] = {{"suspended", "未按期完成生存认证"}, {"deceased", "病故"}, {"moved", "随子女迁往外省"},
                               {"cancelled", "经复核不符合条件"}};
  for (size_t i = 0; i < to_change.size(); ++i) {
    auto page = registry::search_persons(ctx, registry::PersonQuery{.q = to_change[i]});
    if (!page.ok() || page->items.empty()) continue;
    const auto& [status, reason] = statuses[i % 4];
    char date[48];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", today.year - static_cast<int>(i % 3), 1 + static_cast<int>(i % 9), 10);
    SY_TRY(registry::change_status(ctx, page->items[0].id, registry::StatusChange{status, date, reason},
                                   page->items[0].version));
  }
  return DemoPersonsReport{report.created, static_cast<int>(villages.size())};
}

}  // namespace sy::demo
