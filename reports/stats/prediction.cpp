#include "reports/stats/prediction.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "util/strings.hpp"

namespace besrig::stats {
namespace {

std::string strip_spaces(const std::string& s) {
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\t') out += c;
    return out;
}

// A number with an optional leading sign and an optional trailing '%'.
struct Quantity {
    double value = 0;
    bool percent = false;
};

std::optional<Quantity> parse_quantity(std::string s) {
    Quantity q;
    if (!s.empty() && s.back() == '%') {
        q.percent = true;
        s.pop_back();
    }
    if (!s.empty() && s.front() == '+') s.erase(0, 1);
    if (s.empty() || s.front() == '+') return std::nullopt;
    const auto v = parse_double(s);
    if (!v || !std::isfinite(*v)) return std::nullopt;
    q.value = *v;
    return q;
}

std::string number(double v, bool sign) {
    char buf[32];
    std::snprintf(buf, sizeof buf, sign ? "%+g" : "%g", v);
    return buf;
}

}  // namespace

const char* to_string(Judgement j) {
    switch (j) {
        case Judgement::Confirmed: return "CONFIRMED";
        case Judgement::Refuted: return "REFUTED";
        case Judgement::Inconclusive: return "INCONCLUSIVE";
    }
    return "?";
}

std::optional<Prediction> parse_prediction(const std::string& text, std::string& error) {
    const std::string expected =
        "expected METRIC=RANGE such as throughput=0%±3%, throughput=+5%..+15% or splats=0";
    const auto eq = text.find('=');
    if (eq == std::string::npos) {
        error = "prediction " + printable(text) + ": no '='; " + expected;
        return std::nullopt;
    }
    Prediction p;
    p.metric = std::string(trim(text.substr(0, eq)));
    p.spec = std::string(trim(text.substr(eq + 1)));
    const std::string range = strip_spaces(p.spec);
    bool metric_ok = !p.metric.empty();
    for (char c : p.metric)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) metric_ok = false;
    if (!metric_ok) {
        error = "prediction " + printable(text) + ": metric name " + printable(p.metric) +
                " must be letters, digits, '_', '.' or '-'";
        return std::nullopt;
    }
    const auto bad = [&](const std::string& why) {
        error = "prediction " + printable(text) + ": " + why + "; " + expected;
        return std::nullopt;
    };
    std::optional<Quantity> a;
    std::optional<Quantity> b;
    bool plus_minus = false;
    std::size_t sep = range.find("..");
    std::size_t sep_len = 2;
    if (sep == std::string::npos) {
        for (const char* pm : {"±", "+-", "+/-"}) {
            const auto at = range.find(pm, 1);
            if (at != std::string::npos) {
                sep = at;
                sep_len = std::string(pm).size();
                plus_minus = true;
                break;
            }
        }
    }
    if (sep == std::string::npos) {
        a = parse_quantity(range);
        if (!a) return bad("the range " + printable(p.spec) + " is not a number");
        b = a;
    } else {
        a = parse_quantity(range.substr(0, sep));
        b = parse_quantity(range.substr(sep + sep_len));
        if (!a || !b) return bad("cannot read the two numbers of " + printable(p.spec));
        if (a->percent != b->percent) return bad("mixes percent and absolute values in " + printable(p.spec));
    }
    p.relative = a->percent;
    if (plus_minus) {
        if (b->value < 0) return bad("the ± half-width must not be negative");
        p.lo = a->value - b->value;
        p.hi = a->value + b->value;
    } else {
        p.lo = a->value;
        p.hi = b->value;
    }
    if (p.lo > p.hi) return bad("the range " + printable(p.spec) + " runs backwards (low end first)");
    if (p.relative && p.lo < -100.0) return bad("a change cannot be below -100 %");
    return p;
}

Judgement judge(const Prediction& p, double obs_lo, double obs_hi) {
    if (obs_lo > obs_hi) std::swap(obs_lo, obs_hi);
    if (obs_lo >= p.lo && obs_hi <= p.hi) return Judgement::Confirmed;
    if (obs_hi < p.lo || obs_lo > p.hi) return Judgement::Refuted;
    return Judgement::Inconclusive;
}

std::string describe_range(const Prediction& p) {
    if (!p.relative) return p.lo == p.hi ? number(p.lo, false) : number(p.lo, false) + ".." + number(p.hi, false);
    return number(p.lo, true) + " %.." + number(p.hi, true) + " %";
}

}  // namespace besrig::stats
