// Welch's t interval for a difference of two means with unequal variances,
// used on log throughput so that the difference is a log ratio and
// exp(interval) is an interval for the ratio patch/baseline.
//
// Assumptions: the observations of each group are independent draws from a
// normal distribution (on the log scale: throughput is lognormal, i.e. noise is
// multiplicative); the groups are independent; variances need not be equal.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace besrig::stats {

// An estimate with a two-sided interval at `confidence`.
struct Interval {
    double estimate = 0;    // point estimate (here: a difference of mean logs)
    double se = 0;          // its standard error
    double df = 0;          // degrees of freedom of the t reference distribution
    double confidence = 0;  // e.g. 0.90
    double lo = 0;
    double hi = 0;
};

// estimate ± t_{(1+confidence)/2, df} · se. With se == 0 the interval is the point.
Interval t_interval(double estimate, double se, double df, double confidence);

// One variance component of a sum for the Welch–Satterthwaite approximation:
// v = s²/n (the variance of a mean) estimated with `df` = n-1 degrees of freedom.
struct VarianceComponent {
    double v = 0;
    double df = 0;
};

// Welch–Satterthwaite: df = (Σ v_j)² / Σ (v_j² / df_j). When every v_j is 0
// (identical observations) returns Σ df_j, the df of a pooled estimate.
double satterthwaite_df(const std::vector<VarianceComponent>& parts);

// Welch's interval for mean(patch) - mean(base):
//   d  = x̄_p - x̄_b,  se² = s_p²/n_p + s_b²/n_b,
//   df = se⁴ / ((s_p²/n_p)²/(n_p-1) + (s_b²/n_b)²/(n_b-1)).
// Needs at least 2 observations in each group (nullopt otherwise).
std::optional<Interval> welch_interval(const std::vector<double>& base, const std::vector<double>& patch,
                                       double confidence);

}  // namespace besrig::stats
