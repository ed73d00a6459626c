// 优抚对象 service: create, read, update, change status, history and search, inside the caller's
// data scope. The roster import (import.h) writes through the same checks.
//
// Contract:
// - Input arrives as text fields the way a form or a roster row gives them (PersonFields):
//   std::nullopt means "not given, keep what is stored", "" means "clear" (where allowed).
//   `normalize_person` turns them into clean values or the first error, with the field at fault.
// - One person per ID number; a duplicate names the existing record.
// - Reads need business:read, writes business:write; a person outside scope is not_found.
// - Every write records a history entry per person (who, when, fields, old and new values) and an
//   audit row, in the same transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/context.h"
#include "core/page.h"
#include "core/result.h"
#include "registry/person.h"

namespace sy::registry {

struct CategoryFields {
  std::optional<std::string> category, disability_grade, disability_cause, approved_on;
};

struct PersonFields {
  std::optional<std::string> name, id_number, ethnicity, phone, address, bank_name, bank_account;
  std::optional<std::string> region_code;  // 12-digit code of the village (or township)
  std::optional<std::string> enlisted_on, discharged_on, paid_through, relation, related_name, note;
  std::optional<std::string> is_dibao, is_tekun, is_kongchao;  // 是/否, true/false, 1/0
  std::optional<CategoryFields> category;                       // add or update one category
};

// What a row or form says after cleaning; `given` lists the fields that were present.
struct NormalizedPerson {
  Person person;
  std::vector<std::string> given;
  std::optional<PersonCategory> category;
  std::vector<std::string> warnings;  // e.g. bank account fails the Luhn check
  bool has(const std::string& field) const;
};

Result<NormalizedPerson> normalize_person(const PersonFields& in, Millis now);

Result<Person> create_person(const Context& ctx, const PersonFields& in);
Result<Person> get_person(const Context& ctx, std::int64_t id);
Result<Person> update_person(const Context& ctx, std::int64_t id, const PersonFields& in, int version);

struct StatusChange {
  std::string status;  // active | suspended | moved | deceased | cancelled
  std::string date;    // YYYY-MM-DD, required except for active
  std::string reason;  // required for cancelled, suspended, moved
};
Result<Person> change_status(const Context& ctx, std::int64_t id, const StatusChange& change, int version);

struct HistoryEntry {
  Millis at = 0;
  std::string username;
  std::string action;
  nlohmann::json changes;  // [{field, label, old, new}]
};
// ID numbers, phones and accounts in the changes are masked unless the actor has sensitive:reveal.
Result<std::vector<HistoryEntry>> person_history(const Context& ctx, std::int64_t id);

struct PersonQuery {
  std::string q;            // name, full ID, ID suffix (4–6), phone, pinyin or initials
  std::string region_code;  // subtree
  std::string category, status;
  std::optional<int> grade;
  std::string cause;
  std::optional<int> age_min, age_max;
  std::optional<bool> dibao, tekun, kongchao;
  PageRequest page;
};
Result<Page<Person>> search_persons(const Context& ctx, const PersonQuery& q);

struct PersonCounts {
  std::int64_t active = 0;  // 在册
  std::int64_t total = 0;   // every status
  std::int64_t disabled_veterans = 0, martyr_families = 0, conscript_families = 0;  // active, by category
};
// Counts within the actor's scope (needs business:read).
Result<PersonCounts> count_persons(const Context& ctx);

// Field name → Chinese label, for history and errors.
std::string field_label(const std::string& field);

}  // namespace sy::registry
