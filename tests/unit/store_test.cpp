#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports/store/schema.hpp"
#include "reports/store/store.hpp"
#include "tests/unit/test_support.hpp"

namespace besrig {
namespace {

using test::TempDir;

TEST(Store, MigratesAnEmptyFile) {
    TempDir dir;
    const auto path = dir.path() / "sub" / "besrig.db";
    {
        Store store(path);
        Stmt v(store.db(), "PRAGMA user_version");
        ASSERT_TRUE(v.step());
        EXPECT_EQ(v.get_int(0), schema_version());
        Stmt wal(store.db(), "PRAGMA journal_mode");
        ASSERT_TRUE(wal.step());
        EXPECT_EQ(wal.get_text(0), "wal");
        Stmt fk(store.db(), "PRAGMA foreign_keys");
        ASSERT_TRUE(fk.step());
        EXPECT_EQ(fk.get_int(0), 1);
    }
    // Reopening an up-to-date store changes nothing.
    Store again(path);
    EXPECT_TRUE(again.runs({}).empty());
}

TEST(Store, RefusesANewerSchema) {
    TempDir dir;
    const auto path = dir.path() / "besrig.db";
    { Store store(path); store.db().exec("PRAGMA user_version=999"); }
    try {
        Store store(path);
        FAIL();
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("newer than this besrig"), std::string::npos);
    }
}

TEST(Store, RunLifecycle) {
    TempDir dir;
    Store store(dir.path() / "besrig.db");
    NewRun nr;
    nr.kind = "phase7";
    nr.patch = "c-prep";
    nr.rig = "ohm";
    nr.profile = "besser";
    const auto id = store.begin_run(nr);
    auto r = store.run(id);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, "running");
    store.finish_run(id, "EQUIVALENT", "within ±3 %", 0);
    r = store.run(id);
    EXPECT_EQ(r->status, "finished");
    EXPECT_EQ(r->verdict, "EQUIVALENT");
    EXPECT_EQ(r->exit_code, 0);
    RunFilter f;
    f.patch = "c-prep";
    EXPECT_EQ(store.runs(f).size(), 1u);
    f.patch = "c";
    EXPECT_TRUE(store.runs(f).empty());
}

TEST(Store, ValuesAreBoundNeverPasted) {
    TempDir dir;
    Store store(dir.path() / "besrig.db");
    NewRun nr;
    nr.kind = "phase7";
    nr.patch = "x'); DROP TABLE runs; --";
    nr.rig = "ohm";
    const auto id = store.begin_run(nr);
    EXPECT_EQ(store.run(id)->patch, nr.patch);
}

TEST(Store, RunOfAKilledControllerIsMarkedAbortedOnNextOpen) {
    TempDir dir;
    const auto path = dir.path() / "besrig.db";
    std::int64_t run_id = 0;
    // A child process plays the controller: it opens a run, stores a sample's
    // worth of log, and dies without closing it.
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        Store store(path);
        NewRun nr;
        nr.kind = "phase7";
        nr.patch = "c";
        nr.rig = "ohm";
        const auto id = store.begin_run(nr);
        store.log(id, "info", "rep 1", "stress started");
        ::_exit(0);  // no finish_run: as if SIGKILLed
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    Store store(path);
    ASSERT_EQ(store.aborted_on_open().size(), 1u);
    run_id = store.aborted_on_open()[0];
    const auto r = store.run(run_id);
    EXPECT_EQ(r->status, "aborted");
    EXPECT_EQ(r->verdict, "ABORTED");
    Stmt logs(store.db(), "SELECT count(*) FROM run_log WHERE run_id = ?1");
    logs.bind(1, run_id);
    ASSERT_TRUE(logs.step());
    EXPECT_EQ(logs.get_int(0), 1);  // data stored before the death is kept
}

TEST(Store, LiveRunOfThisProcessIsNotAborted) {
    TempDir dir;
    const auto path = dir.path() / "besrig.db";
    Store store(path);
    NewRun nr;
    nr.kind = "phase7";
    nr.rig = "ohm";
    const auto id = store.begin_run(nr);
    Store second(path);  // e.g. `besrig history` while the run goes on
    EXPECT_TRUE(second.aborted_on_open().empty());
    EXPECT_EQ(second.run(id)->status, "running");
}

}  // namespace
}  // namespace besrig
