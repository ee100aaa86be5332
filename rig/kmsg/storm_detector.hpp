// StormDetector: K or more splats within W seconds is one storm (BRIEF §4).
//
// Fed the time of every splat (kernel seconds since boot, or wall-clock
// seconds — any one clock, as long as the stress start is given in the same
// one). Raises one StormEvent when the K-th splat inside a window of W
// seconds arrives, with its offset from the stress start; the storm is over
// once W seconds pass without a splat, and a later burst raises a new event.
// Times that go backwards (a reboot reset the kernel clock) restart the window.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace besrig::kmsg {

struct StormEvent {
    double start_s = 0;        // time of the first splat in the window
    double detected_s = 0;     // time of the K-th splat (when the storm was raised)
    std::uint64_t count = 0;   // splats in the window at detection
    std::optional<double> offset_s;  // start_s - stress start, when a stress start is known
    std::string title;         // title of the splat that completed the window
};

class StormDetector {
public:
    // Throws besrig::Error (Config) unless count >= 1 and window_s > 0.
    StormDetector(int count, double window_s);

    void set_stress_start(double t) { stress_start_ = t; }
    // One splat at time t; a StormEvent when this splat starts a storm.
    std::optional<StormEvent> add(double t, const std::string& title = {});

    bool in_storm() const { return in_storm_; }
    std::uint64_t storms() const { return storms_; }
    // Splats counted since the current storm started (0 when none).
    std::uint64_t storm_splats() const { return in_storm_ ? storm_splats_ : 0; }

private:
    std::size_t count_;
    double window_s_;
    std::optional<double> stress_start_;
    std::deque<double> window_;
    std::optional<double> last_;
    bool in_storm_ = false;
    std::uint64_t storms_ = 0;
    std::uint64_t storm_splats_ = 0;
};

}  // namespace besrig::kmsg
