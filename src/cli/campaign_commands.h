// The campaign commands of `shuangyong` (走访慰问): `campaign create` (a draft with one group
// chosen by categories), `campaign generate` (snapshot its targets from the registry) and
// `campaign status` (coverage and spending). Same exit codes, error lines and --json as every
// other command (output.h).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "audit/context.h"

namespace sy::cli {

struct CampaignCommands {
  CLI::App *create = nullptr, *generate = nullptr, *status = nullptr;
  std::string name, occasion, from, to, categories, unit, gifts, group_name, region;
  std::int64_t cash_fen = 0, budget_fen = 0;
  std::string id;
};

void add_campaign_commands(CLI::App& app, CampaignCommands& c);
// Runs the chosen campaign command, or std::nullopt when none was chosen.
std::optional<int> run_campaign_commands(const CampaignCommands& c, const Context& ctx, bool json);

}  // namespace sy::cli
