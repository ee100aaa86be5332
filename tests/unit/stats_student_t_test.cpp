// Reference values for the t distribution. Sources, stated per value:
// - "table": published Student t tables (e.g. NIST/SEMATECH e-Handbook of
//   Statistical Methods §1.3.6.7.2, "Critical values of the Student's t
//   distribution"), 6 significant digits; these equal R's qt() and SciPy's
//   scipy.stats.t.ppf() to the digits shown.
// - "R": pt()/qt() values that are standard textbook examples.
// - "exact": closed forms.
// - "integration": fractional df, which tables do not list, checked against an
//   independent Python implementation (Simpson integration of the t density and
//   bisection, /tmp/tcheck.py in the commit notes of this file), not our code.
#include <gtest/gtest.h>

#include <cmath>

#include "reports/stats/student_t.hpp"

namespace besrig::stats {
namespace {

TEST(StudentT, QuantilesMatchPublishedTables) {
    EXPECT_NEAR(t_quantile(0.95, 2), 2.919986, 1e-6);     // table
    EXPECT_NEAR(t_quantile(0.975, 4), 2.776445, 1e-6);    // table
    EXPECT_NEAR(t_quantile(0.95, 10), 1.812461, 1e-6);    // table
    EXPECT_NEAR(t_quantile(0.95, 4), 2.131847, 1e-6);     // table
    EXPECT_NEAR(t_quantile(0.975, 2), 4.302653, 1e-6);    // table
    EXPECT_NEAR(t_quantile(0.975, 1), 12.706205, 1e-5);   // table
    EXPECT_NEAR(t_quantile(0.995, 30), 2.749996, 1e-6);   // table
    EXPECT_NEAR(t_quantile(0.99, 1), 31.820516, 1e-5);    // table
    EXPECT_NEAR(t_quantile(0.95, 1e7), 1.644854, 1e-5);   // table, df = ∞ row
}

TEST(StudentT, QuantilesAreSymmetric) {
    EXPECT_NEAR(t_quantile(0.05, 2), -2.919986, 1e-6);  // table, by symmetry
    EXPECT_DOUBLE_EQ(t_quantile(0.5, 3), 0.0);
}

TEST(StudentT, FractionalDegreesOfFreedom) {
    EXPECT_NEAR(t_quantile(0.95, 3.5), 2.222433, 1e-5);   // integration
    EXPECT_NEAR(t_cdf(-1.5, 3.3), 0.1112516, 1e-6);        // integration
}

TEST(StudentT, CdfMatchesReferenceValues) {
    EXPECT_NEAR(t_cdf(2.0, 5), 0.9490303, 1e-7);   // R: pt(2, 5)
    EXPECT_NEAR(t_cdf(1.0, 1), 0.75, 1e-12);       // exact: Cauchy, 1/2 + atan(1)/π
    EXPECT_NEAR(t_cdf(0.0, 7), 0.5, 1e-15);        // exact: symmetry
    EXPECT_NEAR(t_cdf(std::sqrt(2.0), 2), 0.5 + std::sqrt(2.0) / (2 * std::sqrt(4.0)), 1e-12);
    // exact for df = 2: F(t) = 1/2 + t / (2 √(2 + t²))
    for (double q : {0.6, 0.9, 0.975, 0.9995}) EXPECT_NEAR(t_cdf(t_quantile(q, 6.25), 6.25), q, 1e-10);
}

TEST(StudentT, IncompleteBetaExactValues) {
    // exact: I_x(a, b) for integers is P(Binomial(a+b-1, x) >= a).
    EXPECT_NEAR(incomplete_beta(2, 3, 0.5), 11.0 / 16.0, 1e-12);
    EXPECT_NEAR(incomplete_beta(1, 1, 0.3), 0.3, 1e-12);
    EXPECT_NEAR(incomplete_beta(3, 2, 0.9), 1 - (std::pow(0.1, 4) + 4 * 0.9 * std::pow(0.1, 3) +
                                                 6 * 0.81 * 0.01), 1e-12);
    EXPECT_EQ(incomplete_beta(2, 3, 0.0), 0.0);
    EXPECT_EQ(incomplete_beta(2, 3, 1.0), 1.0);
    EXPECT_TRUE(std::isnan(incomplete_beta(-1, 3, 0.5)));
}

TEST(StudentT, NormalReferenceValues) {
    EXPECT_NEAR(normal_quantile(0.975), 1.959964, 1e-6);  // table
    EXPECT_NEAR(normal_quantile(0.9), 1.281552, 1e-6);    // table
    EXPECT_NEAR(normal_cdf(1.0), 0.8413447, 1e-7);        // table
}

TEST(StudentT, RejectsNonsense) {
    EXPECT_TRUE(std::isnan(t_quantile(0.0, 3)));
    EXPECT_TRUE(std::isnan(t_quantile(0.5, 0)));
    EXPECT_TRUE(std::isnan(t_cdf(1.0, -2)));
}

}  // namespace
}  // namespace besrig::stats
