#include "core/pinyin.h"

#include <gtest/gtest.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace sy {
namespace {

TEST(Pinyin, FullAndInitials) {
  EXPECT_EQ(pinyin_full("汪军"), "wangjun");
  EXPECT_EQ(pinyin_initials("汪军"), "wj");
  EXPECT_EQ(pinyin_full("张伟"), "zhangwei");
  EXPECT_EQ(pinyin_initials("张伟"), "zw");
  EXPECT_EQ(pinyin_full("欧阳修"), "ouyangxiu");
}

TEST(Pinyin, SurnamesReadAsSurnames) {
  struct Case {
    const char* name;
    const char* full;
    const char* initials;
  };
  const Case cases[] = {
      {"曾杰", "zengjie", "zj"},
      {"单田芳", "shantianfang", "stf"},
      {"解缙", "xiejin", "xj"},
      {"仇英", "qiuying", "qy"},
      {"朴槿惠", "piaojinhui", "pjh"},
      {"区小明", "ouxiaoming", "oxm"},
      {"查良镛", "zhaliangyong", "zly"},
      {"盖聂", "genie", "gn"},
      {"覃美", "qinmei", "qm"},
      {"翟志刚", "zhaizhigang", "zzg"},
      {"缪斯", "miaosi", "ms"},
      {"繁钦", "poqin", "pq"},
      {"尉迟恭", "yuchigong", "ycg"},
      {"万俟卨", "moqixie", "mqx"},
      {"长孙无忌", "zhangsunwuji", "zswj"},
      {"澹台灭明", "tantaimieming", "ttmm"},
      {"种师道", "chongshidao", "csd"},
      {"薄一波", "boyibo", "byb"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(pinyin_full(c.name), c.full) << c.name;
    EXPECT_EQ(pinyin_initials(c.name), c.initials) << c.name;
  }
}

TEST(Pinyin, SurnameReadingOnlyAtTheStart) {
  EXPECT_EQ(pinyin_full("李曾"), "liceng");  // 曾 as a given name keeps its common reading
  EXPECT_EQ(pinyin_full("王单"), "wangdan");
  EXPECT_EQ(pinyin_full("万明"), "wanming");          // 万 alone is wan; only 万俟 is moqi
  EXPECT_EQ(pinyin_full(" \u3000曾杰 "), "zengjie");  // after surrounding spaces
}

TEST(Pinyin, UmlautWrittenV) {
  EXPECT_EQ(pinyin_full("吕布"), "lvbu");
  EXPECT_EQ(pinyin_initials("吕布"), "lb");
}

TEST(Pinyin, MixedNames) {
  EXPECT_EQ(pinyin_full("李A明"), "liaming");
  EXPECT_EQ(pinyin_initials("李A明"), "lam");
  EXPECT_EQ(pinyin_full("李Ａ明"), "liaming");  // full-width letter
  EXPECT_EQ(pinyin_full("王2"), "wang2");
  EXPECT_EQ(pinyin_initials("王2"), "w2");
  EXPECT_EQ(pinyin_initials("李Tom"), "ltom");
  EXPECT_EQ(pinyin_full("Tom Li"), "tomli");
  EXPECT_EQ(pinyin_full("阿依古丽·买买提"), "ayigulimaimaiti");
  EXPECT_EQ(pinyin_initials("阿依古丽·买买提"), "ayglmmt");
  EXPECT_EQ(pinyin_full("汪 军（新）"), "wangjunxin");
  EXPECT_EQ(pinyin_full("Élodie"), "lodie");  // non-ASCII Latin is dropped
}

TEST(Pinyin, EmptyAndNothingToRead) {
  EXPECT_EQ(pinyin_full(""), "");
  EXPECT_EQ(pinyin_initials(""), "");
  EXPECT_EQ(pinyin_full("  \u3000"), "");
  EXPECT_EQ(pinyin_full("·（）"), "");
  EXPECT_EQ(pinyin_full("\xff\xfe"), "");  // not UTF-8
  EXPECT_EQ(pinyin_sort_key(""), "\t");
}

TEST(Pinyin, SortKey) {
  EXPECT_EQ(pinyin_sort_key("汪军"), "wang jun\t汪军");
  EXPECT_EQ(pinyin_sort_key(" 曾杰\u3000"), "zeng jie\t曾杰");
  EXPECT_EQ(pinyin_sort_key("李A明"), "li a ming\t李A明");

  // Every 李 (li) before 连 (lian); a name before its longer extensions; 曾 under z.
  std::vector<std::string> names = {"连杰", "李明", "曾杰", "李安", "李", "陈曾", "李明华"};
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return pinyin_sort_key(a) < pinyin_sort_key(b);
  });
  EXPECT_EQ(names,
            (std::vector<std::string>{"陈曾", "李", "李安", "李明", "李明华", "连杰", "曾杰"}));
}

TEST(Pinyin, NamePinyinMatchesTheSingleFunctions) {
  for (const char* name : {"汪军", "曾杰", "李A明", "", "万俟卨", "阿依古丽·买买提"}) {
    NamePinyin p = name_pinyin(name);
    EXPECT_EQ(p.full, pinyin_full(name)) << name;
    EXPECT_EQ(p.initials, pinyin_initials(name)) << name;
    EXPECT_EQ(p.sort_key, pinyin_sort_key(name)) << name;
  }
}

TEST(Pinyin, ConcurrentCallsFromEightThreads) {
  // Names built from characters no other test uses, so the threads race to fill the cache.
  std::vector<std::string> names;
  for (UChar32 c = 0x6A00; c < 0x6E00; c += 2) {
    char buf[8];
    int32_t n = 0;
    U8_APPEND_UNSAFE(buf, n, c);
    U8_APPEND_UNSAFE(buf, n, c + 1);
    names.emplace_back(buf, static_cast<size_t>(n));
  }
  names.push_back("汪军");
  names.push_back("曾杰");

  constexpr int kThreads = 8;
  std::vector<std::vector<std::string>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread walks the names from a different start.
      for (size_t k = 0; k < names.size(); ++k) {
        size_t i = (k + static_cast<size_t>(t) * 97) % names.size();
        results[t].push_back(std::to_string(i) + ":" + pinyin_full(names[i]));
      }
      std::sort(results[t].begin(), results[t].end());
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 1; t < kThreads; ++t) EXPECT_EQ(results[t], results[0]) << "thread " << t;
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_NE(std::find(results[0].begin(), results[0].end(),
                        std::to_string(i) + ":" + pinyin_full(names[i])),
              results[0].end());
  }
  EXPECT_EQ(pinyin_full("汪军"), "wangjun");
  size_t read = std::count_if(results[0].begin(), results[0].end(),
                              [](const std::string& r) { return r.back() != ':'; });
  EXPECT_GT(read, names.size() * 9 / 10);  // nearly every character there has a reading
}

}  // namespace
}  // namespace sy
