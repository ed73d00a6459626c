// The registry's records: 优抚对象 (Person) with their categories, and 户 (Household).
//
// Contract: a Person is identified by a normalized 18-character ID number, unique in the
// database; gender and birth date are derived from it; region_code is the 12-digit code of the
// village (or township) the person lives in and decides data scope. Nothing is deleted: a status
// changes, with date and reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace sy::registry {

struct PersonCategory {
  std::int64_t id = 0;
  std::string category;  // code, see categories.h
  std::optional<int> disability_grade;
  std::optional<std::string> disability_cause;  // combat | duty | illness
  std::string approved_on;                      // YYYY-MM-DD or ""
  std::string certificate_no;
  std::string status = "active";
};

struct Person {
  std::int64_t id = 0;
  std::string region_code;
  std::string region_name;  // village name as shown
  std::int64_t household_id = 0;
  std::string name;
  std::string id_number;
  std::string gender;      // male | female
  std::string birth_date;  // YYYY-MM-DD
  std::string ethnicity, phone, address, bank_name, bank_account;
  std::string enlisted_on, discharged_on, paid_through;
  std::string relation, related_name;
  std::string status = "active";
  std::string status_date, status_reason;
  std::string note;
  bool is_dibao = false, is_tekun = false, is_kongchao = false;  // from the household
  std::vector<PersonCategory> categories;
  Millis created_at = 0, updated_at = 0;
  int version = 0;
};

struct Household {
  std::int64_t id = 0;
  std::string region_code;
  std::string region_name;
  std::string address;
  std::int64_t head_person_id = 0;
  std::string head_name;
  bool is_dibao = false, is_tekun = false, is_kongchao = false;
  std::string note;
  std::vector<std::int64_t> member_ids;
  int version = 0;
};

}  // namespace sy::registry
