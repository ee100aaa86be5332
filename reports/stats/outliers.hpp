// Outlier repetitions are flagged, never dropped: the analysis keeps every
// rep and the report names the odd one so a person can look at it.
//
// Rule (Iglewicz & Hoaglin's modified z-score, on the log scale):
//   z_i = 0.6745 (x_i - median) / MAD,  flagged when |z_i| > 3.5,
// where MAD is the median absolute deviation. With N = 3 the MAD equals the
// smaller of the two gaps to the median, so a rep is flagged when it sits more
// than 5.2 times further from the median than the closest other rep. The MAD is
// floored at `mad_floor` (default ln 1.005, i.e. 0.5 %) so that reps of a
// rate-capped step, which agree to a few parts per thousand, are not flagged
// for trivial differences. Fewer than 3 values: nothing is flagged.
#pragma once

#include <cstddef>
#include <vector>

namespace besrig::stats {

inline constexpr double k_outlier_z = 3.5;
inline constexpr double k_outlier_mad_floor = 0.0049875415110390738;  // ln(1.005)

// Indices (into `log_values`) of flagged values.
std::vector<std::size_t> flag_outliers(const std::vector<double>& log_values,
                                       double mad_floor = k_outlier_mad_floor);

}  // namespace besrig::stats
