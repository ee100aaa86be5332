#include "rig/board/board_status.hpp"

#include <cmath>

namespace besrig::board {
namespace {

template <typename T>
Probe<T> probe(Result<T, RemoteError> r) {
    Probe<T> p;
    if (r) p.value = std::move(r).value();
    else p.error = r.error().describe();
    return p;
}

}  // namespace

BoardStatus gather_status(Remote& remote, const RigConfig& config) {
    const auto timeout = milliseconds(static_cast<long long>(std::llround(config.timeouts.command_s * 1000.0)));
    BoardStatus s;
    s.where = remote.where();
    s.release = probe(kernel_release(remote, timeout));
    s.uptime_s = probe(uptime_seconds(remote, timeout));
    if (s.release.value)
        s.installed = probe(installed_module(remote, config.module_install_path(*s.release.value), timeout));
    else
        s.installed.error = "unknown: the kernel release is needed for the install path";
    s.running = probe(running_module(remote, config.module.name, timeout));
    if (s.installed.value && s.running.value) s.match = compare(*s.installed.value, *s.running.value);
    s.data_link = probe(link_state(remote, config.board.data.interface, timeout));
    return s;
}

}  // namespace besrig::board
