// The command tree. Parse, then run (STYLE §3): CLI11 callbacks only fill
// option structs and choose an action; the action runs after parsing, inside
// the one place errors become exit codes.
#pragma once

namespace besrig {

int run_cli(int argc, char** argv);

}  // namespace besrig
