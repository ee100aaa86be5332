#include "rig/kmsg/storm_detector.hpp"

#include "util/error.hpp"

namespace besrig::kmsg {

StormDetector::StormDetector(int count, double window_s) {
    if (count < 1) throw_config("kernel_log.storm.count must be at least 1, got " + std::to_string(count));
    if (!(window_s > 0)) throw_config("kernel_log.storm.window_s must be positive, got " + std::to_string(window_s));
    count_ = static_cast<std::size_t>(count);
    window_s_ = window_s;
}

std::optional<StormEvent> StormDetector::add(double t, const std::string& title) {
    if (last_ && t < *last_) {
        // The clock went backwards: a new boot. Nothing before it counts.
        window_.clear();
        in_storm_ = false;
    }
    if (in_storm_ && last_ && t - *last_ > window_s_) in_storm_ = false;
    last_ = t;
    window_.push_back(t);
    while (!window_.empty() && t - window_.front() > window_s_) window_.pop_front();
    if (in_storm_) {
        ++storm_splats_;
        return std::nullopt;
    }
    if (window_.size() < count_) return std::nullopt;
    in_storm_ = true;
    ++storms_;
    storm_splats_ = window_.size();
    StormEvent e;
    e.start_s = window_.front();
    e.detected_s = t;
    e.count = window_.size();
    if (stress_start_) e.offset_s = e.start_s - *stress_start_;
    e.title = title;
    return e;
}

}  // namespace besrig::kmsg
