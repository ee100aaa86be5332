#include "reports/render/nightly.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "reports/render/format.hpp"

namespace besrig::report {
namespace {

constexpr double k_day = 86400.0;
constexpr double k_night_shift = 12 * 3600.0;

// Night number: whole days since the epoch of (t - 12 h).
long long night_of(double t) { return static_cast<long long>(std::floor((t - k_night_shift) / k_day)); }
double night_start(long long night) { return static_cast<double>(night) * k_day + k_night_shift; }
std::string night_name(long long night) { return utc_date(static_cast<double>(night) * k_day); }

bool failing(const std::string& verdict) {
    return verdict == "FAIL" || verdict == "WEDGED" || verdict == "HOST_DOWN" || verdict == "REGRESSED";
}

struct RunRow {
    std::int64_t id;
    std::string patch;
    double started_at;
    std::string verdict;
    std::optional<double> mbytes, ratio, lo, hi;
    std::optional<std::int64_t> baseline_run;
};

std::vector<RunRow> load_runs(Db& db, double from, double to) {
    Stmt s(db,
           "SELECT r.id, r.patch, r.started_at, r.verdict, r.details_json, r.baseline_run, "
           "(SELECT AVG(s.mean_mbytes) FROM reps p JOIN steps s ON s.rep_id = p.id "
           " WHERE p.run_id = r.id AND (p.patch = r.patch OR p.patch = '')) "
           "FROM runs r WHERE r.kind = 'phase7' AND r.status != 'running' AND r.started_at >= ?1 AND r.started_at < ?2 "
           "ORDER BY r.started_at, r.id");
    s.bind(1, from).bind(2, to);
    std::vector<RunRow> out;
    while (s.step()) {
        RunRow r{s.get_int(0), s.get_text(1), s.get_double(2), s.get_text(3), s.get_opt_double(6), {}, {}, {},
                 s.get_opt_int(5)};
        const auto details = nlohmann::json::parse(s.get_text(4), nullptr, false);
        if (!details.is_discarded()) {
            r.ratio = number_at(details, "/comparison/pooled/ratio");
            r.lo = number_at(details, "/comparison/pooled/lo");
            r.hi = number_at(details, "/comparison/pooled/hi");
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<double> median(std::vector<double> v) {
    if (v.empty()) return std::nullopt;
    std::sort(v.begin(), v.end());
    const auto mid = v.size() / 2;
    return v.size() % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

NightPoint aggregate(const std::vector<const RunRow*>& rows, long long night, long long first) {
    NightPoint p;
    p.night = night_name(night);
    p.index = static_cast<int>(night - first);
    double mb = 0, ratio = 0;
    int n_mb = 0, n_ratio = 0;
    for (const auto* r : rows) {
        p.runs.push_back(r->id);
        p.verdicts.push_back(r->verdict);
        p.failed = p.failed || failing(r->verdict);
        if (r->mbytes) mb += *r->mbytes, ++n_mb;
        if (r->ratio) {
            ratio += *r->ratio;
            ++n_ratio;
            if (r->lo) p.lo = std::min(p.lo.value_or(*r->lo), *r->lo);
            if (r->hi) p.hi = std::max(p.hi.value_or(*r->hi), *r->hi);
        }
    }
    if (n_mb) p.mbytes = mb / n_mb;
    if (n_ratio) p.ratio = ratio / n_ratio;
    return p;
}

std::vector<NewFingerprint> new_fingerprints(Db& db, double from, double to) {
    Stmt s(db,
           "SELECT k.fingerprint, k.title, k.module, k.class, r.patch, r.id, r.started_at, k.count "
           "FROM runs r JOIN kernel_events k ON k.run_id = r.id "
           "WHERE r.started_at >= ?1 AND r.started_at < ?2 AND k.severity != 'info' AND k.class != 'STORM' "
           "AND NOT EXISTS (SELECT 1 FROM kernel_events k2 JOIN runs r2 ON r2.id = k2.run_id "
           "                WHERE k2.fingerprint = k.fingerprint AND r2.started_at < ?1) "
           "ORDER BY r.started_at, k.id");
    s.bind(1, from).bind(2, to);
    std::vector<NewFingerprint> out;
    while (s.step()) {
        const auto fp = s.get_text(0);
        if (std::any_of(out.begin(), out.end(), [&](const NewFingerprint& f) { return f.fingerprint == fp; })) continue;
        out.push_back({fp, s.get_text(1), s.get_text(2), s.get_text(3), s.get_text(4),
                       night_name(night_of(s.get_double(6))), s.get_int(5), s.get_int(7)});
    }
    return out;
}

void decide(PatchTrend& t, const NightlyOptions& o, long long last_night, long long first_night) {
    const double m = o.margin_pct / 100;
    for (auto& p : t.points) {
        std::vector<double> prev;
        for (const auto& q : t.points)
            if (q.ratio && q.index < p.index && q.index >= p.index - o.reference_nights) prev.push_back(*q.ratio);
        if (prev.size() < 3 || !p.ratio) continue;
        p.reference = median(prev);
        const double lo = p.lo.value_or(*p.ratio), hi = p.hi.value_or(*p.ratio);
        if (lo > *p.reference * (1 + m)) p.move = "up";
        else if (hi < *p.reference * (1 - m)) p.move = "down";
    }
    const auto last_index = static_cast<int>(last_night - first_night);
    if (t.points.empty() || t.points.back().index != last_index) {
        t.status = "no run last night";
        t.detail = t.points.empty() ? "no Phase 7 run in the window" : "last run on " + t.points.back().night;
        return;
    }
    const auto& p = t.points.back();
    if (p.failed) {
        t.status = "failed";
        std::string v;
        for (const auto& x : p.verdicts)
            if (failing(x)) v = x;
        t.detail = v + " on " + p.night + " (run " + std::to_string(p.runs.back()) + ")";
    } else if (!p.reference) {
        t.status = "not enough history";
        t.detail = "fewer than 3 of the previous " + std::to_string(o.reference_nights) + " nights measured";
    } else if (!p.move.empty()) {
        t.status = "moved " + p.move;
        t.detail = "ratio " + fixed(*p.ratio, 3) + " (" + fixed(p.lo.value_or(*p.ratio), 3) + ".." +
                   fixed(p.hi.value_or(*p.ratio), 3) + ") vs last week's median " + fixed(*p.reference, 3) +
                   " ± " + fixed(o.margin_pct, 1) + " %";
    } else {
        t.status = "steady";
        t.detail = "within ±" + fixed(o.margin_pct, 1) + " % of last week's median " + fixed(*p.reference, 3);
    }
}

}  // namespace

NightlyReport load_nightly(Store& store, const NightlyOptions& o) {
    NightlyReport n;
    n.options = o;
    auto& db = store.db();
    double until = 0;
    if (o.until) {
        until = *o.until;
    } else {
        Stmt s(db, "SELECT MAX(started_at) FROM runs WHERE kind = 'phase7'");
        if (!s.step() || s.is_null(0)) return n;  // no phase7 runs: an empty, passing report
        until = s.get_double(0);
    }
    const long long last = night_of(until), first = last - o.nights + 1;
    for (long long k = first; k <= last; ++k) n.nights.push_back(night_name(k));
    const double from = night_start(first), to = night_start(last + 1);
    const auto rows = load_runs(db, night_start(first - o.reference_nights), to);
    std::map<std::string, std::map<long long, std::vector<const RunRow*>>> by_patch;
    std::map<std::int64_t, int> baselines;
    for (const auto& r : rows) {
        by_patch[r.patch][night_of(r.started_at)].push_back(&r);
        if (r.started_at >= from) {
            ++n.runs;
            if (r.baseline_run) ++baselines[*r.baseline_run];
        }
    }
    if (!baselines.empty()) {
        n.baseline_run = std::max_element(baselines.begin(), baselines.end(), [](auto& a, auto& b) {
                             return a.second < b.second;
                         })->first;
        if (auto b = store.run(*n.baseline_run)) n.baseline_patch = b->patch;
    }
    for (const auto& [patch, nights] : by_patch) {
        PatchTrend t;
        t.patch = patch;
        for (const auto& [night, runs] : nights) t.points.push_back(aggregate(runs, night, first));
        decide(t, o, last, first);
        // Keep only the window's nights; the week before served as reference.
        t.points.erase(std::remove_if(t.points.begin(), t.points.end(), [](const NightPoint& p) { return p.index < 0; }),
                       t.points.end());
        if (t.points.empty()) continue;
        if (t.status == "failed" || t.status == "moved down") n.exit_code = 1;
        n.patches.push_back(std::move(t));
    }
    n.new_fingerprints = new_fingerprints(db, from, to);
    return n;
}

}  // namespace besrig::report
