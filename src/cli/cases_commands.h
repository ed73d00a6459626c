// The case commands of `shuangyong`: `cases overdue` records escalations for overdue cases (each
// once per deadline, to the 业务管理员 of the case's township) and lists every overdue case — the
// command a scheduled job runs. Same exit codes, error lines and --json as every other command.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>

#include "audit/context.h"

namespace sy::cli {

struct CasesCommands {
  CLI::App* overdue = nullptr;
};

void add_cases_commands(CLI::App& app, CasesCommands& c);
// Runs the chosen case command, or std::nullopt when none was chosen.
std::optional<int> run_cases_commands(const CasesCommands& c, const Context& ctx, bool json);

}  // namespace sy::cli
