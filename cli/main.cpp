// The besrig executable: everything lives in besrig_core.
#include "cli/app.hpp"

int main(int argc, char** argv) { return besrig::run_cli(argc, argv); }
