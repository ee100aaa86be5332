// The wedge watchdog's clock (BRIEF §4): the data path is *suspect* when no
// interval above a floor has arrived for `wedge_s` seconds — iperf3 printing
// zeros and iperf3 printing nothing at all both count. Whether a suspect path
// is WEDGED (management answers) or HOST_DOWN (it does not) is decided by the
// protocol with a probe, not here.
#pragma once

namespace besrig::phase7 {

class WedgeWatchdog {
public:
    explicit WedgeWatchdog(double wedge_s, double floor_mbytes_per_s = 0.005)
        : wedge_s_(wedge_s), floor_(floor_mbytes_per_s) {}

    // A step starts: the path gets a full window to show traffic.
    void start(double now) { last_good_ = now; }
    void on_sample(double now, double mbytes_per_s) {
        if (mbytes_per_s > floor_) last_good_ = now;
    }
    bool suspect(double now) const { return now - last_good_ >= wedge_s_; }
    double silent_for(double now) const { return now - last_good_; }
    // After a probe that succeeded: give the path another full window.
    void reprieve(double now) { last_good_ = now; }

private:
    double wedge_s_;
    double floor_;
    double last_good_ = 0;
};

}  // namespace besrig::phase7
