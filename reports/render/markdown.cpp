#include "reports/render/markdown.hpp"

#include <sstream>

#include "reports/render/format.hpp"
#include "reports/render/timeline.hpp"

namespace besrig::report {

std::string md_table(const std::vector<std::string>& header, const std::string& align,
                     const std::vector<std::vector<std::string>>& rows) {
    auto escape = [](const std::string& cell) {
        std::string out;
        for (char ch : cell) {
            if (ch == '|') out += "\\|";
            else if (ch == '\n') out += ' ';
            else out += ch;
        }
        return out;
    };
    std::ostringstream o;
    o << "|";
    for (const auto& h : header) o << " " << escape(h) << " |";
    o << "\n|";
    for (std::size_t i = 0; i < header.size(); ++i) o << (i < align.size() && align[i] == 'r' ? "---:|" : "---|");
    o << "\n";
    for (const auto& row : rows) {
        o << "|";
        for (std::size_t i = 0; i < header.size(); ++i) o << " " << (i < row.size() ? escape(row[i]) : "") << " |";
        o << "\n";
    }
    return o.str();
}

std::string phase_title(const RunRecord& r) {
    if (r.is_baseline || r.kind == "baseline") return "Phase 3 baseline";
    if (r.kind.size() == 6 && r.kind.rfind("phase", 0) == 0) return "Phase " + r.kind.substr(5);
    return r.kind.empty() ? "Run" : r.kind;
}

std::string verdict_headline(const ReportModel& m) {
    const auto& r = m.run;
    std::string s = r.patch.empty() ? r.kind : r.patch;
    if (m.baseline) s += " vs " + m.baseline->run.patch + " (run " + std::to_string(m.baseline->run.id) + ")";
    if (auto ratio = number_at(m.details, "/comparison/pooled/ratio")) {
        s += ": pooled " + pct_from_ratio(*ratio) + " (90 % CI " +
             ratio_interval(number_at(m.details, "/comparison/pooled/lo"), number_at(m.details, "/comparison/pooled/hi")) +
             ")";
    } else if (!r.reason.empty()) {
        s += ": " + r.reason;
    }
    return s;
}

namespace {

std::string uptime(const RepRecord& r) {
    return r.uptime_start_s ? std::to_string(std::llround(*r.uptime_start_s)) + " s" : k_not_measured;
}

void header(std::ostringstream& o, const ReportModel& m) {
    const auto& r = m.run;
    o << "## " << phase_title(r) << " — patch " << (r.patch.empty() ? "?" : r.patch)
      << ": **" << (r.verdict.empty() ? "NO VERDICT" : r.verdict) << "**";
    if (r.exit_code) o << " (exit " << *r.exit_code << ")";
    if (r.status != "finished") o << " — run " << r.status;
    o << "\n\n";
    if (auto ratio = number_at(m.details, "/comparison/pooled/ratio")) {
        o << "**Pooled delta vs " << (m.baseline ? "baseline " + m.baseline->run.patch : std::string("the baseline"))
          << ": " << pct_from_ratio(*ratio) << "**, 90 % CI "
          << ratio_interval(number_at(m.details, "/comparison/pooled/lo"), number_at(m.details, "/comparison/pooled/hi"))
          << (r.reason.empty() ? "" : ". Why: " + r.reason) << ".\n\n";
    } else if (!r.reason.empty()) {
        o << "**" << r.reason << ".**\n\n";
    }
    const std::string sv = m.build && !m.build->srcversion.empty() ? "`" + m.build->srcversion + "`" : k_not_measured;
    const auto n_reps = m.patch_reps().size();
    o << "- **Date:** " << utc_minute(r.started_at) << " · **duration** "
      << (m.duration_s() ? duration(*m.duration_s()) : std::string(k_not_measured)) << "\n";
    o << "- **Module:** srcversion " << sv << " · build sha256 `" << short_sha(r.build_sha256) << "`\n";
    o << "- **Kernel:** " << (r.kernel_release.empty() ? k_not_measured : r.kernel_release) << " · **rig** " << r.rig
      << "\n";
    o << "- **Stress profile:** " << (r.profile.empty() ? k_not_measured : r.profile) << " · " << m.step_names().size()
      << " steps · N=" << n_reps << " · run " << r.id << " (" << r.kind << ")\n";
    if (m.baseline) {
        const auto& b = m.baseline->run;
        o << "- **Baseline:** run " << b.id << ", patch " << b.patch << " ("
          << (m.baseline->build ? m.baseline->build->srcversion : std::string(k_not_measured)) << "), "
          << utc_minute(b.started_at) << "\n";
    }
    o << "\n";
}

void per_rep(std::ostringstream& o, const ReportModel& m) {
    o << "### Repetitions (MB/s per step, mean of non-omitted seconds)\n\n";
    if (m.reps.empty()) {
        o << "No repetition was stored (not measured).\n\n";
        return;
    }
    const auto names = m.step_names();
    std::vector<std::string> head = {"rep", "uptime"};
    std::string align = "rr";
    for (const auto& n : names) {
        head.push_back(n);
        align += 'r';
    }
    head.push_back("status");
    align += 'l';
    std::vector<std::vector<std::string>> rows;
    for (const auto& rep : m.reps) {
        std::vector<std::string> row = {std::to_string(rep.idx) + (rep.patch != m.run.patch ? " (" + rep.patch + ")" : ""),
                                        uptime(rep)};
        for (const auto& n : names) {
            const auto* st = rep.step(n);
            row.push_back(st ? mbytes(st->mean_mbytes) + (st->status != "ok" ? " " + st->status : "") : "not run");
        }
        row.push_back(rep.status);
        rows.push_back(std::move(row));
    }
    o << md_table(head, align, rows) << "\n";
    const auto fns = m.dispatch_functions();
    if (fns.empty()) {
        o << "Work-item dispatch rates: not measured.\n\n";
        return;
    }
    o << "Work-item dispatches per second (ftrace, mean over the rep):\n\n";
    head = {"rep"};
    align = "r";
    for (const auto& f : fns) {
        head.push_back(f);
        align += 'r';
    }
    rows.clear();
    for (const auto& rep : m.reps) {
        std::vector<std::string> row = {std::to_string(rep.idx)};
        for (const auto& f : fns) {
            const auto v = rep.dispatch_rate(f);
            row.push_back(v ? fixed(*v, 0) : k_not_measured);
        }
        rows.push_back(std::move(row));
    }
    o << md_table(head, align, rows) << "\n";
}

void summary(std::ostringstream& o, const ReportModel& m) {
    if (m.steps.empty()) return;
    o << "### Over the repetitions (MB/s)\n\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : m.steps)
        rows.push_back({s.name, std::to_string(s.n), mbytes(s.mean), mbytes(s.median), mbytes(s.min), mbytes(s.max)});
    o << md_table({"step", "N", "mean", "median", "min", "max"}, "lrrrrr", rows) << "\n";
}

void baseline(std::ostringstream& o, const ReportModel& m) {
    if (m.run.is_baseline) return;
    o << "### Against the baseline\n\n";
    const auto* steps = node_at(m.details, "/comparison/steps");
    if (!m.baseline && !steps) {
        o << "No baseline run recorded: comparison not measured.\n\n";
        return;
    }
    std::vector<std::vector<std::string>> rows;
    if (steps && steps->is_array()) {
        for (const auto& s : *steps) {
            const auto ratio = number_at(s, "/ratio");
            rows.push_back({string_at(s, "/step").value_or("?"), mbytes(number_at(s, "/base_mean")),
                            mbytes(number_at(s, "/patch_mean")), ratio ? pct_from_ratio(*ratio) : k_not_measured,
                            ratio_interval(number_at(s, "/lo"), number_at(s, "/hi"))});
        }
    } else if (m.baseline) {
        for (const auto& b : m.baseline->steps) {
            std::optional<double> patch;
            for (const auto& s : m.steps)
                if (s.name == b.name) patch = s.mean;
            rows.push_back({b.name, mbytes(b.mean), mbytes(patch), k_not_measured, k_not_measured});
        }
    }
    if (auto ratio = number_at(m.details, "/comparison/pooled/ratio"))
        rows.push_back({"**pooled**", "", "", "**" + pct_from_ratio(*ratio) + "**",
                        ratio_interval(number_at(m.details, "/comparison/pooled/lo"),
                                       number_at(m.details, "/comparison/pooled/hi"))});
    const auto conf = number_at(m.details, "/comparison/confidence");
    const std::string ci = conf ? fixed(*conf * 100, 0) + " % CI" : "CI";
    o << md_table({"step", "baseline", "patch", "delta", ci}, "lrrrr", rows) << "\n";
    if (auto decision = string_at(m.details, "/comparison/decision")) {
        o << "Decision: **" << *decision << "**";
        if (auto expect = string_at(m.details, "/comparison/expect")) o << " (expect " << *expect;
        if (auto margin = number_at(m.details, "/comparison/margin_pct")) o << ", margin ±" << fixed(*margin, 1) << " %";
        if (string_at(m.details, "/comparison/expect")) o << ")";
        o << "\n";
        if (const auto* reasons = node_at(m.details, "/comparison/reasons"); reasons && reasons->is_array())
            for (const auto& why : *reasons)
                if (why.is_string()) o << "- " << why.get<std::string>() << "\n";
        if (auto need = number_at(m.details, "/comparison/reps_needed"))
            o << "- about " << fixed(*need, 0) << " repetitions would be needed to decide\n";
        o << "\n";
    } else {
        o << "Decision against the baseline: not measured.\n\n";
    }
}

void predictions(std::ostringstream& o, const ReportModel& m) {
    o << "### Predicted | observed | verdict\n\n";
    if (m.metrics.empty()) {
        o << "No prediction recorded for this run" << (m.run.is_baseline ? " (baseline)" : "") << ".\n\n";
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& v : m.metrics) {
        const bool percent = v.predicted.find('%') != std::string::npos;
        std::string obs = k_not_measured;
        if (v.observed) {
            obs = percent ? pct(*v.observed) : fixed(*v.observed, 0);
            if (v.lo && v.hi) obs += " (" + pct_interval(v.lo, v.hi) + ")";
        }
        rows.push_back({v.metric, v.predicted.empty() ? "none" : v.predicted, obs,
                        v.judgement.empty() ? "-" : "**" + v.judgement + "**"});
    }
    o << md_table({"metric", "predicted", "observed (90 % CI)", "verdict"}, "llll", rows) << "\n";
}

void receipts(std::ostringstream& o, const ReportModel& m) {
    o << "### Receipts\n\n";
    if (m.receipts.empty()) {
        o << "No receipts stored (not measured).\n\n";
        return;
    }
    for (const auto& r : m.receipts)
        o << "- [" << (r.ok ? "x" : " ") << "] " << r.item << (r.detail.empty() ? "" : " — " + r.detail) << "\n";
    o << "\n";
}

void events(std::ostringstream& o, const ReportModel& m) {
    o << "### Kernel events\n\n";
    const auto tl = build_timeline(m);
    bool any_fail = false;
    for (const auto& e : tl) {
        const bool strong = e.kind == "storm" || e.kind == "wedge" || e.kind == "host-down";
        any_fail = any_fail || e.severity == "fail";
        o << "- " << where(e) << ": " << (strong ? "**" + e.text + "**" : e.text)
          << (e.severity == "info" ? " (info)" : "") << "\n";
    }
    if (!any_fail) o << (tl.empty() ? "" : "\n") << "No WARN, BUG or oops under stress.\n";
    if (const auto* rb = node_at(m.details, "/rollback"); rb && rb->is_object()) {
        const bool done = rb->value("done", false);
        o << "\nRollback: " << (done ? "done" : "not done");
        if (auto sv = string_at(*rb, "/srcversion")) o << ", running srcversion `" << *sv << "` proven";
        if (auto d = string_at(*rb, "/detail")) o << " — " << *d;
        o << "\n";
    }
    o << "\n";
}

void forensics(std::ostringstream& o, const ReportModel& m) {
    if (m.artifacts.empty()) return;
    o << "### Forensics (captured over the management link, no reboot)\n\n";
    std::int64_t total = 0;
    for (const auto& a : m.artifacts) {
        total += a.size;
        o << "- `" << a.name << "` ";
        if (a.status == "ok")
            o << size(a.size) << ", sha256 `" << short_sha(a.sha256) << "`";
        else
            o << "**" << a.status << "**" << (a.error.empty() ? "" : ": " + a.error);
        o << "\n";
    }
    const auto& first = m.artifacts.front().path;
    const auto dir = first.substr(0, first.rfind('/') + 1);
    o << "\n" << m.artifacts.size() << " items, " << size(total) << " in `" << dir << "`\n\n";
}

void reproduce(std::ostringstream& o, const ReportModel& m) {
    o << "### Reproduce\n\n```sh\n" << (m.run.command.empty() ? "# command not recorded" : m.run.command) << "\n";
    o << "besrig report " << m.run.id << " --format markdown\n```\n";
}

}  // namespace

std::string render_markdown(const ReportModel& m) {
    std::ostringstream o;
    header(o, m);
    per_rep(o, m);
    summary(o, m);
    baseline(o, m);
    predictions(o, m);
    receipts(o, m);
    events(o, m);
    forensics(o, m);
    reproduce(o, m);
    return o.str();
}

}  // namespace besrig::report
