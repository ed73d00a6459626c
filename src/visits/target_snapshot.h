// The snapshot of a campaign's targets, made when it is generated (internal to visits).
//
// Contract of snapshot_targets(tx, campaign):
// - Writes campaign_targets rows for every active person of the campaign's area who matches a
//   group, in the transaction `tx`, and answers how many. A person belongs to the first group (in
//   the campaign's order) that one of their active category rows matches — categories, grades and
//   causes on that row; the household's flags (any of) and the person's village (any of) beside.
// - Unit person: one target per matching person. Unit household: one per household (a person with
//   no household is one alone), its representative the matching member of the best group, the
//   head first, then the lowest id.
// - Each target copies the name, sort key, village, address (the person's, else the household's),
//   phone, the active category codes (sorted, comma-separated) and, by household, the names of the
//   household's active members in id order joined with 、 (by person: the name).
// - Targets are written in list order (village, then name sort key), so the list pages read them
//   in order. Nothing is written when nobody matches (answers 0).
// - Reads three streams (persons with their households, category rows) once each instead of a
//   lookup per person: SQLite has no merge join, and the set-based INSERT … SELECT took 3.6 s by
//   person and 5.2 s by household for a county of a million (docs/PERFORMANCE.md).
#pragma once

#include <cstdint>

#include "core/result.h"
#include "store/db.h"
#include "visits/campaigns.h"

namespace sy::visits {

Result<std::int64_t> snapshot_targets(store::Conn& tx, const Campaign& campaign);

}  // namespace sy::visits
