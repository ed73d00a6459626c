// 走访记录: one visit to a campaign target, as a cadre records it on a phone — date, visitors, cash
// given, gifts, what the family said, outcome (visited, not at home, moved, declined) and photos.
//
// Contract:
// - Needs business:write and the target's village in scope (else not_found); the campaign must be
//   active (invalid_state). Bad input writes nothing.
// - Cash above the target group's standard needs a note (cash_over_standard). Photos: at most
//   kMaxPhotos (photo_limit), each at most kMaxPhotoBytes (photo_too_large) and a JPEG or PNG by its
//   first bytes, whatever its name (photo_type).
// - A target already visited (outcome visited) is refused (already_visited, naming the date) unless
//   the visit is marked revisit (补访). A visit dated outside the campaign's period is kept with an
//   outside_period warning.
// - The outcome becomes the target's status and the visit its latest visit, checked against the
//   target's version in the same transaction (stale_version when someone recorded meanwhile).
// - A need raised opens a 困难诉求 (hardship) case for the target's person in the same
//   transaction; the visit carries case_id and the case names the visit as its source.
// - Audited as visit.record (with the case opened, if any).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/context.h"
#include "core/result.h"

namespace sy::visits {

inline constexpr std::size_t kMaxPhotoBytes = 10u << 20;
inline constexpr int kMaxPhotos = 6;

struct NewPhoto {
  std::string file_name{}, bytes{};
};

struct Need {
  std::string title{}, description{}, category{};  // category: a hardship category code, default other
};

struct NewVisit {
  std::int64_t target_id = 0;
  std::string visited_on{}, visitors{};
  std::int64_t cash_fen = 0;
  std::string gifts{}, family_said{}, outcome{}, cash_note{};
  bool revisit = false;
  std::optional<Need> need{};
  std::vector<NewPhoto> photos{};
};

struct PhotoInfo {
  std::int64_t id = 0;
  std::string file_name{}, content_type{};
  std::int64_t size = 0;
};

struct Warning {
  std::string code{}, message{};
};

struct Visit {
  std::int64_t id = 0, campaign_id = 0, target_id = 0;
  std::string visited_on{}, visitors{};
  std::int64_t cash_fen = 0;
  std::string gifts{}, family_said{}, outcome{}, cash_note{};
  bool revisit = false;
  std::int64_t case_id = 0;
  std::vector<PhotoInfo> photos{};
  std::string recorded_by{};
  Millis created_at = 0;
  std::vector<Warning> warnings{};
};

Result<Visit> record_visit(const Context& ctx, const NewVisit& in);
Result<Visit> get_visit(const Context& ctx, std::int64_t id);
// Visits of a campaign and/or target in the actor's scope, newest first (at most 500).
Result<std::vector<Visit>> list_visits(const Context& ctx, std::int64_t campaign_id, std::int64_t target_id);

struct PhotoFile {
  std::string file_name{}, content_type{}, bytes{};
};
Result<PhotoFile> get_photo(const Context& ctx, std::int64_t visit_id, std::int64_t photo_id);

// The content type of an image told by its first bytes: image/jpeg, image/png, or "".
std::string sniff_image(std::string_view bytes);

}  // namespace sy::visits
