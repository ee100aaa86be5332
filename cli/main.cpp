// The besrig executable: the commands live in besrig_cli (cli/), everything
// else in besrig_core.
#include "cli/app.hpp"

int main(int argc, char** argv) { return besrig::run_cli(argc, argv); }
