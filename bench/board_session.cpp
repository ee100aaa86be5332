#include "bench/board_session.hpp"

#include <cstdlib>
#include <thread>

#include "reports/store/sqlite.hpp"
#include "reports/store/store.hpp"
#include "rig/ssh/connect_board.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/terminal.hpp"

extern char** environ;

namespace besrig::bench {
namespace {

std::string step_json(const std::string& name, const std::string& direction, int rate, int seconds) {
    return "{ \"name\": \"" + name + "\", \"direction\": \"" + direction + "\", \"rate_mbytes\": " +
           std::to_string(rate) + ", \"streams\": 1, \"seconds\": " + std::to_string(seconds) + ", \"omit\": 2 }";
}

// Fresh chip by reload; `steps` is the JSON array's content.
std::string profile_json(const std::string& name, const std::string& steps) {
    return "\"" + name +
           "\": { \"description\": \"besrig bench\", \"fresh_chip\": \"reload\", \"uptime_window_s\": 36000, "
           "\"steps\": [ " + steps + " ] }";
}

// A clean environment for every child: no user config, no user store.
void isolate_environment(const std::filesystem::path& work) {
    std::vector<std::string> drop;
    for (char** e = environ; *e; ++e) {
        const std::string kv = *e;
        if (kv.rfind("BESRIG_", 0) == 0) drop.push_back(kv.substr(0, kv.find('=')));
    }
    for (const auto& k : drop) ::unsetenv(k.c_str());
    const auto home = work / "home";
    std::filesystem::create_directories(home);
    ::setenv("HOME", home.c_str(), 1);
    ::setenv("XDG_CONFIG_HOME", (home / ".config").c_str(), 1);
    ::setenv("XDG_DATA_HOME", (home / ".local/share").c_str(), 1);
    ::setenv("XDG_STATE_HOME", (home / ".local/state").c_str(), 1);
    ::setenv("XDG_CACHE_HOME", (home / ".cache").c_str(), 1);
    ::setenv("BESRIG_SIM_DIR", (work / "sim").c_str(), 1);
}

}  // namespace

BoardSession::BoardSession(const BoardInputs& in, Console& console) : in_(in), console_(console) {
    isolate_environment(in.work);
    config_path_ = in.work / "rig.json";
    store_path_ = in.work / "besrig.db";
    write_file_atomic(config_path_,
                      "{\n  \"board\": { \"kind\": \"sim\", \"sim_name\": \"bench\" },\n"
                      "  \"phase7\": { \"profile\": \"bench\", \"reps\": 1 },\n"
                      "  \"profiles\": {\n    " +
                          profile_json("bench", step_json("rx-4M", "rx", 4, in.stress_s)) + ",\n    " +
                          // The shape of the sim's demo profile and of besser's protocol: receive
                          // capped, then transmit unlimited, every repetition on a fresh chip.
                          profile_json("protocol", step_json("rx-4M", "rx", 4, in.stress_s) + ", " +
                                                       step_json("tx-max", "tx", 0, in.stress_s)) +
                          ",\n    " + profile_json("flood", step_json("rx-4M", "rx", 4, 80)) +
                          "\n  }\n}\n");
}

BoardSession::~BoardSession() {
    remote_.reset();
    if (!booted_) return;
    const auto u = run_measured(argv({"sim", "down"}), in_.work, "sim-down", std::chrono::seconds(60));
    if (!u.ok()) console_.warn("bench: `besrig sim down` " + u.describe() + ": " + u.err);
}

std::vector<std::string> BoardSession::argv(const std::vector<std::string>& args) const {
    std::vector<std::string> v{in_.besrig.string(), "--config", config_path_.string(), "--store", store_path_.string()};
    v.insert(v.end(), args.begin(), args.end());
    return v;
}

ChildUsage BoardSession::besrig(const std::vector<std::string>& args, const std::string& tag, int timeout_s) {
    return run_measured(argv(args), in_.work, tag, std::chrono::seconds(timeout_s));
}

MeasuredChild BoardSession::start(const std::vector<std::string>& args, const std::string& tag) {
    return MeasuredChild::start(argv(args), in_.work, tag);
}

MeasuredChild BoardSession::start_phase7(const std::string& profile, const std::string& tag,
                                         const std::vector<std::string>& extra, const std::string& patch, int reps) {
    std::vector<std::string> a{"run",     "phase7", "--patch", patch.empty() ? this->patch() : patch,
                               "--profile", profile, "--reps",  std::to_string(reps),
                               "--no-prediction"};
    a.insert(a.end(), extra.begin(), extra.end());
    return start(a, tag);
}

void BoardSession::boot() {
    console_.info("bench: booting a simulated board (scratch dir " + in_.work.string() + ")");
    booted_ = true;  // a half-booted QEMU is shut down too
    auto up = besrig({"sim", "up", "--boot-timeout", "400"}, "sim-up", 460);
    if (!up.ok()) throw_infra("bench: `besrig sim up` " + up.describe() + ": " + up.err);
    console_.info("bench: building patch " + patch() + " (the rollback build)");
    build(patch());
}

void BoardSession::build(const std::string& patch) {
    auto u = besrig({"build", "--patch", patch}, "build-" + patch, 900);
    if (!u.ok()) throw_infra("bench: `besrig build --patch " + patch + "` " + u.describe() + ": " + u.err);
}

Store& BoardSession::store() {
    if (!store_) store_ = std::make_unique<Store>(store_path_);
    return *store_;
}

const RigConfig& BoardSession::config() {
    if (!config_) config_ = in_.load_config(config_path_, store_path_);
    return *config_;
}

Remote& BoardSession::remote() {
    if (!remote_) remote_ = connect_board(config(), ConnectOptions{});
    return *remote_;
}

std::int64_t BoardSession::newest_run() {
    Stmt s(store().db(), "SELECT coalesce(max(id), 0) FROM runs");
    return s.step() ? s.get_int(0) : 0;
}

std::optional<std::int64_t> BoardSession::wait_new_run(std::int64_t after, MeasuredChild& child, int timeout_s) {
    for (int i = 0; i < timeout_s * 10; ++i) {
        Stmt s(store().db(), "SELECT max(id) FROM runs WHERE id > ?1 AND kind = 'phase7'");
        s.bind(1, after);
        if (s.step() && !s.is_null(0)) return s.get_int(0);
        if (!child.running()) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return std::nullopt;
}

bool BoardSession::wait_samples(std::int64_t run, int n, MeasuredChild& child, int timeout_s) {
    for (int i = 0; i < timeout_s * 10; ++i) {
        Stmt s(store().db(),
               "SELECT count(*) FROM samples JOIN steps ON samples.step_id = steps.id JOIN reps ON steps.rep_id = "
               "reps.id WHERE reps.run_id = ?1");
        s.bind(1, run);
        if (s.step() && s.get_int(0) >= n) return true;
        if (!child.running()) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

std::filesystem::path BoardSession::module_file() {
    Stmt s(store().db(), "SELECT path FROM builds WHERE patch = ?1 ORDER BY id DESC LIMIT 1");
    s.bind(1, patch());
    if (!s.step()) throw_infra("bench: no build of patch " + patch() + " in the store");
    return expand_home(s.get_text(0));
}

}  // namespace besrig::bench
