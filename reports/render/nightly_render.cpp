// Markdown, HTML and JSON views of the nightly trend (reports/render/nightly.hpp).
#include <sstream>

#include "reports/render/format.hpp"
#include "reports/render/html.hpp"
#include "reports/render/markdown.hpp"
#include "reports/render/nightly.hpp"
#include "reports/render/svg.hpp"

namespace besrig::report {
namespace {

std::string ratio_pct(std::optional<double> r) { return r ? pct_from_ratio(*r) : k_not_measured; }

std::string headline(const NightlyReport& n) {
    int bad = 0;
    for (const auto& p : n.patches) bad += p.status == "failed" || p.status == "moved down";
    std::string s = "Nightly: " + std::to_string(n.patches.size()) + " patches, " + std::to_string(n.nights.size()) +
                    " nights";
    if (!n.nights.empty()) s += " to " + n.nights.back();
    s += " — " + (bad ? std::to_string(bad) + " failed or moved down" : std::string("all steady or better"));
    return s + " (exit " + std::to_string(n.exit_code) + ")";
}

std::string rule_text(const NightlyReport& n) {
    return "A night is the UTC date of (start − 12 h). Each night's point is the mean of that night's Phase 7 runs "
           "(pooled ratio vs baseline run " +
           (n.baseline_run ? std::to_string(*n.baseline_run) + ", patch " + n.baseline_patch : std::string("?")) +
           "). A patch moved when its latest night's whole 90 % interval lies beyond the median ratio of the previous " +
           std::to_string(n.options.reference_nights) + " nights ± " + fixed(n.options.margin_pct, 1) +
           " % (at least 3 nights measured). Exit 1 when a patch's latest night failed or moved down.";
}

std::vector<std::string> summary_row(const PatchTrend& p) {
    const NightPoint* last = p.points.empty() ? nullptr : &p.points.back();
    return {p.patch,
            last ? last->night : "-",
            last ? ratio_pct(last->ratio) : k_not_measured,
            last ? ratio_interval(last->lo, last->hi) : k_not_measured,
            last && last->reference ? pct_from_ratio(*last->reference) : k_not_measured,
            p.status};
}

std::vector<std::string> night_row(const NightPoint& q) {
    std::string verdicts;
    for (const auto& v : q.verdicts) verdicts += (verdicts.empty() ? "" : ", ") + v;
    return {q.night, std::to_string(q.runs.size()), mbytes(q.mbytes), ratio_pct(q.ratio),
            ratio_interval(q.lo, q.hi), verdicts, q.move.empty() ? "" : "moved " + q.move};
}

}  // namespace

std::string render_nightly_markdown(const NightlyReport& n) {
    std::ostringstream o;
    o << "## " << headline(n) << "\n\n";
    if (n.patches.empty()) {
        o << "No Phase 7 runs in the window: nothing measured.\n";
        return o.str();
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : n.patches) {
        auto row = summary_row(p);
        if (p.status == "failed" || p.status == "moved down") row.back() = "**" + row.back() + "**";
        rows.push_back(row);
    }
    o << md_table({"patch", "last night", "vs base", "90 % CI", "week median", "status"}, "llrrrl", rows) << "\n";
    for (const auto& p : n.patches)
        if (!p.detail.empty()) o << "- **" << p.patch << "**: " << p.status << " — " << p.detail << "\n";
    o << "\n" << rule_text(n) << "\n\n";
    o << "### New kernel-log fingerprints\n\n";
    if (n.new_fingerprints.empty()) o << "None in the period.\n";
    for (const auto& f : n.new_fingerprints)
        o << "- " << f.night << ", run " << f.run << " (" << f.patch << "): " << f.title
          << (f.module.empty() ? "" : " [" + f.module + "]") << ", " << f.count << " × — fingerprint `" << f.fingerprint
          << "`\n";
    for (const auto& p : n.patches) {
        o << "\n### " << p.patch << "\n\n";
        std::vector<std::vector<std::string>> nights;
        for (const auto& q : p.points) nights.push_back(night_row(q));
        o << md_table({"night", "runs", "MB/s", "vs base", "90 % CI", "verdict", "change"}, "lrrrrll", nights);
    }
    o << "\n```sh\nbesrig report --nightly --nights " << n.options.nights << " --format html -o nightly.html\n```\n";
    return o.str();
}

std::string render_nightly_html(const NightlyReport& n) {
    std::ostringstream b;
    b << "<header>\n<h1>" << xml_escape(headline(n)) << "</h1>\n<p><span class=\"verdict "
      << (n.exit_code ? "bad" : "good") << "\">" << (n.exit_code ? "ATTENTION" : "STEADY") << "</span> "
      << n.runs << " Phase 7 runs in the window.</p>\n</header>\n<main>\n";
    if (n.patches.empty()) {
        b << "<p class=\"muted\">No Phase 7 runs in the window: nothing measured.</p>\n</main>\n";
        return html_page("besrig nightly", b.str());
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : n.patches) rows.push_back(summary_row(p));
    b << "<section>\n<h2>Summary</h2>\n"
      << html_table({"patch", "last night", "vs baseline", "90 % CI", "week median", "status"}, "llrrrl", rows)
      << "<p class=\"muted\">" << xml_escape(rule_text(n)) << "</p>\n</section>\n";
    for (const auto& p : n.patches) {
        svg::LineChart c;
        c.id = "trend-" + p.patch;
        c.title = "Nightly throughput of " + p.patch + " vs baseline";
        c.x_label = "night (UTC)";
        c.y_label = "ratio vs baseline";
        c.reference = 1.0;
        for (const auto& night : n.nights) c.x_tick_labels.push_back(night.substr(5));
        svg::Series s{p.patch, p.patch + " (mean of the night's runs, 90 % CI)", {}};
        int changes = 0;
        for (const auto& q : p.points) {
            if (!q.ratio) continue;
            s.points.push_back({static_cast<double>(q.index), *q.ratio, q.lo, q.hi,
                                q.night + ": " + ratio_pct(q.ratio) + " (" + ratio_interval(q.lo, q.hi) + ")"});
            if (!q.move.empty()) {
                c.markers.push_back({static_cast<double>(q.index),
                                     q.night + ": moved " + q.move + " vs last week's median " +
                                         (q.reference ? fixed(*q.reference, 3) : std::string("?")),
                                     "change"});
                ++changes;
            }
            if (q.failed) c.markers.push_back({static_cast<double>(q.index), q.night + ": failed", "fail"});
        }
        c.series.push_back(std::move(s));
        c.desc = std::to_string(c.series.front().points.size()) + " nights measured, " + std::to_string(changes) +
                 " change points; status " + p.status + ".";
        std::vector<std::vector<std::string>> nights;
        for (const auto& q : p.points) nights.push_back(night_row(q));
        b << "<section>\n<h2>" << xml_escape(p.patch) << ": " << xml_escape(p.status) << "</h2>\n<p>"
          << xml_escape(p.detail) << "</p>\n"
          << svg::render(c)
          << html_table({"night", "runs", "MB/s", "vs baseline", "90 % CI", "verdicts", "change"}, "lrrrrll", nights)
          << "</section>\n";
    }
    b << "<section>\n<h2>New kernel-log fingerprints</h2>\n";
    if (n.new_fingerprints.empty()) b << "<p>None in the period.</p>\n";
    std::vector<std::vector<std::string>> fps;
    for (const auto& f : n.new_fingerprints)
        fps.push_back({f.night, std::to_string(f.run), f.patch, f.title + (f.module.empty() ? "" : " [" + f.module + "]"),
                       std::to_string(f.count), f.fingerprint});
    if (!fps.empty()) b << html_table({"night", "run", "patch", "signature", "count", "fingerprint"}, "lrllrl", fps);
    b << "</section>\n</main>\n";
    return html_page("besrig nightly — " + (n.nights.empty() ? std::string() : n.nights.back()), b.str());
}

nlohmann::json nightly_json(const NightlyReport& n) {
    using nlohmann::json;
    auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
    json patches = json::array();
    for (const auto& p : n.patches) {
        json points = json::array();
        for (const auto& q : p.points)
            points.push_back({{"night", q.night}, {"runs", q.runs}, {"verdicts", q.verdicts}, {"mbytes", opt(q.mbytes)},
                              {"ratio", opt(q.ratio)}, {"lo", opt(q.lo)}, {"hi", opt(q.hi)},
                              {"reference", opt(q.reference)}, {"move", q.move.empty() ? json(nullptr) : json(q.move)},
                              {"failed", q.failed}});
        patches.push_back({{"patch", p.patch}, {"status", p.status}, {"detail", p.detail}, {"nights", points}});
    }
    json fps = json::array();
    for (const auto& f : n.new_fingerprints)
        fps.push_back({{"fingerprint", f.fingerprint}, {"title", f.title}, {"module", f.module}, {"class", f.cls},
                       {"patch", f.patch}, {"night", f.night}, {"run", f.run}, {"count", f.count}});
    return {{"schema", "besrig.nightly/1"},
            {"nights", n.nights},
            {"margin_pct", n.options.margin_pct},
            {"reference_nights", n.options.reference_nights},
            {"baseline_run", n.baseline_run ? json(*n.baseline_run) : json(nullptr)},
            {"runs", n.runs},
            {"patches", patches},
            {"new_fingerprints", fps},
            {"exit_code", n.exit_code}};
}

}  // namespace besrig::report
