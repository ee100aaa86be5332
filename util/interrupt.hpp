// Ctrl-C and SIGTERM as a request, not a death: the first one sets a flag that
// long operations poll (a run then rolls the board back and closes itself as
// aborted); a second one asks to skip the rollback too. The flag is the one
// process-wide state besrig keeps, because a signal handler can reach nothing else.
#pragma once

namespace besrig {

void install_interrupt_handlers();
// Number of SIGINT/SIGTERM received since start (0, 1, 2...).
int interrupt_count();
inline bool interrupted() { return interrupt_count() > 0; }
// For tests.
void simulate_interrupt();
void reset_interrupts();

}  // namespace besrig
