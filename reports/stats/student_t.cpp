#include "reports/stats/student_t.hpp"

#include <cmath>
#include <limits>
#include <numbers>

namespace besrig::stats {
namespace {

constexpr double k_tiny = 1e-300;
constexpr double k_eps = 1e-15;
constexpr int k_max_iter = 1000;

// The continued fraction for I_x(a,b) (Numerical Recipes eq. 6.4.5),
// evaluated by the modified Lentz method. Converges fast for x < (a+1)/(a+b+2).
double beta_continued_fraction(double a, double b, double x) {
    const double qab = a + b;
    const double qap = a + 1.0;
    const double qam = a - 1.0;
    double c = 1.0;
    double d = 1.0 - qab * x / qap;
    if (std::fabs(d) < k_tiny) d = k_tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= k_max_iter; ++m) {
        const double md = m;
        const double m2 = 2.0 * md;
        // Even step: d_{2m} = m(b-m)x / ((a+2m-1)(a+2m)).
        double aa = md * (b - md) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (std::fabs(d) < k_tiny) d = k_tiny;
        c = 1.0 + aa / c;
        if (std::fabs(c) < k_tiny) c = k_tiny;
        d = 1.0 / d;
        h *= d * c;
        // Odd step: d_{2m+1} = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)).
        aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (std::fabs(d) < k_tiny) d = k_tiny;
        c = 1.0 + aa / c;
        if (std::fabs(c) < k_tiny) c = k_tiny;
        d = 1.0 / d;
        const double del = d * c;
        h *= del;
        if (std::fabs(del - 1.0) < k_eps) break;
    }
    return h;
}

}  // namespace

double incomplete_beta(double a, double b, double x) {
    if (!(a > 0) || !(b > 0) || std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
    if (x <= 0) return 0.0;
    if (x >= 1) return 1.0;
    // ln of the prefactor x^a (1-x)^b / (a B(a,b)).
    const double ln_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                            b * std::log1p(-x);
    const double front = std::exp(ln_front);
    if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, x) / a;
    return 1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b;
}

double t_cdf(double t, double df) {
    if (std::isnan(t) || !(df > 0)) return std::numeric_limits<double>::quiet_NaN();
    if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
    // x = df/(df+t²) written to keep precision for large |t|.
    const double x = df / (df + t * t);
    const double tail = 0.5 * incomplete_beta(0.5 * df, 0.5, x);  // P(T > |t|)
    return t >= 0 ? 1.0 - tail : tail;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normal_quantile(double p) {
    if (!(p > 0) || !(p < 1)) return std::numeric_limits<double>::quiet_NaN();
    // Start from a logistic approximation, then Newton on Φ.
    double z = std::log(p / (1.0 - p)) / 1.702;
    const double k_inv_sqrt_2pi = 0.3989422804014327;
    for (int i = 0; i < 100; ++i) {
        const double pdf = k_inv_sqrt_2pi * std::exp(-0.5 * z * z);
        if (pdf < k_tiny) break;
        const double step = (normal_cdf(z) - p) / pdf;
        z -= step;
        if (std::fabs(step) < 1e-14 * (1.0 + std::fabs(z))) break;
    }
    return z;
}

namespace {

// The t density: Γ((ν+1)/2) / (√(νπ) Γ(ν/2)) (1 + t²/ν)^(-(ν+1)/2).
double t_pdf(double t, double df, double ln_norm) {
    return std::exp(ln_norm - 0.5 * (df + 1.0) * std::log1p(t * t / df));
}

// Cornish–Fisher expansion of the t quantile in powers of 1/ν
// (Abramowitz & Stegun 26.7.5): a start within ~1e-3 for ν >= 3.
double cornish_fisher_start(double z, double df) {
    const double z2 = z * z;
    const double g1 = (z2 + 1.0) * z / 4.0;
    const double g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    const double g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    const double g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    return z + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df);
}

// Safeguarded Newton on a bracket [lo, hi] with cdf(lo) < q <= cdf(hi).
double bracketed_quantile(double q, double df, double ln_norm) {
    double lo = 0.0;
    double hi = 1.0;
    while (t_cdf(hi, df) < q) {
        lo = hi;
        hi *= 2.0;
        if (hi > 1e300) return hi;
    }
    double t = 0.5 * (lo + hi);
    for (int i = 0; i < 200; ++i) {
        const double f = t_cdf(t, df) - q;
        if (f > 0) hi = t; else lo = t;
        const double pdf = t_pdf(t, df, ln_norm);
        double next = pdf > 0 ? t - f / pdf : 0.5 * (lo + hi);
        if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);  // Newton left the bracket
        if (std::fabs(next - t) <= 1e-13 * (1.0 + std::fabs(t))) return next;
        t = next;
    }
    return t;
}

}  // namespace

double t_quantile(double p, double df) {
    if (!(p > 0) || !(p < 1) || !(df > 0)) return std::numeric_limits<double>::quiet_NaN();
    if (p == 0.5) return 0.0;
    // Work in the upper half and reflect: t_p = -t_{1-p}.
    const bool lower = p < 0.5;
    const double q = lower ? 1.0 - p : p;  // q in (0.5, 1)
    const double ln_norm = std::lgamma(0.5 * (df + 1.0)) - std::lgamma(0.5 * df) - 0.5 * std::log(df * std::numbers::pi);
    // Fast path: Newton from the Cornish–Fisher start. The CDF is concave for
    // t > 0, so after one step the iterates fall monotonically to the root.
    double t = cornish_fisher_start(normal_quantile(q), df);
    bool converged = false;
    if (df >= 2.0 && t > 0 && std::isfinite(t)) {
        for (int i = 0; i < 30; ++i) {
            const double next = t - (t_cdf(t, df) - q) / t_pdf(t, df, ln_norm);
            if (!(next > 0) || !std::isfinite(next)) break;
            const bool done = std::fabs(next - t) <= 1e-13 * (1.0 + std::fabs(t));
            t = next;
            if (done) {
                converged = true;
                break;
            }
        }
    }
    if (!converged) t = bracketed_quantile(q, df, ln_norm);
    return lower ? -t : t;
}

}  // namespace besrig::stats
