#include "util/interrupt.hpp"

#include <atomic>
#include <csignal>

namespace besrig {
namespace {

std::atomic<int> g_interrupts{0};

extern "C" void on_interrupt(int) { g_interrupts.fetch_add(1); }

}  // namespace

void install_interrupt_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR and notice
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

int interrupt_count() { return g_interrupts.load(); }
void simulate_interrupt() { g_interrupts.fetch_add(1); }
void reset_interrupts() { g_interrupts.store(0); }

}  // namespace besrig
