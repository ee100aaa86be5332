#include "reports/stats/outliers.hpp"

#include <algorithm>
#include <cmath>

#include "reports/stats/descriptive.hpp"

namespace besrig::stats {

std::vector<std::size_t> flag_outliers(const std::vector<double>& log_values, double mad_floor) {
    std::vector<std::size_t> flagged;
    if (log_values.size() < 3) return flagged;
    const double med = median(log_values);
    const double scale = std::max(mad(log_values), mad_floor);
    for (std::size_t i = 0; i < log_values.size(); ++i) {
        if (std::fabs(0.6745 * (log_values[i] - med) / scale) > k_outlier_z) flagged.push_back(i);
    }
    return flagged;
}

}  // namespace besrig::stats
