#include "util/fs.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "util/error.hpp"

namespace besrig {
namespace {

std::filesystem::path home() {
    const char* h = std::getenv("HOME");
    return h && *h ? std::filesystem::path(h) : std::filesystem::path("/root");
}

std::filesystem::path env_or(const char* name, const std::filesystem::path& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::filesystem::path(v) : fallback;
}

}  // namespace

std::filesystem::path expand_home(std::string_view path) {
    if (path == "~") return home();
    if (path.substr(0, 2) == "~/") return home() / std::string(path.substr(2));
    return std::filesystem::path(std::string(path));
}

std::filesystem::path xdg_data_home() { return env_or("XDG_DATA_HOME", home() / ".local/share"); }
std::filesystem::path xdg_state_home() { return env_or("XDG_STATE_HOME", home() / ".local/state"); }
std::filesystem::path xdg_config_home() { return env_or("XDG_CONFIG_HOME", home() / ".config"); }

std::filesystem::path besrig_data_dir() { return env_or("BESRIG_DATA_DIR", BESRIG_SOURCE_DIR); }

std::filesystem::path resolve_data_path(std::string_view path) {
    const auto p = expand_home(path);
    if (p.is_absolute()) return p;
    std::error_code ec;
    if (std::filesystem::exists(p, ec)) return std::filesystem::absolute(p);
    return besrig_data_dir() / p;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw_infra(path.string() + ": cannot open: " + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw_infra(path.string() + ": read error");
    return ss.str();
}

void write_file_atomic(const std::filesystem::path& path, std::string_view content) {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    const auto tmp = path.string() + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw_infra(tmp + ": cannot create: " + std::strerror(errno));
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            std::filesystem::remove(tmp);
            throw_infra(tmp + ": write failed (disk full?)");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp);
        throw_infra(path.string() + ": rename failed: " + ec.message());
    }
}

}  // namespace besrig
