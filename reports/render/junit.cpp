#include "reports/render/junit.hpp"

#include <sstream>

#include "reports/render/format.hpp"
#include "reports/render/markdown.hpp"
#include "reports/render/timeline.hpp"

namespace besrig::report {
namespace {

struct Case {
    std::string classname, name;
    double seconds = 0;
    std::string failure_type;  // "" | failure | error | skipped
    std::string message;
    std::string body;
    std::string out;
};

bool patch_failed(const std::string& verdict) {
    return verdict == "FAIL" || verdict == "WEDGED" || verdict == "HOST_DOWN" || verdict == "REGRESSED";
}

std::string secs(double s) { return fixed(std::max(0.0, s), 3); }

}  // namespace

std::string render_junit(const ReportModel& m) {
    const auto& r = m.run;
    const std::string cls = "besrig." + r.kind + "." + (r.patch.empty() ? "none" : r.patch);
    std::vector<Case> cases;

    Case verdict{cls, "verdict", m.duration_s().value_or(0), "", "", "", verdict_headline(m)};
    if (patch_failed(r.verdict)) {
        verdict.failure_type = "failure";
        verdict.message = r.verdict + ": " + r.reason;
    } else if (r.verdict == "INFRA_ERROR" || r.verdict == "ABORTED" || r.status == "aborted") {
        verdict.failure_type = "error";
        verdict.message = (r.verdict.empty() ? "ABORTED" : r.verdict) + ": " + r.reason;
    } else if (r.verdict == "INCONCLUSIVE") {
        verdict.failure_type = "skipped";
        verdict.message = "INCONCLUSIVE: " + r.reason;
    }
    cases.push_back(verdict);

    const auto timeline = build_timeline(m);
    for (const auto& rep : m.reps) {
        Case c{cls, "rep " + std::to_string(rep.idx), rep.finished_at ? *rep.finished_at - rep.started_at : 0, "", "", "", ""};
        std::ostringstream body;
        for (const auto& st : rep.steps)
            if (!st.error.empty()) body << st.name << ": " << st.error << "\n";
        for (const auto& e : timeline)
            if (e.rep == rep.idx && e.severity == "fail") body << where(e) << ": " << e.text << "\n";
        if (rep.status == "failed") {
            c.failure_type = "failure";
            const auto text = body.str();
            c.message = text.empty() ? "rep " + std::to_string(rep.idx) + " failed" : text.substr(0, text.find('\n'));
            c.body = text;
        } else if (rep.status == "aborted") {
            c.failure_type = "error";
            c.message = "rep aborted";
            c.body = body.str();
        }
        c.out = "uptime at start: " +
                (rep.uptime_start_s ? fixed(*rep.uptime_start_s, 0) + " s" : std::string(k_not_measured)) +
                "; srcversion before " + (rep.identity_before.empty() ? k_not_measured : rep.identity_before) +
                ", after " + (rep.identity_after.empty() ? k_not_measured : rep.identity_after);
        cases.push_back(c);
        for (const auto& st : rep.steps) {
            Case s{cls + ".rep" + std::to_string(rep.idx), st.name,
                   st.finished_at ? *st.finished_at - st.started_at : 0, "", "", "", ""};
            s.out = st.direction + " " + (st.rate_mbytes > 0 ? fixed(st.rate_mbytes, 0) + " MB/s cap" : "uncapped") +
                    ", " + std::to_string(st.streams) + " stream(s): mean " + mbytes(st.mean_mbytes) + " MB/s";
            if (st.status != "ok") {
                s.failure_type = st.status == "aborted" ? "error" : "failure";
                s.message = st.status + (st.error.empty() ? "" : ": " + st.error);
            }
            cases.push_back(s);
        }
    }
    for (const auto& v : m.metrics) {
        Case c{cls + ".prediction", v.metric, 0, "", "", "", "predicted " + v.predicted};
        if (v.judgement == "REFUTED") {
            c.failure_type = "failure";
            c.message = "REFUTED: predicted " + v.predicted + ", observed " +
                        (v.observed ? fixed(*v.observed, 1) : std::string(k_not_measured));
        } else if (v.judgement != "CONFIRMED") {
            c.failure_type = "skipped";
            c.message = (v.judgement.empty() ? "not judged" : v.judgement);
        }
        cases.push_back(c);
    }

    int failures = 0, errors = 0, skipped = 0;
    for (const auto& c : cases) {
        failures += c.failure_type == "failure";
        errors += c.failure_type == "error";
        skipped += c.failure_type == "skipped";
    }
    std::ostringstream o;
    o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
    o << "  <testsuite name=\"" << xml_escape("besrig run " + std::to_string(r.id) + " " + r.kind + " " + r.patch)
      << "\" tests=\"" << cases.size() << "\" failures=\"" << failures << "\" errors=\"" << errors
      << "\" skipped=\"" << skipped << "\" time=\"" << secs(m.duration_s().value_or(0)) << "\" timestamp=\""
      << xml_escape(utc_minute(r.started_at)) << "\" hostname=\"" << xml_escape(r.rig) << "\">\n";
    o << "    <properties>\n";
    const std::pair<std::string, std::string> props[] = {
        {"verdict", r.verdict},
        {"exit_code", r.exit_code ? std::to_string(*r.exit_code) : ""},
        {"srcversion", m.build ? m.build->srcversion : ""},
        {"build_sha256", r.build_sha256},
        {"kernel_release", r.kernel_release},
        {"profile", r.profile},
        {"baseline_run", r.baseline_run ? std::to_string(*r.baseline_run) : ""},
    };
    for (const auto& [k, v] : props)
        o << "      <property name=\"" << k << "\" value=\"" << xml_escape(v) << "\"/>\n";
    o << "    </properties>\n";
    for (const auto& c : cases) {
        o << "    <testcase classname=\"" << xml_escape(c.classname) << "\" name=\"" << xml_escape(c.name)
          << "\" time=\"" << secs(c.seconds) << "\">\n";
        if (!c.failure_type.empty()) {
            o << "      <" << c.failure_type << " message=\"" << xml_escape(c.message) << "\"";
            if (c.failure_type == "skipped") {
                o << "/>\n";
            } else {
                o << " type=\"" << xml_escape(r.verdict) << "\">" << xml_escape(c.body.empty() ? c.message : c.body)
                  << "</" << c.failure_type << ">\n";
            }
        }
        if (!c.out.empty()) o << "      <system-out>" << xml_escape(c.out) << "</system-out>\n";
        o << "    </testcase>\n";
    }
    o << "  </testsuite>\n</testsuites>\n";
    return o.str();
}

}  // namespace besrig::report
