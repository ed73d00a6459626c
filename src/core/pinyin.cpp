#include "core/pinyin.h"

#include <unicode/translit.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace sy {
namespace {

// Surnames whose surname reading differs from the character's common reading (the one ICU gives).
// Only applied to the first character(s) of a name.
struct CompoundSurname {
  char32_t first, second;
  const char* syllable1;
  const char* syllable2;
};
constexpr CompoundSurname kCompoundSurnames[] = {
    {U'尉', U'迟', "yu", "chi"},
    {U'万', U'俟', "mo", "qi"},
    {U'长', U'孙', "zhang", "sun"},
    {U'澹', U'台', "tan", "tai"},
};

struct Surname {
  char32_t ch;
  const char* syllable;
};
constexpr Surname kSurnames[] = {
    {U'曾', "zeng"}, {U'单', "shan"}, {U'解', "xie"},   {U'仇', "qiu"},   {U'朴', "piao"},
    {U'区', "ou"},   {U'查', "zha"},  {U'盖', "ge"},    {U'覃', "qin"},   {U'翟', "zhai"},
    {U'缪', "miao"}, {U'繁', "po"},   {U'种', "chong"}, {U'重', "chong"}, {U'薄', "bo"},
    {U'都', "du"},   {U'阚', "kan"},  {U'佴', "nai"},   {U'折', "she"},   {U'召', "shao"},
};

// The ICU rules: Han → pinyin with tone marks; ü (any tone) → v; strip the remaining marks; lower.
constexpr const char* kRules = "::Han-Latin; [ǖǘǚǜü] > v; ::Latin-ASCII; ::Lower;";

// Per-character syllables, computed by ICU on first sight and kept for the process's life.
// Lookups of BMP characters are one atomic load; entries point into `store_`, whose elements never
// move (std::deque::push_back keeps references valid). ICU runs only under `mu_`: a single
// Transliterator instance must not be used from two threads at once.
class SyllableCache {
 public:
  static SyllableCache& instance() {
    static SyllableCache cache;
    return cache;
  }

  // The syllable of a Han code point: lowercase ASCII letters, possibly empty (no reading known).
  std::string_view syllable(UChar32 c) {
    if (c >= 0 && c < kBmpSize) {
      const std::string* s = bmp_[c].load(std::memory_order_acquire);
      if (s) return *s;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (c >= 0 && c < kBmpSize) {
      const std::string* s = bmp_[c].load(std::memory_order_relaxed);
      if (s) return *s;
      s = &compute_locked(c);
      bmp_[c].store(s, std::memory_order_release);
      return *s;
    }
    auto it = supplementary_.find(c);
    if (it != supplementary_.end()) return *it->second;
    const std::string* s = &compute_locked(c);
    supplementary_.emplace(c, s);
    return *s;
  }

 private:
  static constexpr UChar32 kBmpSize = 0x10000;

  SyllableCache() : bmp_(std::make_unique<std::atomic<const std::string*>[]>(kBmpSize)) {}

  const std::string& compute_locked(UChar32 c) {
    if (!translit_) {
      UErrorCode status = U_ZERO_ERROR;
      UParseError parse_error;
      translit_.reset(icu::Transliterator::createFromRules(
          "sy-pinyin", icu::UnicodeString::fromUTF8(kRules), UTRANS_FORWARD, parse_error, status));
      if (U_FAILURE(status) || !translit_) {
        translit_.reset();
        throw std::runtime_error(std::string("ICU Han-Latin transliterator unavailable: ") +
                                 u_errorName(status));
      }
    }
    icu::UnicodeString text(c);
    translit_->transliterate(text);
    std::string utf8;
    text.toUTF8String(utf8);
    std::string letters;
    for (char ch : utf8) {
      if (ch >= 'a' && ch <= 'z') letters.push_back(ch);
    }
    store_.push_back(std::move(letters));
    return store_.back();
  }

  std::unique_ptr<std::atomic<const std::string*>[]> bmp_;
  std::mutex mu_;
  std::unique_ptr<icu::Transliterator> translit_;
  std::deque<std::string> store_;
  std::unordered_map<UChar32, const std::string*> supplementary_;
};

bool is_space(UChar32 c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 || c == 0xA0;
}

// ASCII (and full-width) letters and digits as a lowercase ASCII char, or 0.
char ascii_alnum(UChar32 c) {
  if (c >= 0xFF10 && c <= 0xFF5A) c -= 0xFEE0;  // full-width digits and letters
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return static_cast<char>(c);
  return 0;
}

bool is_han(UChar32 c) {
  if (c < 0x2E80) return false;  // fast path: nothing below the CJK radicals is Han
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN && U_SUCCESS(status);
}

// Names are short; anything past 2 GiB is ignored rather than overflowing ICU's int32 indices.
int32_t length_of(std::string_view s) {
  return static_cast<int32_t>(std::min<size_t>(s.size(), INT32_MAX));
}

std::string_view trim_spaces(std::string_view s) {
  const char* p = s.data();
  const int32_t n = length_of(s);
  int32_t b = 0;
  while (b < n) {
    int32_t i = b;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (!is_space(c)) break;
    b = i;
  }
  int32_t e = n;
  while (e > b) {
    int32_t i = e;
    UChar32 c;
    U8_PREV(p, b, i, c);
    if (!is_space(c)) break;
    e = i;
  }
  return s.substr(static_cast<size_t>(b), static_cast<size_t>(e - b));
}

// Calls `emit(token, han)` for each token of the name in order: a Han syllable, or a run of ASCII
// letters and digits. Whatever else the name holds is skipped.
template <typename Emit>
void for_each_token(std::string_view raw, Emit&& emit) {
  std::string_view name = trim_spaces(raw);
  const char* p = name.data();
  const int32_t n = length_of(name);
  int32_t i = 0;

  // A leading surname with its own reading.
  if (n > 0) {
    UChar32 c1, c2 = -1;
    int32_t j = 0;
    U8_NEXT(p, j, n, c1);
    int32_t after1 = j;
    if (j < n) U8_NEXT(p, j, n, c2);
    bool done = false;
    for (const auto& s : kCompoundSurnames) {
      if (static_cast<UChar32>(s.first) == c1 && static_cast<UChar32>(s.second) == c2) {
        emit(std::string_view(s.syllable1), true);
        emit(std::string_view(s.syllable2), true);
        i = j;
        done = true;
        break;
      }
    }
    if (!done) {
      for (const auto& s : kSurnames) {
        if (static_cast<UChar32>(s.ch) == c1) {
          emit(std::string_view(s.syllable), true);
          i = after1;
          break;
        }
      }
    }
  }

  SyllableCache& cache = SyllableCache::instance();
  std::string run;
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (char a = ascii_alnum(c)) {
      run.push_back(a);
      continue;
    }
    if (!run.empty()) {
      emit(std::string_view(run), false);
      run.clear();
    }
    if (c >= 0 && is_han(c)) {
      std::string_view syl = cache.syllable(c);
      if (!syl.empty()) emit(syl, true);
    }
  }
  if (!run.empty()) emit(std::string_view(run), false);
}

}  // namespace

std::string pinyin_full(std::string_view utf8_name) {
  std::string out;
  out.reserve(utf8_name.size() * 2);
  for_each_token(utf8_name, [&](std::string_view t, bool) { out.append(t); });
  return out;
}

std::string pinyin_initials(std::string_view utf8_name) {
  std::string out;
  for_each_token(utf8_name, [&](std::string_view t, bool han) {
    if (han) {
      out.push_back(t.front());
    } else {
      out.append(t);
    }
  });
  return out;
}

std::string pinyin_sort_key(std::string_view utf8_name) { return name_pinyin(utf8_name).sort_key; }

NamePinyin name_pinyin(std::string_view utf8_name) {
  NamePinyin out;
  out.full.reserve(utf8_name.size() * 2);
  out.sort_key.reserve(utf8_name.size() * 3 + 1);
  for_each_token(utf8_name, [&](std::string_view t, bool han) {
    out.full.append(t);
    if (han) {
      out.initials.push_back(t.front());
    } else {
      out.initials.append(t);
    }
    if (!out.sort_key.empty()) out.sort_key.push_back(' ');
    out.sort_key.append(t);
  });
  out.sort_key.push_back('\t');
  out.sort_key.append(trim_spaces(utf8_name));
  return out;
}

}  // namespace sy
