#include "reports/stats/welch.hpp"

#include <cmath>

#include "reports/stats/descriptive.hpp"
#include "reports/stats/student_t.hpp"

namespace besrig::stats {

Interval t_interval(double estimate, double se, double df, double confidence) {
    Interval iv;
    iv.estimate = estimate;
    iv.se = se;
    iv.df = df;
    iv.confidence = confidence;
    const double half = se > 0 ? t_quantile(0.5 * (1.0 + confidence), df) * se : 0.0;
    iv.lo = estimate - half;
    iv.hi = estimate + half;
    return iv;
}

double satterthwaite_df(const std::vector<VarianceComponent>& parts) {
    double sum = 0;
    double denom = 0;
    double df_total = 0;
    for (const auto& p : parts) {
        sum += p.v;
        if (p.df > 0) denom += p.v * p.v / p.df;
        df_total += p.df;
    }
    if (!(denom > 0)) return df_total;
    return sum * sum / denom;
}

std::optional<Interval> welch_interval(const std::vector<double>& base, const std::vector<double>& patch,
                                       double confidence) {
    if (base.size() < 2 || patch.size() < 2) return std::nullopt;
    const double nb = static_cast<double>(base.size());
    const double np = static_cast<double>(patch.size());
    const double vb = variance(base) / nb;
    const double vp = variance(patch) / np;
    const double df = satterthwaite_df({{vb, nb - 1.0}, {vp, np - 1.0}});
    return t_interval(mean(patch) - mean(base), std::sqrt(vb + vp), df, confidence);
}

}  // namespace besrig::stats
