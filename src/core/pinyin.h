// Pinyin of personal names, for search ("汪军" → "wangjun", "wj") and for sorting by name.
//
// Contract: output is lowercase ASCII without tones or spaces. Each Han character becomes its
// syllable (ICU's Han-Latin reading, ü written "v" as in pinyin input methods: 吕 → "lv"); when a
// name starts with a surname that reads differently as a surname, the surname reading wins
// (曾 zeng, 单 shan, 解 xie, 仇 qiu, 朴 piao, 区 ou, 尉迟 yuchi, 万俟 moqi, ...). ASCII letters are
// kept lowercased and digits kept, each as its own token; full-width letters and digits count as
// ASCII; everything else (spaces, "·", punctuation, other scripts) is dropped. Empty in, empty out.
//
// Sorting by the pinyin of a name means ordering by `pinyin_sort_key` compared bytewise
// (std::string operator<, SQLite's default BINARY collation, PostgreSQL `COLLATE "C"`): syllables
// separated by spaces, so every 李 (li) sorts before 连 (lian), then a tab and the original name to
// break ties.
//
// Thread-safe. Readings come from ICU once per distinct character (~50 µs each) and are cached for
// the life of the process, so a name costs well under a microsecond once its characters are known.
#pragma once

#include <string>
#include <string_view>

namespace sy {

// "汪军" → "wangjun"; "李A明" → "liaming".
std::string pinyin_full(std::string_view utf8_name);
// "汪军" → "wj"; "李A明" → "lam" (ASCII letters and digits are kept whole: "李Tom" → "ltom").
std::string pinyin_initials(std::string_view utf8_name);
// "汪军" → "wang jun\t汪军" (the original trimmed of surrounding spaces). See the contract above.
std::string pinyin_sort_key(std::string_view utf8_name);

// All three at once, decoding the name a single time (what the importer stores per person).
struct NamePinyin {
  std::string full;
  std::string initials;
  std::string sort_key;
};
NamePinyin name_pinyin(std::string_view utf8_name);

}  // namespace sy
