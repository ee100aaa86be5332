#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "reports/store/store.hpp"
#include "rig/forensics/forensics.hpp"
#include "rig/ftrace/ftrace.hpp"
#include "tests/unit/fake_remote.hpp"
#include "tests/unit/test_support.hpp"
#include "util/fs.hpp"

namespace besrig {
namespace {

using test::FakeRemote;
using test::TempDir;

TEST(FunctionHist, ParsesKernelHistOutput) {
    // Shape of /sys/kernel/tracing/events/workqueue/workqueue_execute_start/hist on 6.1.
    const std::string hist =
        "# event histogram\n#\n# trigger info: hist:keys=function.sym:vals=hitcount:sort=hitcount:size=2048 [active]\n#\n\n"
        "{ function: [ffffffffc0a41010] sdio_rx_work [bes2600]                 } hitcount:       4012\n"
        "{ function: [ffffffffc0a40e20] bes2600_bh_work [bes2600]              } hitcount:        812\n"
        "{ function: [ffffffff8e2b1c30] vmstat_update                           } hitcount:          9\n"
        "garbage line } hitcount: x\n"
        "\nTotals:\n    Hits: 4833\n    Entries: 3\n    Dropped: 0\n";
    const auto m = parse_function_hist(hist);
    EXPECT_EQ(m.at("sdio_rx_work"), 4012);
    EXPECT_EQ(m.at("bes2600_bh_work"), 812);
    EXPECT_EQ(m.at("vmstat_update"), 9);
    EXPECT_EQ(m.size(), 3u);
}

TEST(Ftrace, CountsAreIncreasesSinceLastRead) {
    FakeRemote remote;
    remote.rules.push_back({"tracing_on", 0, "hist\n", "", std::nullopt});
    FtraceConfig cfg;
    cfg.enabled = true;
    cfg.tracer = "nop";
    cfg.events = {"workqueue:workqueue_execute_start"};
    cfg.work_functions = {"sdio_rx_work", "sdio_tx_work"};
    Ftrace ft(remote, cfg, 5);
    std::string why;
    ASSERT_TRUE(ft.arm(why)) << why;
    remote.rules.insert(remote.rules.begin(),
                        {"/hist", 0, "{ function: [ffff] sdio_rx_work [bes2600] } hitcount: 100\n", "", std::nullopt});
    EXPECT_EQ(ft.take_counts().at("sdio_rx_work"), 100);
    remote.rules[0].out = "{ function: [ffff] sdio_rx_work [bes2600] } hitcount: 450\n";
    const auto c = ft.take_counts();
    EXPECT_EQ(c.at("sdio_rx_work"), 350);
    EXPECT_EQ(c.at("sdio_tx_work"), 0);
}

TEST(Ftrace, CountReadsHaveAShortDeadlineAndBackOffAfterAFailure) {
    // take_counts runs on the sample path: one read may not hold it for
    // timeouts.command_s, and a dead link may not cost every sample a deadline.
    FakeRemote remote;
    remote.rules.push_back({"tracing_on", 0, "hist\n", "", std::nullopt});
    FtraceConfig cfg;
    cfg.enabled = true;
    cfg.work_functions = {"sdio_rx_work"};
    Ftrace ft(remote, cfg, 30);
    std::string why;
    ASSERT_TRUE(ft.arm(why)) << why;
    remote.rules.insert(remote.rules.begin(), {"/hist", 0, "", "", RemoteErrorKind::Timeout});
    const auto before = remote.calls.size();
    EXPECT_TRUE(ft.take_counts().empty());  // not measured, not zero
    ASSERT_EQ(remote.calls.size(), before + 1);
    EXPECT_LE(remote.timeouts.back(), Ftrace::k_count_read_timeout);
    // The link heals at once, but the next reads wait out the back-off.
    remote.rules[0] = {"/hist", 0, "{ function: [ffff] sdio_rx_work [bes2600] } hitcount: 7\n", "", std::nullopt};
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(ft.take_counts().empty());
    EXPECT_EQ(remote.calls.size(), before + 1) << "a read was tried inside the back-off";
}

TEST(Ftrace, BoardWithoutTracefsIsReportedNotFatal) {
    FakeRemote remote;
    remote.rules.push_back({"tracing_on", 3, "", "no tracefs at /sys/kernel/tracing or /sys/kernel/debug/tracing", std::nullopt});
    FtraceConfig cfg;
    Ftrace ft(remote, cfg, 5);
    std::string why;
    EXPECT_FALSE(ft.arm(why));
    EXPECT_NE(why.find("no tracefs"), std::string::npos);
    EXPECT_TRUE(ft.take_counts().empty());
}

TEST(Forensics, ContinuesPastFailuresAndStoresEveryItem) {
    TempDir dir;
    Store store(dir.path() / "besrig.db");
    NewRun nr;
    nr.kind = "forensics";
    nr.rig = "ohm";
    const auto run_id = store.begin_run(nr);
    const auto config = load_config({}).config;
    FakeRemote remote;
    remote.rules.push_back({"dmesg", 0, "[  13.2] WARNING: CPU: 1 PID: 9 at wsm.c:42 wsm_release_tx_buffer\n", "", std::nullopt});
    remote.rules.push_back({"/proc/interrupts", 0, "", "", RemoteErrorKind::Timeout});
    remote.rules.push_back({"journalctl -k -b -1", 42, "", "", std::nullopt});
    ForensicsCollector fc(remote, config, store, dir.path() / "artifacts");
    const auto items = forensics_items(config, "6.1.0-56-amd64", "bes2600.c-broken.ko");
    const auto results = fc.collect(run_id, items);
    ASSERT_EQ(results.size(), items.size());
    int ok = 0;
    for (const auto& r : results) {
        if (r.name == "interrupts") {
            EXPECT_EQ(r.status, "timeout");
        }
        if (r.name == "journal-k-b-1") {
            EXPECT_EQ(r.status, "absent");
        }
        if (r.status == "ok") {
            ++ok;
            EXPECT_TRUE(std::filesystem::exists(r.path)) << r.name;
            EXPECT_EQ(r.sha256.size(), 64u);
        }
    }
    EXPECT_GE(ok, 9);
    EXPECT_NE(read_file(dir.path() / "artifacts/run-1/forensics/dmesg.txt").find("wsm_release_tx_buffer"), std::string::npos);
    Stmt s(store.db(), "SELECT count(*) FROM artifacts WHERE run_id = ?1");
    s.bind(1, run_id);
    s.step();
    EXPECT_EQ(static_cast<std::size_t>(s.get_int(0)), items.size());
    // The broken module is preserved on the board under the given name.
    bool preserved = false;
    for (const auto& c : remote.calls) preserved |= c.find("bes2600.c-broken.ko") != std::string::npos;
    EXPECT_TRUE(preserved);
}

}  // namespace
}  // namespace besrig
