#include "visits/target_snapshot.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/region_code.h"

namespace sy::visits {
namespace {

// One active category row: the person, which groups it matches by itself (bit i = group i), and its
// category code (an index into the codes met).
struct CategoryRow {
  std::int64_t person_id = 0;
  std::uint32_t groups = 0;
  std::uint32_t code = 0;
};

// Text kept for the targets, in large blocks that never move: a county's candidates make no
// allocation each and are sorted as small plain structs. (With a string per field and a growing
// vector, allocating, copying and first touches of new memory took a third of the time.)
class TextArena {
 public:
  std::string_view keep(std::string_view s) {
    if (s.empty()) return {};
    if (blocks_.empty() || used_ + s.size() > kBlock) {
      blocks_.push_back(std::make_unique<char[]>(std::max(kBlock, s.size())));
      used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    std::copy(s.begin(), s.end(), at);
    used_ += s.size();
    return {at, s.size()};
  }

 private:
  static constexpr size_t kBlock = 1 << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0;
};

// A matching person, with what a target copies (views into the arena).
struct Candidate {
  int group = 0;  // 1-based
  bool head = false;
  std::int64_t person_id = 0;
  std::int64_t household_id = 0;  // 0: none
  std::uint32_t categories = 0;   // index into the category sets met
  std::string_view name, name_sort, region_code, address, phone, members;
  std::int64_t key() const { return household_id ? household_id : -person_id; }
};

// A household member's name, for the members text (household unit).
struct Member {
  std::int64_t household_id = 0, person_id = 0;
  std::string_view name;
};

template <typename T>
bool listed(const std::vector<T>& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The part of a group's filter one category row decides: categories, grades, causes.
bool row_matches(const GroupFilter& f, std::string_view category, std::optional<int> grade,
                 std::optional<std::string_view> cause) {
  if (!f.categories.empty() &&
      std::none_of(f.categories.begin(), f.categories.end(), [&](const std::string& c) { return c == category; }))
    return false;
  if (!f.grades.empty() && (!grade || !listed(f.grades, *grade))) return false;
  if (!f.causes.empty() &&
      (!cause || std::none_of(f.causes.begin(), f.causes.end(), [&](const std::string& c) { return c == *cause; })))
    return false;
  return true;
}

struct HouseholdFlags {
  bool dibao = false, tekun = false, kongchao = false;
};

// The part the person decides: the household's flags (any of) and the village (any of).
bool person_matches(const GroupFilter& f, std::string_view region_code, const std::optional<HouseholdFlags>& h) {
  if (!f.flags.empty()) {
    if (!h) return false;
    bool any = false;
    for (const auto& flag : f.flags)
      if ((flag == "dibao" && h->dibao) || (flag == "tekun" && h->tekun) || (flag == "kongchao" && h->kongchao)) any = true;
    if (!any) return false;
  }
  if (!f.region_codes.empty()) {
    bool any = false;
    for (const auto& r : f.region_codes)
      if (region_code.starts_with(region_prefix(r))) any = true;
    if (!any) return false;
  }
  return true;
}

// Household unit: the better representative comes first — best group, the head, the lowest id.
bool better(const Candidate& a, const Candidate& b) {
  if (a.group != b.group) return a.group < b.group;
  if (a.head != b.head) return a.head;
  return a.person_id < b.person_id;
}

Status insert_targets(store::Conn& tx, std::int64_t campaign_id, const std::deque<Candidate>& candidates,
                      const std::vector<std::uint32_t>& targets, const std::vector<std::string>& category_sets) {
  constexpr size_t kRows = 64;
  const std::string head =
      "INSERT INTO campaign_targets (campaign_id, group_no, household_id, person_id, name, name_sort, members, "
      "categories, region_code, address, phone, appended) VALUES ";
  auto sql_for = [&](size_t rows) {
    std::string sql = head;
    for (size_t i = 0; i < rows; ++i) sql += i ? ",(?,?,?,?,?,?,?,?,?,?,?,0)" : "(?,?,?,?,?,?,?,?,?,?,?,0)";
    return sql;
  };
  const std::string full = sql_for(kRows);
  store::Params params;
  params.reserve(kRows * 11);
  auto text = [](std::string_view s) { return store::Value(std::string(s)); };
  for (size_t at = 0; at < targets.size(); at += kRows) {
    size_t rows = std::min(kRows, targets.size() - at);
    params.clear();
    for (size_t k = at; k < at + rows; ++k) {
      const Candidate& c = candidates[targets[k]];
      params.emplace_back(campaign_id);
      params.emplace_back(static_cast<std::int64_t>(c.group));
      params.emplace_back(c.household_id ? store::Value(c.household_id) : store::Value());
      params.emplace_back(c.person_id);
      params.push_back(text(c.name));
      params.push_back(text(c.name_sort));
      params.push_back(text(c.members.empty() ? c.name : c.members));
      params.emplace_back(category_sets[c.categories]);
      params.push_back(text(c.region_code));
      params.push_back(text(c.address));
      params.push_back(text(c.phone));
    }
    SY_TRY(tx.exec(rows == kRows ? full : sql_for(rows), params));
  }
  return ok_status();
}

}  // namespace

Result<std::int64_t> snapshot_targets(store::Conn& tx, const Campaign& k) {
  const std::vector<Group>& groups = k.groups;
  const bool by_household = k.unit != "person";
  const std::string area = k.region_code.empty() ? std::string() : region_prefix(k.region_code);

  // Every active category row, with the groups it matches by itself; then in person order, each
  // person's codes in code order.
  std::vector<std::string> codes;  // category codes met, by index
  std::vector<CategoryRow> rows;
  SY_TRY(tx.for_each_row(
      "SELECT person_id, category, disability_grade, disability_cause FROM person_categories WHERE status = 'active'",
      {}, [&](const store::RowView& r) -> Status {
        std::string_view category = r.text(1);
        std::optional<int> grade;
        if (!r.is_null(2)) grade = static_cast<int>(r.i64(2));
        std::optional<std::string_view> cause;
        if (!r.is_null(3)) cause = r.text(3);
        CategoryRow row{.person_id = r.i64(0)};
        for (size_t i = 0; i < groups.size(); ++i)
          if (row_matches(groups[i].filter, category, grade, cause)) row.groups |= 1u << i;
        auto code = std::find(codes.begin(), codes.end(), category);  // a few codes: no map needed
        if (code == codes.end()) code = codes.emplace(codes.end(), category);
        row.code = static_cast<std::uint32_t>(code - codes.begin());
        rows.push_back(row);
        return ok_status();
      }));
  std::sort(rows.begin(), rows.end(), [&](const CategoryRow& a, const CategoryRow& b) {
    if (a.person_id != b.person_id) return a.person_id < b.person_id;
    return codes[a.code] < codes[b.code];
  });
  // The comma-joined category codes of a person: one of a few sets, kept once each. Sets of one
  // code (most persons) are the code's own index.
  std::vector<std::string> category_sets = codes;
  std::unordered_map<std::string, std::uint32_t> set_index;
  std::string joined;
  auto category_set = [&](std::vector<CategoryRow>::const_iterator first,
                          std::vector<CategoryRow>::const_iterator last) -> std::uint32_t {
    if (last - first == 1) return first->code;
    joined.clear();
    for (auto it = first; it != last; ++it) {
      if (it != first) joined += ',';
      joined += codes[it->code];
    }
    auto [slot, added] = set_index.emplace(joined, static_cast<std::uint32_t>(category_sets.size()));
    if (added) category_sets.push_back(joined);
    return slot->second;
  };

  // The active persons with their households: the matching ones of the area become candidates;
  // by household, every active member's name is kept for the members text.
  TextArena arena;
  std::deque<Candidate> candidates;
  std::deque<Member> members;
  auto next = rows.cbegin();  // where the next person's category rows probably start
  SY_TRY(tx.for_each_row(
      "SELECT p.id, p.household_id, p.name, p.name_sort, p.region_code, p.address, p.phone, h.id, h.address, "
      "h.head_person_id, h.is_dibao, h.is_tekun, h.is_kongchao "
      "FROM persons p LEFT JOIN households h ON h.id = p.household_id WHERE p.status = 'active'",
      {}, [&](const store::RowView& r) -> Status {
        std::int64_t id = r.i64(0);
        std::int64_t household = r.is_null(1) ? 0 : r.i64(1);
        std::string_view name;
        if (by_household && household) {
          name = arena.keep(r.text(2));
          members.push_back(Member{household, id, name});
        }
        std::string_view region = r.text(4);
        if (!region.starts_with(area)) return ok_status();
        // Persons mostly come in id order: the rows after the last person's are usually theirs.
        auto first = next;
        if (!((first == rows.cend() || first->person_id >= id) && (first == rows.cbegin() || (first - 1)->person_id < id)))
          first = std::lower_bound(rows.cbegin(), rows.cend(), id,
                                   [](const CategoryRow& row, std::int64_t pid) { return row.person_id < pid; });
        std::uint32_t mask = 0;
        auto last = first;
        for (; last != rows.cend() && last->person_id == id; ++last) mask |= last->groups;
        next = last;
        if (first == last) return ok_status();  // no active category
        std::optional<HouseholdFlags> flags;
        if (!r.is_null(7)) flags = HouseholdFlags{r.i64(10) == 1, r.i64(11) == 1, r.i64(12) == 1};
        int group = 0;
        for (size_t i = 0; i < groups.size() && !group; ++i)
          if ((mask & (1u << i)) && person_matches(groups[i].filter, region, flags)) group = static_cast<int>(i) + 1;
        if (!group) return ok_status();
        Candidate& c = candidates.emplace_back();
        c.group = group;
        c.head = !r.is_null(9) && r.i64(9) == id;
        c.person_id = id;
        c.household_id = household;
        c.categories = category_set(first, last);
        c.name = name.empty() ? arena.keep(r.text(2)) : name;
        c.name_sort = arena.keep(r.text(3));
        c.region_code = arena.keep(region);
        c.address = arena.keep(r.text(5).empty() && !r.is_null(8) ? r.text(8) : r.text(5));
        c.phone = arena.keep(r.text(6));
        return ok_status();
      }));
  if (candidates.empty()) return std::int64_t{0};

  // The targets, as places in `candidates`.
  std::vector<std::uint32_t> targets;
  if (!by_household) {
    targets.resize(candidates.size());
    for (std::uint32_t i = 0; i < targets.size(); ++i) targets[i] = i;
  } else {
    // One per household: its best member. (Sorting (key, place) pairs moves 16 bytes, not candidates.)
    std::vector<std::pair<std::int64_t, std::uint32_t>> keys(candidates.size());
    for (std::uint32_t i = 0; i < keys.size(); ++i) keys[i] = {candidates[i].key(), i};
    std::sort(keys.begin(), keys.end());
    for (size_t i = 0; i < keys.size();) {
      std::uint32_t best = keys[i].second;
      size_t j = i + 1;
      for (; j < keys.size() && keys[j].first == keys[i].first; ++j)
        if (better(candidates[keys[j].second], candidates[best])) best = keys[j].second;
      targets.push_back(best);
      i = j;
    }
    // The members text: every active member's name, in id order, joined with 、.
    std::vector<Member> by_household_id(members.begin(), members.end());
    std::sort(by_household_id.begin(), by_household_id.end(), [](const Member& a, const Member& b) {
      return a.household_id != b.household_id ? a.household_id < b.household_id : a.person_id < b.person_id;
    });
    std::string text;
    for (std::uint32_t t : targets) {
      Candidate& c = candidates[t];
      if (!c.household_id) continue;
      auto it = std::lower_bound(by_household_id.begin(), by_household_id.end(), c.household_id,
                                 [](const Member& m, std::int64_t h) { return m.household_id < h; });
      text.clear();
      for (; it != by_household_id.end() && it->household_id == c.household_id; ++it) {
        if (!text.empty()) text += "、";
        text += it->name;
      }
      c.members = arena.keep(text);
    }
  }
  // In list order: village, name sort key, id.
  std::sort(targets.begin(), targets.end(), [&](std::uint32_t x, std::uint32_t y) {
    const Candidate& a = candidates[x];
    const Candidate& b = candidates[y];
    if (a.region_code != b.region_code) return a.region_code < b.region_code;
    if (a.name_sort != b.name_sort) return a.name_sort < b.name_sort;
    return a.person_id < b.person_id;
  });
  SY_TRY(insert_targets(tx, k.id, candidates, targets, category_sets));
  return static_cast<std::int64_t>(targets.size());
}

}  // namespace sy::visits
