// The wedge watchdog's clock (BRIEF §4). The data path is *silent* while no
// interval above a floor arrives — iperf3 printing zeros and iperf3 printing
// nothing at all both count. From `probe_every_s` of silence on, the protocol
// probes the path (a ping over the data interface) once every `probe_every_s`;
// the path is *suspect* once it has been silent for `wedge_s` AND at least
// `probes_needed` probes have failed since the silence began with none
// succeeding (a success is a reprieve: the clock starts again).
//
// Probing early, not only at the end of the window, is what makes the
// decision fast: the default (wedge_s 3, two failed 1 s probes) decides
// 3–4 s after the data path dies (the last good interval arrives up to 1 s
// after the death), where probing only once the window was over took
// wedge_s + one probe + one more round. Two failed probes, not one, keep a
// single lost ping on a busy board from condemning a patch. Whether a
// suspect path is WEDGED (management answers) or HOST_DOWN (it does not) is
// decided by the protocol, not here.
#pragma once

#include <limits>

namespace besrig::phase7 {

class WedgeWatchdog {
public:
    explicit WedgeWatchdog(double wedge_s, double probe_every_s = 1.0, int probes_needed = 2,
                           double floor_mbytes_per_s = 0.005)
        : wedge_s_(wedge_s), probe_every_(probe_every_s), probes_needed_(probes_needed), floor_(floor_mbytes_per_s) {}

    // A step starts: iperf3 still has to connect and print its first
    // interval, so silence counts only from `grace_s` on.
    void start(double now, double grace_s = 2.0) { reprieve(now + grace_s); }
    void on_sample(double now, double mbytes_per_s) {
        if (mbytes_per_s > floor_) reprieve(now);
    }
    double silent_for(double now) const { return now > last_good_ ? now - last_good_ : 0; }
    // Time to probe the data path: silent long enough, and no probe this round.
    bool probe_due(double now) const {
        return silent_for(now) >= probe_every_ && now - last_probe_ >= probe_every_;
    }
    void probe_started(double now) { last_probe_ = now; }
    void probe_failed() { ++failed_probes_; }
    int failed_probes() const { return failed_probes_; }
    bool silent_too_long(double now) const { return silent_for(now) >= wedge_s_; }
    bool suspect(double now) const { return silent_too_long(now) && failed_probes_ >= probes_needed_; }
    // Traffic, or a probe that got through: the path gets a fresh window.
    void reprieve(double now) {
        last_good_ = now;
        failed_probes_ = 0;
        last_probe_ = -std::numeric_limits<double>::infinity();
    }

private:
    double wedge_s_;
    double probe_every_;
    int probes_needed_;
    double floor_;
    double last_good_ = 0;
    double last_probe_ = -std::numeric_limits<double>::infinity();
    int failed_probes_ = 0;
};

}  // namespace besrig::phase7
