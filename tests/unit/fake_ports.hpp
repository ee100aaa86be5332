// Fakes for every port of phases/ports.hpp, sharing one scripted World:
// a board, a traffic generator that advances a fake clock one second per
// sample, a log watch whose status the test scripts, and so on.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "phases/ports.hpp"

namespace besrig::test {

using phases::Board;
using phases::BoardUnreachable;
using phases::Comparator;
using phases::Forensics;
using phases::LogStatus;
using phases::LogWatch;
using phases::PowerSwitch;
using phases::RunningModule;
using phases::Sample;
using phases::StepResult;
using phases::Tracing;
using phases::Traffic;

struct World {
    double now = 1000;
    int stress_s = 0;  // seconds of traffic so far in the run
    int mgmt_checks = 0;  // management_alive() calls
    std::string installed;
    std::string running;
    bool mgmt_up = true;
    bool data_ok = true;
    bool server_alive = true;
    bool client_fails = false;  // the iperf3 client on the board ends with an error
    double rate = 1.4;
    double uptime = 100;
    bool power_cycled = false;
    int forensics_calls = 0;
    std::vector<std::string> calls;
    LogStatus log;
    std::function<void(World&)> on_tick;
    std::function<void(World&)> on_probe;
    std::function<void(World&)> on_stop;  // when keep_going ends a step  // e.g. a probe that blocks (advances `now`)
    std::vector<std::string> problems;
};

class FakeBoard : public Board {
public:
    explicit FakeBoard(World& w) : w_(w) {}
    std::string kernel_release() override { check(); return "6.1.0-56-amd64"; }
    std::vector<std::string> preflight_problems() override { return w_.problems; }
    double uptime_s() override { check(); return w_.uptime; }
    RunningModule running_module() override { check(); return {!w_.running.empty(), w_.running, "0.1", "12288"}; }
    void install(const BuildRecord& b) override { check(); w_.installed = b.srcversion; w_.calls.push_back("install " + b.patch); }
    void reload(const BuildRecord& b) override {
        check();
        w_.running = w_.installed;
        w_.calls.push_back("reload " + b.patch);
        w_.data_ok = true;
    }
    void reboot() override { w_.calls.push_back("reboot"); w_.uptime = 10; }
    void wait_reachable(std::chrono::milliseconds) override {
        if (!w_.mgmt_up) throw BoardUnreachable("ohm: unreachable");
    }
    std::string wait_data_link(std::chrono::milliseconds) override { check(); return "10.0.3.15"; }
    // The probe runs over the management link: without it, it fails too.
    Probe probe_data_path(const std::string&) override {
        w_.calls.push_back("probe");
        if (w_.on_probe) w_.on_probe(w_);
        if (!w_.mgmt_up) return Probe::Unreachable;
        return w_.data_ok ? Probe::Answered : Probe::NoAnswer;
    }
    bool management_alive() override {
        ++w_.mgmt_checks;
        return w_.mgmt_up;
    }
    std::map<std::string, std::string> read_files(const std::vector<std::string>& paths) override {
        check();
        std::map<std::string, std::string> m;
        for (const auto& p : paths) m[p] = "hw_bufs_used: 0";
        return m;
    }
    void mark_log(const std::string&) override { check(); }

private:
    void check() {
        if (!w_.mgmt_up) throw BoardUnreachable("ohm: connection timed out");
    }
    World& w_;
};

class FakeTraffic : public Traffic {
public:
    explicit FakeTraffic(World& w) : w_(w) {}
    void start_server() override { w_.calls.push_back("server up"); }
    bool server_alive() override { return w_.server_alive; }
    StepResult run_step(const StepConfig& step, const std::string&, const std::function<void(const Sample&)>& on_sample,
                        const std::function<bool()>& keep_going) override {
        for (int t = 1; t <= step.seconds; ++t) {
            w_.now += 1;
            w_.stress_s += 1;
            if (w_.on_tick) w_.on_tick(w_);
            if (w_.client_fails) return {StepResult::Status::ClientFailed, "iperf3: error - control socket has closed unexpectedly", "3.12", "3.12"};
            if (!keep_going()) {
                if (w_.on_stop) w_.on_stop(w_);
                // The adapter reports a server found dead once the stream stopped.
                return {w_.server_alive ? StepResult::Status::Stopped : StepResult::Status::ServerDied, "", "3.12", "3.12"};
            }
            // Samples travel over the management link (the client's output over SSH).
            if (w_.mgmt_up) on_sample({static_cast<double>(t), w_.data_ok ? w_.rate : 0.0, t <= step.omit});
        }
        return {StepResult::Status::Ok, "", "3.12", "3.12"};
    }
    void stop_server() override { w_.calls.push_back("server down"); }

private:
    World& w_;
};

class FakeLog : public LogWatch {
public:
    explicit FakeLog(World& w) : w_(w) {}
    void start(std::int64_t) override {}
    void set_position(int, const std::string&, const std::string&) override {}
    LogStatus status() override { return w_.log; }
    void stop() override { w_.calls.push_back("log stop"); }

private:
    World& w_;
};

class FakeTracing : public Tracing {
public:
    bool arm(std::string&) override { return true; }
    std::map<std::string, std::int64_t> take_counts() override { return {{"sdio_rx_work", 350}}; }
    void freeze_and_save(std::int64_t, const std::string&) override {}
};

class FakeForensics : public Forensics {
public:
    explicit FakeForensics(World& w) : w_(w) {}
    int collect(std::int64_t, const std::string&) override {
        if (!w_.mgmt_up) throw BoardUnreachable("no link");
        ++w_.forensics_calls;
        return 12;
    }

private:
    World& w_;
};

class FakePower : public PowerSwitch {
public:
    explicit FakePower(World& w) : w_(w) {}
    bool available() override { return true; }
    void cycle() override {
        w_.power_cycled = true;
        w_.mgmt_up = true;
        w_.uptime = 5;
        w_.running = w_.installed;  // the installed module autoloads at boot
    }

private:
    World& w_;
};

class FakeComparator : public Comparator {
public:
    std::string decision = "EQUIVALENT";
    nlohmann::json compare(std::int64_t, std::int64_t, const std::string&) override {
        return {{"decision", decision}, {"reasons", {"inside ±3 %"}}, {"new_fingerprints", nlohmann::json::array()}};
    }
};

}  // namespace besrig::test
