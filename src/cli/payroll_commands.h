// The payroll commands of `shuangyong`: standards import, payroll run|approve|export|reconcile,
// proof-of-life import. Same exit codes, error lines and --json as every other command (output.h).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "audit/context.h"

namespace sy::cli {

struct PayrollCommands {
  CLI::App *standards_import = nullptr, *payroll_run = nullptr, *payroll_approve = nullptr,
           *payroll_export = nullptr, *payroll_reconcile = nullptr, *proof_import = nullptr;
  std::string file, month, items, user, out, bank_template;
  std::string run_id;
  bool dry_run = false;
};

// Adds the commands to the app; the options land in `p`.
void add_payroll_commands(CLI::App& app, PayrollCommands& p);
// Runs the chosen payroll command, or std::nullopt when none of them was chosen.
std::optional<int> run_payroll_commands(const PayrollCommands& p, const Context& ctx, bool json);

}  // namespace sy::cli
