// Descriptive statistics of a small sample (the N repetitions of a step):
// what the reports print next to every interval.
#pragma once

#include <cstddef>
#include <vector>

namespace besrig::stats {

struct Summary {
    std::size_t n = 0;
    double mean = 0;    // arithmetic mean, Σx/n
    double median = 0;  // middle value; mean of the two middle values for even n
    double min = 0;
    double max = 0;
    double sd = 0;      // sample SD, √(Σ(x-mean)²/(n-1)); 0 when n < 2
};

// Summary of `x`; all fields zero for an empty sample.
Summary summarize(const std::vector<double>& x);

double mean(const std::vector<double>& x);
// Sample variance with the n-1 (Bessel) denominator; 0 when n < 2.
double variance(const std::vector<double>& x);
double median(std::vector<double> x);
// Median absolute deviation from the median (unscaled).
double mad(const std::vector<double>& x);

// Natural logs of each value (all must be > 0; the caller checks).
std::vector<double> logs(const std::vector<double>& x);

}  // namespace besrig::stats
