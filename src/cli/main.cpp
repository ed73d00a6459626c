// Entry point of the one binary: everything is in the command line (src/cli/commands.h).
#include "cli/commands.h"

int main(int argc, char** argv) { return sy::cli::run(argc, argv); }
