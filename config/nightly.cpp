#include "config/nightly.hpp"

#include <set>

#include "config/json_reader.hpp"
#include "config/loader.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using nlohmann::json;
using config_detail::Reader;

const std::vector<std::string> k_top_keys = {"rig_config", "store",   "profile",   "reps",     "interleave",
                                             "baseline",   "patches", "report",    "lock_file", "log_file"};

std::filesystem::path anchored(const std::filesystem::path& source, const std::string& text) {
    auto p = expand_home(text);
    if (p.is_relative()) p = source.parent_path() / p;
    return p.lexically_normal();
}

void only_top_keys(const json& root, const std::filesystem::path& source) {
    for (const auto& [k, _] : root.items()) {
        if (std::find(k_top_keys.begin(), k_top_keys.end(), k) != k_top_keys.end()) continue;
        std::string msg = source.string() + ": " + k + ": unknown key";
        if (auto hint = did_you_mean(k, k_top_keys)) msg += " (did you mean '" + *hint + "'?)";
        throw_config(msg);
    }
}

NightlyPatch read_patch(const Reader& r, const std::string& p) {
    r.only_keys(p, {"name", "expect", "margin_pct"});
    NightlyPatch np;
    np.name = r.str(p + ".name", false);
    if (!config_detail::safe_token(np.name))
        r.fail(p + ".name", "a patch name of letters, digits, '-', '_' or '.'", r.node(p + ".name"));
    if (r.node(p + ".expect")) {
        np.expect = r.one_of(p + ".expect", {"no-delta", "improve", "change"});
        if (np.expect == "change") np.expect = "any";
    }
    if (r.node(p + ".margin_pct")) np.margin_pct = r.number(p + ".margin_pct", 0.1, 50);
    return np;
}

}  // namespace

NightlyConfig parse_nightly_config(const json& root, const std::filesystem::path& source) {
    if (!root.is_object()) throw_config(source.string() + ": expected a JSON object at the top level");
    only_top_keys(root, source);
    std::map<std::string, Origin> origins;
    for (const auto& key : k_top_keys) origins[key] = Origin{Origin::Kind::File, source.string()};
    const Reader r(root, origins);

    NightlyConfig c;
    c.file = source;
    if (r.node("rig_config")) c.rig_config = anchored(source, r.str("rig_config", false));
    if (r.node("store")) c.store = anchored(source, r.str("store", false));
    if (r.node("profile")) {
        c.profile = r.str("profile", false);
        if (!config_detail::safe_token(c.profile) || c.profile.find('.') != std::string::npos)
            r.fail("profile", "a profile name of letters, digits, '-' or '_'", r.node("profile"));
    }
    if (r.node("reps")) c.reps = r.integer("reps", 1, 1000);
    if (r.node("interleave")) c.interleave = r.boolean("interleave");
    if (const json* b = r.node("baseline")) {
        if (b->is_number_integer() && b->get<long long>() > 0) {
            c.baseline_run = b->get<std::int64_t>();
        } else if (b->is_string() && b->get<std::string>() != "latest") {
            const auto id = parse_int(b->get<std::string>());
            if (!id || *id <= 0) r.fail("baseline", "\"latest\" or a run id", b);
            c.baseline_run = *id;
        } else if (!b->is_string()) {
            r.fail("baseline", "\"latest\" or a run id", b);
        }
    }

    const auto& patches = r.at("patches", "a non-empty list of {name, expect, margin_pct}");
    if (!patches.is_array() || patches.empty()) r.fail("patches", "a non-empty list of {name, expect, margin_pct}", &patches);
    std::set<std::string> names;
    for (std::size_t i = 0; i < patches.size(); ++i) {
        const auto p = "patches[" + std::to_string(i) + "]";
        if (!patches[i].is_object()) r.fail(p, "an object {name, expect, margin_pct}", &patches[i]);
        c.patches.push_back(read_patch(r, p));
        if (!names.insert(c.patches.back().name).second)
            r.fail(p + ".name", "a patch listed once", r.node(p + ".name"));
    }

    if (r.node("report")) {
        r.only_keys("report", {"nights", "margin_pct", "markdown", "html"});
        if (r.node("report.nights")) c.report_nights = r.integer("report.nights", 1, 3650);
        if (r.node("report.margin_pct")) c.report_margin_pct = r.number("report.margin_pct", 0.1, 100);
        if (r.node("report.markdown")) c.report_markdown = anchored(source, r.str("report.markdown", false)).string();
        if (r.node("report.html")) c.report_html = anchored(source, r.str("report.html", false)).string();
    }
    c.lock_file = r.node("lock_file") ? anchored(source, r.str("lock_file", false))
                                      : xdg_state_home() / "besrig" / "nightly.lock";
    c.log_file = r.node("log_file") ? anchored(source, r.str("log_file", false))
                                    : xdg_state_home() / "besrig" / "nightly.log";
    return c;
}

NightlyConfig read_nightly_config(const std::filesystem::path& path) {
    return parse_nightly_config(parse_config_file(path), path);
}

std::string substitute_date(const std::string& pattern, const std::string& date) {
    std::string out;
    const std::string key = "{date}";
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern.compare(i, key.size(), key) == 0) {
            out += date;
            i += key.size();
        } else {
            out += pattern[i++];
        }
    }
    return out;
}

}  // namespace besrig
