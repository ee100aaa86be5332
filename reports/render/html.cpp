#include "reports/render/html.hpp"

#include <algorithm>
#include <sstream>

#include "reports/render/format.hpp"
#include "reports/render/markdown.hpp"
#include "reports/render/svg.hpp"
#include "reports/render/timeline.hpp"

namespace besrig::report {
namespace {

constexpr const char* k_css = R"CSS(
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; background: #fff;
       max-width: 960px; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 1.5em; margin: 0 0 .2em; } h2 { font-size: 1.15em; margin: 1.6em 0 .5em; border-bottom: 1px solid #ccc; }
.verdict { display: inline-block; padding: .15em .6em; border-radius: 4px; font-weight: 700; border: 2px solid; }
.good { color: #005a8c; border-color: #0072B2; background: #e8f3fa; }
.bad { color: #8a3300; border-color: #D55E00; background: #fbeee6; }
.neutral { color: #333; border-color: #777; background: #f2f2f2; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: .8em 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
code, pre { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
pre { background: #f5f5f5; padding: .6em .8em; overflow-x: auto; border-radius: 4px; }
table { border-collapse: collapse; margin: .4em 0 1em; font-size: 14px; }
th, td { border-bottom: 1px solid #ddd; padding: .25em .7em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: .5em 0 1.2em; } figure.chart > svg { width: 100%; height: auto; display: block; }
.key svg { display: inline; width: 28px; height: 10px; vertical-align: middle; }
figcaption { font-size: 13px; color: #444; } .key { margin-right: 1.2em; white-space: nowrap; }
svg text { font: 11px system-ui, sans-serif; fill: #333; } svg .grid { stroke: #e3e3e3; stroke-width: 1; }
svg .band0 { fill: #f7f7f7; } svg .band1 { fill: #ececec; } svg .bandlabel { font-weight: 600; }
svg .reference { stroke: #555; stroke-dasharray: 5 4; }
ul.receipts { list-style: none; padding-left: .2em; } ul.receipts li::before { content: attr(data-mark) " "; font-family: monospace; }
.muted { color: #666; } .fail { color: #8a3300; font-weight: 600; }
@media print { body { max-width: none; margin: 0; font-size: 11pt; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
)CSS";

std::string esc(const std::string& s) { return xml_escape(s); }

std::string facts(const ReportModel& m) {
    const auto& r = m.run;
    std::vector<std::pair<std::string, std::string>> f = {
        {"Date", utc_minute(r.started_at)},
        {"Duration", m.duration_s() ? duration(*m.duration_s()) : k_not_measured},
        {"Patch", r.patch},
        {"srcversion", m.build ? m.build->srcversion : k_not_measured},
        {"Build sha256", short_sha(r.build_sha256)},
        {"Kernel", r.kernel_release.empty() ? k_not_measured : r.kernel_release},
        {"Rig", r.rig},
        {"Stress profile", (r.profile.empty() ? std::string(k_not_measured) : r.profile) + ", " +
                               std::to_string(m.step_names().size()) + " steps, N=" +
                               std::to_string(m.patch_reps().size())},
        {"Run", std::to_string(r.id) + " (" + r.kind + ", " + r.status + ")"},
    };
    if (m.baseline)
        f.emplace_back("Baseline", "run " + std::to_string(m.baseline->run.id) + ", patch " + m.baseline->run.patch);
    std::string o = "<dl class=\"facts\">\n";
    for (const auto& [k, v] : f) o += "<dt>" + esc(k) + "</dt><dd>" + esc(v) + "</dd>\n";
    return o + "</dl>\n";
}

std::string throughput_chart(const ReportModel& m, const std::vector<TimelineEntry>& tl) {
    svg::LineChart c;
    c.id = "throughput";
    c.title = "Throughput per second, per repetition";
    c.x_label = "seconds since stress start";
    c.y_label = "MB/s";
    double end = 0;
    for (const auto& rep : m.reps) {
        svg::Series s{"rep-" + std::to_string(rep.idx), "rep " + std::to_string(rep.idx) +
                                                             (rep.patch != m.run.patch ? " (" + rep.patch + ")" : ""), {}};
        double base = 0;
        for (const auto& st : rep.steps) {
            for (const auto& p : st.samples) s.points.push_back({base + p.t, p.mbytes_per_s, {}, {}, {}});
            if (rep.idx == m.reps.front().idx) c.bands.push_back({base, base + st.seconds, st.name});
            base += st.seconds;
        }
        end = std::max(end, base);
        c.series.push_back(std::move(s));
    }
    for (const auto& e : tl)
        if (e.offset_s && e.severity != "info")
            c.markers.push_back({*e.offset_s, where(e) + ": " + e.text, e.severity});
    c.desc = std::to_string(c.series.size()) + " repetitions over " + std::to_string(c.bands.size()) +
             " profile steps; " + std::to_string(c.markers.size()) + " kernel-event markers.";
    if (c.series.empty()) return "<p class=\"muted\">No samples stored: throughput not measured.</p>\n";
    return svg::render(c);
}

std::string step_bars(const ReportModel& m) {
    svg::BarChart c;
    c.id = "steps";
    c.title = "Mean throughput per step" + std::string(m.baseline ? ", patch vs baseline" : "");
    c.y_label = "MB/s";
    const auto names = m.step_names();
    for (const auto& n : names) c.groups.push_back({n});
    auto series = [&](const std::string& id, const std::string& label, const std::vector<StepSummary>& steps) {
        svg::BarSeries s{id, label, {}, {}};
        for (const auto& n : names) {
            const auto it = std::find_if(steps.begin(), steps.end(), [&](const StepSummary& x) { return x.name == n; });
            const bool ok = it != steps.end() && it->mean;
            s.present.push_back(ok);
            s.values.push_back(ok ? svg::Point{0, *it->mean, it->min, it->max,
                                               label + " " + n + ": mean " + mbytes(it->mean) + " MB/s, min " +
                                                   mbytes(it->min) + ", max " + mbytes(it->max) + ", N=" +
                                                   std::to_string(it->n)}
                                  : svg::Point{});
        }
        c.series.push_back(std::move(s));
    };
    if (m.baseline) series("baseline", "baseline " + m.baseline->run.patch + " (run " + std::to_string(m.baseline->run.id) + ")", m.baseline->steps);
    series("patch", "patch " + m.run.patch, m.steps);
    c.desc = "Mean MB/s per profile step with min..max whiskers, " + std::to_string(c.series.size()) + " series.";
    return svg::render(c);
}

std::string timeline_chart(const ReportModel& m, const std::vector<TimelineEntry>& tl) {
    svg::TimelineChart c;
    c.id = "timeline";
    c.title = "Kernel-event timeline";
    for (const auto& rep : m.reps) {
        double len = 0;
        for (const auto& st : rep.steps) len += st.seconds;
        c.x_max = std::max(c.x_max, len);
    }
    for (const auto& e : tl) {
        if (!e.offset_s) continue;
        const std::string lane = e.rep ? "rep " + std::to_string(*e.rep) : "run";
        if (std::find(c.lanes.begin(), c.lanes.end(), lane) == c.lanes.end()) c.lanes.push_back(lane);
        c.items.push_back({*e.offset_s, lane, where(e) + ": " + e.text, e.severity});
        c.x_max = std::max(c.x_max, *e.offset_s);
    }
    c.desc = std::to_string(c.items.size()) + " events under stress.";
    if (c.items.empty()) return "<p>No kernel events under stress.</p>\n";
    return svg::render(c);
}

std::string reps_table(const ReportModel& m) {
    const auto names = m.step_names();
    const auto fns = m.dispatch_functions();
    std::vector<std::string> head = {"rep", "uptime"};
    std::string align = "rr";
    for (const auto& n : names) head.push_back(n), align += 'r';
    for (const auto& f : fns) head.push_back(f + "/s"), align += 'r';
    head.push_back("status");
    align += 'l';
    std::vector<std::vector<std::string>> rows;
    for (const auto& rep : m.reps) {
        std::vector<std::string> row = {std::to_string(rep.idx),
                                        rep.uptime_start_s ? fixed(*rep.uptime_start_s, 0) + " s" : k_not_measured};
        for (const auto& n : names) {
            const auto* st = rep.step(n);
            row.push_back(st ? mbytes(st->mean_mbytes) + (st->status != "ok" ? " " + st->status : "") : "not run");
        }
        for (const auto& f : fns) {
            const auto v = rep.dispatch_rate(f);
            row.push_back(v ? fixed(*v, 0) : k_not_measured);
        }
        row.push_back(rep.status);
        rows.push_back(std::move(row));
    }
    return html_table(head, align, rows);
}

std::string comparison_table(const ReportModel& m) {
    std::vector<std::vector<std::string>> rows;
    if (const auto* steps = node_at(m.details, "/comparison/steps"); steps && steps->is_array())
        for (const auto& s : *steps) {
            const auto ratio = number_at(s, "/ratio");
            rows.push_back({string_at(s, "/step").value_or("?"), mbytes(number_at(s, "/base_mean")),
                            mbytes(number_at(s, "/patch_mean")), ratio ? pct_from_ratio(*ratio) : k_not_measured,
                            ratio_interval(number_at(s, "/lo"), number_at(s, "/hi"))});
        }
    if (auto ratio = number_at(m.details, "/comparison/pooled/ratio"))
        rows.push_back({"pooled", "", "", pct_from_ratio(*ratio),
                        ratio_interval(number_at(m.details, "/comparison/pooled/lo"),
                                       number_at(m.details, "/comparison/pooled/hi"))});
    if (rows.empty()) return "<p class=\"muted\">Comparison against the baseline: not measured.</p>\n";
    std::string out = html_table({"step", "baseline MB/s", "patch MB/s", "delta", "90 % CI"}, "lrrrr", rows);
    if (auto d = string_at(m.details, "/comparison/decision")) out += "<p>Decision: <strong>" + esc(*d) + "</strong></p>\n";
    if (const auto* reasons = node_at(m.details, "/comparison/reasons"); reasons && reasons->is_array()) {
        out += "<ul>\n";
        for (const auto& w : *reasons)
            if (w.is_string()) out += "<li>" + esc(w.get<std::string>()) + "</li>\n";
        out += "</ul>\n";
    }
    return out;
}

std::string predictions_table(const ReportModel& m) {
    if (m.metrics.empty()) return "<p class=\"muted\">No prediction recorded for this run.</p>\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& v : m.metrics) {
        const bool percent = v.predicted.find('%') != std::string::npos;
        std::string obs = v.observed ? (percent ? pct(*v.observed) : fixed(*v.observed, 0)) : k_not_measured;
        if (v.observed && v.lo && v.hi) obs += " (" + pct_interval(v.lo, v.hi) + ")";
        rows.push_back({v.metric, v.predicted, obs, v.judgement});
    }
    return html_table({"metric", "predicted", "observed (90 % CI)", "verdict"}, "llll", rows);
}

std::string receipts_list(const ReportModel& m) {
    if (m.receipts.empty()) return "<p class=\"muted\">No receipts stored (not measured).</p>\n";
    std::string o = "<ul class=\"receipts\">\n";
    for (const auto& r : m.receipts)
        o += std::string("<li data-mark=\"") + (r.ok ? "[x]" : "[ ]") + "\"" + (r.ok ? "" : " class=\"fail\"") + ">" +
             esc(r.item) + (r.detail.empty() ? "" : " — " + esc(r.detail)) + "</li>\n";
    return o + "</ul>\n";
}

std::string events_list(const std::vector<TimelineEntry>& tl, const ReportModel& m) {
    std::string o;
    if (!tl.empty()) {
        o += "<ul>\n";
        for (const auto& e : tl)
            o += std::string("<li") + (e.severity == "fail" ? " class=\"fail\"" : "") + ">" + esc(where(e)) + ": " +
                 esc(e.text) + "</li>\n";
        o += "</ul>\n";
    }
    if (const auto* rb = node_at(m.details, "/rollback"); rb && rb->is_object())
        o += "<p>Rollback: " + std::string(rb->value("done", false) ? "done" : "not done") +
             (string_at(*rb, "/srcversion") ? ", running srcversion " + esc(*string_at(*rb, "/srcversion")) + " proven" : "") +
             (string_at(*rb, "/detail") ? " — " + esc(*string_at(*rb, "/detail")) : "") + "</p>\n";
    return o;
}

std::string forensics_table(const ReportModel& m) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : m.artifacts)
        rows.push_back({a.name, a.status == "ok" ? size(a.size) : "", a.status == "ok" ? short_sha(a.sha256) : "",
                        a.status + (a.error.empty() ? "" : ": " + a.error)});
    return html_table({"item", "size", "sha256", "status"}, "lrll", rows);
}

}  // namespace

std::string verdict_class(const std::string& v) {
    if (v == "PASS" || v == "EQUIVALENT" || v == "IMPROVED") return "good";
    if (v == "FAIL" || v == "WEDGED" || v == "HOST_DOWN" || v == "REGRESSED") return "bad";
    return "neutral";
}

std::string html_table(const std::vector<std::string>& header, const std::string& align,
                       const std::vector<std::vector<std::string>>& rows) {
    auto cls = [&](std::size_t i) { return i < align.size() && align[i] == 'r' ? " class=\"r\"" : ""; };
    std::string o = "<table>\n<thead><tr>";
    for (std::size_t i = 0; i < header.size(); ++i) o += std::string("<th") + cls(i) + ">" + esc(header[i]) + "</th>";
    o += "</tr></thead>\n<tbody>\n";
    for (const auto& row : rows) {
        o += "<tr>";
        for (std::size_t i = 0; i < header.size(); ++i)
            o += std::string("<td") + cls(i) + ">" + (i < row.size() ? esc(row[i]) : "") + "</td>";
        o += "</tr>\n";
    }
    return o + "</tbody>\n</table>\n";
}

std::string html_page(const std::string& title, const std::string& body) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
           esc(title) + "</title>\n<style>" + k_css + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
}

std::string render_html(const ReportModel& m) {
    const auto tl = build_timeline(m);
    const auto& r = m.run;
    std::ostringstream b;
    b << "<header>\n<h1>besrig run " << r.id << ": " << phase_title(r) << " — patch "
      << esc(r.patch) << "</h1>\n<p><span class=\"verdict " << verdict_class(r.verdict) << "\">"
      << esc(r.verdict.empty() ? "NO VERDICT" : r.verdict) << "</span> " << esc(verdict_headline(m)) << "</p>\n";
    if (!r.reason.empty() && number_at(m.details, "/comparison/pooled/ratio")) b << "<p>Why: " << esc(r.reason) << ".</p>\n";
    b << facts(m) << "</header>\n<main>\n";
    b << "<section>\n<h2>Throughput per second</h2>\n" << throughput_chart(m, tl) << "</section>\n";
    b << "<section>\n<h2>Per step" << (m.baseline ? ", against the baseline" : "") << "</h2>\n" << step_bars(m)
      << comparison_table(m) << "</section>\n";
    b << "<section>\n<h2>Repetitions</h2>\n" << reps_table(m) << "</section>\n";
    b << "<section>\n<h2>Predicted | observed | verdict</h2>\n" << predictions_table(m) << "</section>\n";
    b << "<section>\n<h2>Receipts</h2>\n" << receipts_list(m) << "</section>\n";
    b << "<section>\n<h2>Kernel events</h2>\n" << timeline_chart(m, tl) << events_list(tl, m) << "</section>\n";
    if (!m.artifacts.empty()) b << "<section>\n<h2>Forensics</h2>\n" << forensics_table(m) << "</section>\n";
    b << "<section>\n<h2>Reproduce</h2>\n<pre>" << esc(r.command.empty() ? "# command not recorded" : r.command)
      << "\nbesrig report " << r.id << " --format html -o run-" << r.id << ".html</pre>\n</section>\n</main>\n";
    return html_page("besrig run " + std::to_string(r.id) + " — " + (r.verdict.empty() ? "no verdict" : r.verdict) +
                         " — " + r.patch,
                     b.str());
}

}  // namespace besrig::report
