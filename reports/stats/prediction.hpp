// Pre-registered predictions (BRIEF §4 Phase 5, §5): parsing METRIC=RANGE
// specs and judging an observed interval against the predicted range.
//
// Spec grammar (spaces ignored; "+-" may stand for "±"):
//   throughput=0%±3%          centre ± half-width, in percent   -> [-3 %, +3 %]
//   throughput=+5%..+15%      a closed range of relative change -> [+5 %, +15 %]
//   sdio_rx_work_rate=-100%..-90%
//   splats=0                  an absolute count (no %)          -> [0, 0]
//   splats=0..2               an absolute range
// A relative range is the predicted change of patch over baseline, in percent
// of the baseline (ratio - 1); an absolute one is the metric's own value.
#pragma once

#include <optional>
#include <string>

namespace besrig::stats {

struct Prediction {
    std::string metric;
    std::string spec;     // the range text after '=' as given
    bool relative = true; // percent change vs baseline (true) or absolute value
    double lo = 0;        // percent when relative
    double hi = 0;
};

enum class Judgement { Confirmed, Refuted, Inconclusive };
const char* to_string(Judgement j);

// Parses "METRIC=RANGE". On failure returns nullopt and sets `error` to a
// message naming what was expected.
std::optional<Prediction> parse_prediction(const std::string& text, std::string& error);

// CONFIRMED when [obs_lo, obs_hi] lies inside [lo, hi] (bounds included),
// REFUTED when it lies entirely outside, INCONCLUSIVE when it overlaps an edge.
// Observed bounds are in the prediction's units (percent when relative).
Judgement judge(const Prediction& p, double obs_lo, double obs_hi);

// The range as text: "+5 %..+15 %", "-3 %..+3 %", "0", "0..2".
std::string describe_range(const Prediction& p);

}  // namespace besrig::stats
