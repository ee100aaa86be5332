#include "util/terminal.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <cstring>
#include <unistd.h>

namespace besrig {

Console::Console() {
    const char* term = std::getenv("TERM");
    smart_ = ::isatty(STDERR_FILENO) == 1 && term && std::strcmp(term, "dumb") != 0;
    color_ = smart_ && std::getenv("NO_COLOR") == nullptr;
}

void Console::result(std::string_view line) {
    clear_status();
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void Console::info(std::string_view line) {
    clear_status();
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
}

void Console::warn(std::string_view line) {
    clear_status();
    std::fprintf(stderr, "%s %.*s\n", yellow("warning:").c_str(), static_cast<int>(line.size()), line.data());
}

void Console::status(std::string_view line) {
    if (smart_) {
        std::fprintf(stderr, "\r\033[K%.*s", static_cast<int>(line.size()), line.data());
        std::fflush(stderr);
        status_pending_ = true;
        return;
    }
    const double now = unix_now();
    if (now - last_plain_status_ < 10.0) return;
    last_plain_status_ = now;
    std::fprintf(stderr, "%s %.*s\n", utc_timestamp().c_str(), static_cast<int>(line.size()), line.data());
}

void Console::clear_status() {
    if (status_pending_) {
        std::fputs("\r\033[K", stderr);
        status_pending_ = false;
    }
}

std::string Console::paint(std::string_view code, std::string_view s) const {
    if (!color_) return std::string(s);
    return "\033[" + std::string(code) + "m" + std::string(s) + "\033[0m";
}
std::string Console::bold(std::string_view s) const { return paint("1", s); }
std::string Console::red(std::string_view s) const { return paint("1;31", s); }
std::string Console::green(std::string_view s) const { return paint("1;32", s); }
std::string Console::yellow(std::string_view s) const { return paint("1;33", s); }

std::string utc_timestamp() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace besrig
