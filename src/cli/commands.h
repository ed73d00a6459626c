// The `shuangyong` command line: init, serve, demo, user add|passwd|disable|list, migrate, backup.
//
// Contract: exit 0 on success, 1 on a runtime error, 2 on a usage error. Errors go to stderr as
// "错误[code]：message". With --json, a command that summarises prints exactly one JSON object on
// stdout. The database comes from --db or SY_DB; "now" from --now or SY_NOW (for tests).
#pragma once

namespace sy::cli {

int run(int argc, char** argv);

}  // namespace sy::cli
