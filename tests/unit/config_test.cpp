#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>

#include "config/loader.hpp"
#include "tests/unit/test_support.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using test::TempDir;

std::string load_error(const ConfigInputs& in) {
    try {
        load_config(in);
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Config);
        return e.what();
    }
    return "(no error)";
}

std::string file_error(const std::string& content) {
    TempDir dir;
    ConfigInputs in;
    in.file = dir.write("rig.json", content);
    auto msg = load_error(in);
    // Errors name the file; strip it so expectations read well.
    const auto prefix = in.file->string() + ": ";
    if (msg.rfind(prefix, 0) == 0) return msg.substr(prefix.size());
    return "(not prefixed by file) " + msg;
}

TEST(ConfigPrecedence, DefaultsOnly) {
    const auto loaded = load_config({});
    EXPECT_EQ(loaded.config.board.name, "ohm");
    EXPECT_EQ(loaded.config.board.mgmt.port, 22);
    EXPECT_EQ(loaded.origin_of("board.mgmt.port").kind, Origin::Kind::Default);
    EXPECT_EQ(loaded.config.profile("besser").steps.at(0).seconds, 180);
    EXPECT_EQ(loaded.config.profile("ramp").steps.size(), 16u);
}

TEST(ConfigPrecedence, FileThenEnvThenFlag) {
    TempDir dir;
    ConfigInputs in;
    in.file = dir.write("rig.json", R"({
        // comments are allowed
        "board": {"mgmt": {"port": 2200, "user": "mfritsche"}},
        /* block comments too */
        "phase7": {"reps": 5}
    })");
    auto loaded = load_config(in);
    EXPECT_EQ(loaded.config.board.mgmt.port, 2200);
    EXPECT_EQ(loaded.origin_of("board.mgmt.port").describe(), "file " + in.file->string());

    in.env["BESRIG_BOARD_MGMT_PORT"] = "2201";
    loaded = load_config(in);
    EXPECT_EQ(loaded.config.board.mgmt.port, 2201);
    EXPECT_EQ(loaded.origin_of("board.mgmt.port").describe(), "env BESRIG_BOARD_MGMT_PORT");
    EXPECT_EQ(loaded.config.board.mgmt.user, "mfritsche");  // file value survives

    in.sets.push_back("board.mgmt.port=2202");
    loaded = load_config(in);
    EXPECT_EQ(loaded.config.board.mgmt.port, 2202);
    EXPECT_EQ(loaded.origin_of("board.mgmt.port").kind, Origin::Kind::Flag);
    EXPECT_EQ(loaded.config.phase7.reps, 5);
    EXPECT_EQ(loaded.origin_of("phase7.reps").kind, Origin::Kind::File);
    EXPECT_EQ(loaded.origin_of("board.name").kind, Origin::Kind::Default);
}

TEST(ConfigPrecedence, BoardLayerSitsBelowTheFile) {
    TempDir dir;
    ConfigInputs in;
    in.board_layers.push_back({nlohmann::json{{"board", {{"mgmt", {{"port", 10022}, {"user", "root"}}}}}},
                               Origin{Origin::Kind::Board, "sim/ohm/rig.json"}});
    in.file = dir.write("rig.json", R"({"board": {"mgmt": {"user": "me"}}})");
    auto loaded = load_config(in);
    EXPECT_EQ(loaded.config.board.mgmt.port, 10022);
    EXPECT_EQ(loaded.origin_of("board.mgmt.port").kind, Origin::Kind::Board);
    EXPECT_EQ(loaded.config.board.mgmt.user, "me");
}

TEST(ConfigPrecedence, EnvListsAndBools) {
    ConfigInputs in;
    in.env["BESRIG_FTRACE_WORK_FUNCTIONS"] = "sdio_rx_work, bes2600_bh_work";
    in.env["BESRIG_FTRACE_ENABLED"] = "no";
    in.env["BESRIG_UNRELATED"] = "ignored";
    auto loaded = load_config(in);
    EXPECT_EQ(loaded.config.ftrace.work_functions, (std::vector<std::string>{"sdio_rx_work", "bes2600_bh_work"}));
    EXPECT_FALSE(loaded.config.ftrace.enabled);
}

TEST(ConfigPrecedence, UserProfilesJoinTheShippedOnes) {
    TempDir dir;
    ConfigInputs in;
    in.file = dir.write("rig.json", R"({"profiles": {"demo": {"fresh_chip": "none", "uptime_window_s": 0,
        "steps": [{"name": "rx", "direction": "rx", "rate_mbytes": 4, "streams": 1, "seconds": 10, "omit": 1}]}},
        "phase7": {"profile": "demo"}})");
    auto loaded = load_config(in);
    EXPECT_EQ(loaded.config.profile("demo").steps.size(), 1u);
    EXPECT_EQ(loaded.config.profile("besser").steps.size(), 1u);
    EXPECT_EQ(loaded.origin_of("profiles.demo").kind, Origin::Kind::File);
    EXPECT_EQ(loaded.origin_of("profiles.ramp").kind, Origin::Kind::Default);
}

struct BadConfig {
    const char* content;
    const char* expected;
};

// Printed by gtest in failures and listings: the expected message, not the
// pointer bytes (which change with every build).
void PrintTo(const BadConfig& c, std::ostream* os) { *os << c.expected; }

// "board.mgmt.port: expected ..." -> "board_mgmt_port_3": the key path the case
// is about plus its index (several cases share a key), stable across builds.
std::string bad_config_name(const ::testing::TestParamInfo<BadConfig>& info) {
    std::string name;
    for (const char* p = info.param.expected; *p && *p != ':'; ++p)
        name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
    return name + "_" + std::to_string(info.index);
}

class BadConfigs : public ::testing::TestWithParam<BadConfig> {};

TEST_P(BadConfigs, NameTheKeyAndWhatWasExpected) {
    EXPECT_EQ(file_error(GetParam().content), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Config, BadConfigs,
    ::testing::Values(
        BadConfig{R"({"board": {"mgmt": {"port": "22a"}}})",
                  R"(board.mgmt.port: expected an integer 1..65535, got "22a")"},
        BadConfig{R"({"board": {"mgmt": {"port": 70000}}})",
                  "board.mgmt.port: expected an integer 1..65535, got 70000"},
        BadConfig{R"({"board": {"mgmt": {"prot": 22}}})",
                  "board.mgmt.prot: unknown key (did you mean 'board.mgmt.port'?)"},
        BadConfig{R"({"bord": {}})", "bord: unknown key (did you mean 'board'?)"},
        BadConfig{R"({"board": {"mgmt": {"host_key_policy": "yolo"}}})",
                  R"(board.mgmt.host_key_policy: expected one of strict, accept-new, got "yolo")"},
        BadConfig{R"({"board": {"kind": "vm"}})", R"(board.kind: expected one of real, sim, got "vm")"},
        BadConfig{R"({"board": {"mgmt": {"host": ""}}})", R"(board.mgmt.host: expected a non-empty string, got "")"},
        BadConfig{R"({"board": {"mgmt": "192.168.88.80"}})",
                  R"(board.mgmt: expected an object, got "192.168.88.80")"},
        BadConfig{R"({"module": {"install_path": "lib/modules/x.ko"}})",
                  R"(module.install_path: expected an absolute path pattern without '..', got "lib/modules/x.ko")"},
        BadConfig{R"({"board": {"data": {"interface": "wlan0;touch /tmp/x"}}})",
                  "board.data.interface: expected a network interface name (at most 15 letters, digits, '-', '_' or "
                  "'.'), got \"wlan0;touch /tmp/x\""},
        BadConfig{R"({"module": {"unload_hang": "panic"}})",
                  R"(module.unload_hang: expected one of reboot, power_cycle, fail, got "panic")"},
        BadConfig{R"({"ftrace": {"events": "workqueue:workqueue_execute_start"}})",
                  R"(ftrace.events: expected a list of strings, got "workqueue:workqueue_execute_start")"},
        BadConfig{R"({"ftrace": {"events": ["ok", 3]}})", "ftrace.events[1]: expected a string, got 3"},
        BadConfig{R"({"kernel_log": {"storm": {"count": 0}}})",
                  "kernel_log.storm.count: expected an integer 1..100000, got 0"},
        BadConfig{R"({"kernel_log": {"netconsole": {"listen": "ohm.local"}}})",
                  R"(kernel_log.netconsole.listen: expected an IPv4 address of this controller (e.g. 127.0.0.1 or 0.0.0.0), got "ohm.local")"},
        BadConfig{R"({"kernel_log": {"netconsole": {"port": 70000}}})",
                  "kernel_log.netconsole.port: expected an integer 1..65535, got 70000"},
        BadConfig{R"({"timeouts": {"wedge_s": -1}})", "timeouts.wedge_s: expected a number 0.5..600, got -1"},
        BadConfig{R"({"phase7": {"profile": "nope"}})",
                  R"(phase7.profile: expected one of the profiles (besser, ramp), got "nope")"},
        BadConfig{R"({"power": {"kind": "command"}})",
                  R"(power.cycle_command: expected a command when power.kind is "command", got "")"},
        BadConfig{R"({"profiles": {"x": {"fresh_chip": "reload", "uptime_window_s": 1, "steps": []}}})",
                  "profiles.x.steps: expected a non-empty list of steps, got []"},
        BadConfig{R"({"profiles": {"x": {"fresh_chip": "reload", "uptime_window_s": 1,
                   "steps": [{"name": "a", "direction": "up", "rate_mbytes": 1, "streams": 1, "seconds": 5, "omit": 0}]}}})",
                  R"(profiles.x.steps[0].direction: expected one of rx, tx, got "up")"},
        BadConfig{R"({"profiles": {"x": {"fresh_chip": "reload", "uptime_window_s": 1,
                   "steps": [{"name": "a", "direction": "rx", "rate_mbytes": 1, "streams": 1, "seconds": 5, "omit": 0, "sceonds": 3}]}}})",
                  "profiles.x.steps[0].sceonds: unknown key (did you mean 'profiles.x.steps[0].seconds'?)"},
        BadConfig{R"({"rollback": {"patch": "b; reboot"}})",
                  R"(rollback.patch: expected a patch name of letters, digits, '-', '_' or '.', got "b; reboot")"},
        BadConfig{R"({"board": {"data": {"address_source": "static"}}})",
                  R"(board.data.address: expected an address when board.data.address_source is "static", got "")"}),
    bad_config_name);

TEST(ConfigErrors, SyntaxErrorNamesLineAndColumn) {
    const auto msg = file_error("{\n  \"board\": {\n    \"name\": \"ohm\",\n  }\n}\n");
    EXPECT_EQ(msg.rfind("line 4 column 3: invalid JSON", 0), 0u) << msg;
}

TEST(ConfigErrors, MissingFileIsNamed) {
    ConfigInputs in;
    in.file = "/nonexistent/rig.json";
    EXPECT_NE(load_error(in).find("/nonexistent/rig.json"), std::string::npos);
}

TEST(ConfigErrors, EnvironmentValueNamesTheVariable) {
    ConfigInputs in;
    in.env["BESRIG_BOARD_MGMT_PORT"] = "22a";
    EXPECT_EQ(load_error(in), R"(environment BESRIG_BOARD_MGMT_PORT: board.mgmt.port: expected an integer, got "22a")");
}

TEST(ConfigErrors, FlagValueNamesTheFlag) {
    ConfigInputs in;
    in.sets.push_back("board.mgmt.port=65536");
    EXPECT_EQ(load_error(in), "--set board.mgmt.port=65536: board.mgmt.port: expected an integer 1..65535, got 65536");
}

// Found by fuzz/config_fuzz: a string value that is not UTF-8 reached the
// JSON serializer of an error message and escaped as nlohmann's type_error.
TEST(ConfigErrors, FlagValueThatIsNotUtf8IsRefusedWhereItCameFrom) {
    ConfigInputs in;
    in.sets.push_back(std::string("board.mgmt.user=e4\xff\xf7" "2\xff\xff", 23));
    const auto e = load_error(in);
    EXPECT_NE(e.find("board.mgmt.user: the value is not valid UTF-8 (byte 2 of"), std::string::npos) << e;
    EXPECT_EQ(e.rfind("--set board.mgmt.user=e4", 0), 0u) << e;
}

TEST(ConfigErrors, OverlongAndSurrogateUtf8AreRefusedToo) {
    for (const std::string& bad : {std::string("\xc0\xaf"), std::string("\xed\xa0\x80"), std::string("ok\xe2\x82")}) {
        ConfigInputs in;
        in.sets.push_back("board.mgmt.user=" + bad);
        EXPECT_NE(load_error(in).find("not valid UTF-8"), std::string::npos) << printable(bad);
    }
    ConfigInputs good;
    good.sets.push_back("board.mgmt.user=j\xc3\xb6rg");  // "jörg"
    EXPECT_EQ(load_config(good).config.board.mgmt.user, "j\xc3\xb6rg");
}

TEST(ConfigErrors, UnknownFlagKeyHasHint) {
    ConfigInputs in;
    in.sets.push_back("board.mgmt.prot=22");
    EXPECT_EQ(load_error(in), "--set: board.mgmt.prot: unknown key (did you mean 'board.mgmt.port'?)");
}

TEST(ConfigEnv, NamesAreDerivedFromPaths) {
    EXPECT_EQ(env_name_for("board.mgmt.identity_file"), "BESRIG_BOARD_MGMT_IDENTITY_FILE");
}

TEST(Config, ShippedExamplesAreValid) {
    for (const char* f : {"config/rig.json", "config/examples/ohm.json", "config/examples/sim.json"}) {
        ConfigInputs in;
        in.file = std::filesystem::path(BESRIG_SOURCE_DIR) / f;
        EXPECT_NO_THROW(load_config(in)) << f;
    }
}

TEST(Config, InstallPathPattern) {
    const auto loaded = load_config({});
    EXPECT_EQ(loaded.config.module_install_path("6.1.0-56-amd64"), "/lib/modules/6.1.0-56-amd64/extra/bes2600.ko");
}

}  // namespace
}  // namespace besrig
