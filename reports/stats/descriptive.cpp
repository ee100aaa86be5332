#include "reports/stats/descriptive.hpp"

#include <algorithm>
#include <cmath>

namespace besrig::stats {

double mean(const std::vector<double>& x) {
    if (x.empty()) return 0;
    double s = 0;
    for (double v : x) s += v;
    return s / static_cast<double>(x.size());
}

double variance(const std::vector<double>& x) {
    if (x.size() < 2) return 0;
    const double m = mean(x);
    double ss = 0;
    for (double v : x) ss += (v - m) * (v - m);
    return ss / static_cast<double>(x.size() - 1);
}

double median(std::vector<double> x) {
    if (x.empty()) return 0;
    std::sort(x.begin(), x.end());
    const std::size_t h = x.size() / 2;
    return x.size() % 2 ? x[h] : 0.5 * (x[h - 1] + x[h]);
}

double mad(const std::vector<double>& x) {
    const double m = median(x);
    std::vector<double> dev;
    dev.reserve(x.size());
    for (double v : x) dev.push_back(std::fabs(v - m));
    return median(std::move(dev));
}

Summary summarize(const std::vector<double>& x) {
    Summary s;
    if (x.empty()) return s;
    s.n = x.size();
    s.mean = mean(x);
    s.median = median(x);
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    s.min = *lo;
    s.max = *hi;
    s.sd = std::sqrt(variance(x));
    return s;
}

std::vector<double> logs(const std::vector<double>& x) {
    std::vector<double> out;
    out.reserve(x.size());
    for (double v : x) out.push_back(std::log(v));
    return out;
}

}  // namespace besrig::stats
