// Internal to the registry module: reading and writing persons inside a caller's transaction,
// shared by the person service, the roster import and the household service. Callers have already
// checked permission.
#pragma once

#include <optional>

#include "registry/persons.h"

namespace sy::registry {

Result<std::optional<Person>> load_person(store::Conn& c, std::int64_t id);
Result<std::optional<Person>> load_person_by_id_number(store::Conn& c, const std::string& id_number);
// Inserts a new person with a household of their own; returns the new id.
Result<std::int64_t> insert_person(store::Conn& tx, const Context& ctx, const NormalizedPerson& in,
                                   const std::string& history_action);
// Appends one entry to a person's change history (`changes`: [{field, label, old, new}]); used by
// the household service for moves between households and changes of head.
Status record_person_history(store::Conn& tx, const Context& ctx, std::int64_t person_id, const std::string& action,
                             const nlohmann::json& changes);
// Applies the given fields over the stored person; returns the list of changes (empty: unchanged,
// and nothing is written).
Result<nlohmann::json> merge_person(store::Conn& tx, const Context& ctx, const Person& stored,
                                    const NormalizedPerson& in, const std::string& history_action);

}  // namespace sy::registry
