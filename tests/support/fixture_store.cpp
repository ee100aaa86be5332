#include "tests/support/fixture_store.hpp"

#include <cmath>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>

#include "reports/store/store.hpp"
#include "util/sha256.hpp"

namespace besrig::fixture {
namespace {

using nlohmann::json;

// The stress profile of the fixture: the `ramp` shape, 4 steps of 30 s.
struct ProfileStep {
    const char* name;
    const char* direction;
    double rate_mbytes;
    int streams;
    double level_b;  // patch b's throughput on ohm, MB/s
};
constexpr ProfileStep k_profile[] = {
    {"rx-4M", "rx", 4, 1, 1.40},
    {"rx-max", "rx", 0, 1, 1.42},
    {"rx-max-p4", "rx", 0, 4, 1.46},
    {"tx-4M", "tx", 4, 1, 1.10},
};
constexpr int k_step_seconds = 30;
constexpr int k_omit = 2;
constexpr double k_stress_seconds = 4.0 * k_step_seconds;
constexpr const char* k_kernel = "6.1.0-27-arm64";
constexpr const char* k_rig = "ohm";

// std::normal_distribution is implementation-defined; mt19937 is not, so the
// fixture draws its own Gaussian (Box-Muller) and stays identical everywhere.
class Rng {
public:
    explicit Rng(std::uint32_t seed) : gen_(seed) {}
    double uniform() { return (static_cast<double>(gen_()) + 0.5) / 4294967296.0; }
    double gauss() {
        const double u1 = uniform(), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
    }

private:
    std::mt19937 gen_;
};

double round_to(double v, double unit) { return std::round(v / unit) * unit; }

struct BuildSpec {
    std::string patch, srcversion;
};

std::string build_sha(const std::string& patch) { return sha256_hex("bes2600.ko built from patch " + patch); }

void add_build(Db& db, const BuildSpec& b, double built_at) {
    Stmt(db,
         "INSERT OR IGNORE INTO builds (patch, sha256, size, path, vermagic, srcversion, version, kernel_release, "
         "source_rev, built_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        .bind(1, b.patch)
        .bind(2, build_sha(b.patch))
        .bind(3, std::int64_t{912384})
        .bind(4, "bundle/" + build_sha(b.patch).substr(0, 16) + "/bes2600.ko")
        .bind(5, std::string(k_kernel) + " SMP mod_unload modversions aarch64")
        .bind(6, b.srcversion)
        .bind(7, "1.0-" + b.patch)
        .bind(8, k_kernel)
        .bind(9, "bes2600-dkms@993117a1")
        .bind(10, built_at)
        .exec();
}

const std::map<std::string, std::string>& srcversions() {
    static const std::map<std::string, std::string> m = {
        {"b", "1B3B3ED0C5A8E1F2D3C4B5A"},
        {"c", "84239431F0E1D2C3B4A5968"},
        {"c-prep", "5E0A77C2D91B4F3A6C8E210"},
        {"c-v2", "C0FFEE42A1B2C3D4E5F6071"},
    };
    return m;
}

std::string srcversion_of(const std::string& patch) {
    const auto it = srcversions().find(patch);
    if (it != srcversions().end()) return it->second;
    std::string s = sha256_hex("srcversion " + patch).substr(0, 23);
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

// Writes the tables of one run; statements are prepared once per writer.
class RunWriter {
public:
    RunWriter(Store& store, Rng& rng, bool samples)
        : store_(store),
          db_(store.db()),
          rng_(rng),
          samples_(samples),
          rep_(db_,
               "INSERT INTO reps (run_id, idx, patch, uptime_start_s, started_at, finished_at, status, "
               "counters_before, counters_after, identity_before, identity_after) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
          step_(db_,
                "INSERT INTO steps (rep_id, idx, name, direction, rate_mbytes, streams, seconds, omit, started_at, "
                "finished_at, status, mean_mbytes, iperf3_version_client, iperf3_version_server, error) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'iperf 3.12', 'iperf 3.12', ?13)"),
          sample_(db_, "INSERT INTO samples (step_id, t, mbytes_per_s, omitted) VALUES (?1, ?2, ?3, ?4)"),
          dispatch_(db_, "INSERT INTO dispatch_counts (rep_id, t, function, count) VALUES (?1, ?2, ?3, ?4)") {}

    std::int64_t begin(const NewRun& nr, const std::string& patch) {
        run_ = store_.begin_run(nr);
        store_.set_run_build(run_, build_sha(patch));
        store_.set_run_kernel(run_, k_kernel);
        return run_;
    }

    // One rep at fresh-chip uptime; `wedge_at` (seconds since stress start)
    // ends it the way Patch C did. Returns the per-step means.
    std::map<std::string, double> add_rep(int idx, const std::string& patch, double factor, double started_at,
                                          double uptime, std::optional<double> wedge_at = std::nullopt) {
        const auto sv = srcversion_of(patch);
        const bool wedged = wedge_at.has_value();
        const double stress_end = wedged ? *wedge_at + 5 : k_stress_seconds;
        rep_.bind(1, run_).bind(2, idx).bind(3, patch).bind(4, uptime).bind(5, started_at);
        rep_.bind(6, started_at + stress_end + 2).bind(7, wedged ? "failed" : "ok");
        rep_.bind(8, R"J({"/sys/kernel/debug/bes2600/hw_bufs_used":"0","/sys/class/net/wlan0/statistics/rx_errors":"0"})J");
        rep_.bind(9, wedged ? R"J({"/sys/kernel/debug/bes2600/hw_bufs_used":"not readable (timeout after 5 s)"})J"
                            : R"J({"/sys/kernel/debug/bes2600/hw_bufs_used":"0","/sys/class/net/wlan0/statistics/rx_errors":"0"})J");
        rep_.bind(10, sv).bind(11, wedged ? std::string() : sv);
        rep_.exec();
        const auto rep_id = db_.last_insert_id();
        std::map<std::string, double> means;
        int step_idx = 0;
        for (const auto& ps : k_profile) {
            const double t0 = step_idx * k_step_seconds;
            if (wedged && t0 > *wedge_at) break;
            means[ps.name] = add_step(rep_id, step_idx, ps, started_at + t0, factor, wedge_at ? *wedge_at - t0 : -1);
            ++step_idx;
        }
        if (samples_) add_dispatch(rep_id, factor, stress_end, wedge_at);
        return means;
    }

    void event(std::optional<int> rep, const std::string& step, std::optional<double> offset, const std::string& cls,
               const std::string& title, const std::string& function, const std::string& module, std::int64_t count,
               const std::string& severity, const std::string& report) {
        Stmt(db_,
             "INSERT INTO kernel_events (run_id, rep_idx, step_name, offset_s, class, title, fingerprint, function, "
             "module, count, severity, report) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
            .bind(1, run_)
            .bind(2, rep)
            .bind(3, step)
            .bind(4, offset)
            .bind(5, cls)
            .bind(6, title)
            .bind(7, sha256_hex(title + "|" + module).substr(0, 16))
            .bind(8, function)
            .bind(9, module)
            .bind(10, count)
            .bind(11, severity)
            .bind(12, report)
            .exec();
    }

    void taint_notice() {
        event(std::nullopt, "", std::nullopt, "NOTICE", "loading out-of-tree module taints kernel", "", "bes2600", 1,
              "info", "bes2600: loading out-of-tree module taints kernel.");
    }

    void receipt(const std::string& item, bool ok, const std::string& detail) {
        Stmt(db_, "INSERT INTO receipts (run_id, item, ok, detail) VALUES (?1, ?2, ?3, ?4)")
            .bind(1, run_)
            .bind(2, item)
            .bind(3, ok ? 1 : 0)
            .bind(4, detail)
            .exec();
    }

    void metric(const std::string& name, const std::string& predicted, std::optional<double> observed,
                std::optional<double> lo, std::optional<double> hi, const std::string& judgement) {
        Stmt(db_,
             "INSERT INTO verdict_metrics (run_id, metric, predicted, observed, lo, hi, judgement) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .bind(1, run_)
            .bind(2, name)
            .bind(3, predicted)
            .bind(4, observed)
            .bind(5, lo)
            .bind(6, hi)
            .bind(7, judgement)
            .exec();
    }

    void artifact(const std::string& name, std::int64_t size, const std::string& status, double seconds,
                  const std::string& error, double at) {
        Stmt(db_,
             "INSERT INTO artifacts (run_id, name, path, sha256, size, status, seconds, error, created_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
            .bind(1, run_)
            .bind(2, name)
            .bind(3, "/var/lib/besrig/artifacts/run-" + std::to_string(run_) + "/" + name)
            .bind(4, status == "ok" ? sha256_hex("artifact " + name) : std::string())
            .bind(5, size)
            .bind(6, status)
            .bind(7, seconds)
            .bind(8, error)
            .bind(9, at)
            .exec();
    }

    // Closes the run and pins its clock times (Store stamps "now").
    void finish(const json& details, const std::string& verdict, const std::string& reason, int exit_code,
                double started_at, double finished_at) {
        store_.set_run_details(run_, details.dump());
        store_.finish_run(run_, verdict, reason, exit_code);
        Stmt(db_, "UPDATE runs SET started_at = ?1, finished_at = ?2, host = 'controller', pid = 4242 WHERE id = ?3")
            .bind(1, started_at)
            .bind(2, finished_at)
            .bind(3, run_)
            .exec();
    }

private:
    double add_step(std::int64_t rep_id, int idx, const ProfileStep& ps, double started_at, double factor,
                    double wedge_at) {
        const bool wedges_here = wedge_at >= 0 && wedge_at < k_step_seconds;
        const int last_t = wedges_here ? static_cast<int>(wedge_at) + 5 : k_step_seconds;
        const double level = ps.level_b * factor;
        double sum = 0;
        int n = 0;
        std::vector<std::pair<double, double>> points;
        for (int t = 0; t < last_t; ++t) {
            double v = level * (1 + 0.025 * rng_.gauss());
            if (t == 0) v *= 0.6;  // TCP slow start: why the first seconds are omitted
            if (wedges_here && t >= static_cast<int>(wedge_at) - 4)
                v = std::max(0.0, level * (1 - (t - (wedge_at - 4)) / 4.0));
            v = round_to(std::max(0.0, v), 0.001);
            points.emplace_back(t, v);
            if (t >= k_omit) {
                sum += v;
                ++n;
            }
        }
        const double mean = round_to(sum / std::max(n, 1), 0.0001);
        step_.bind(1, rep_id).bind(2, idx).bind(3, ps.name).bind(4, ps.direction).bind(5, ps.rate_mbytes);
        step_.bind(6, ps.streams).bind(7, k_step_seconds).bind(8, k_omit).bind(9, started_at);
        step_.bind(10, started_at + last_t).bind(11, wedges_here ? "stalled" : "ok").bind(12, mean);
        step_.bind(13, wedges_here ? "wlan0 data path dead since +" + std::to_string(static_cast<int>(wedge_at + idx * k_step_seconds)) +
                                         " s: iperf3 intervals at 0 MB/s, 5/5 probes lost"
                                   : std::string());
        step_.exec();
        const auto step_id = db_.last_insert_id();
        if (samples_)
            for (const auto& [t, v] : points)
                sample_.bind(1, step_id).bind(2, t).bind(3, v).bind(4, t < k_omit ? 1 : 0).exec();
        return mean;
    }

    void add_dispatch(std::int64_t rep_id, double factor, double stress_end, std::optional<double> wedge_at) {
        for (int t = 0; t < static_cast<int>(stress_end); ++t) {
            const bool rx = t < 3 * k_step_seconds;
            const bool dead = wedge_at && t >= *wedge_at;
            const double jitter = 1 + 0.03 * rng_.gauss();
            const double rx_work = dead ? 0 : (rx ? 640 * factor : 35) * jitter;
            const double tx_work = dead ? 0 : (rx ? 40 : 520 * factor) * jitter;
            const double bh_work = dead ? 3 : (rx ? 1180 : 1010) * factor * jitter;
            for (const auto& [fn, v] : {std::pair<const char*, double>{"bes2600_bh_work", bh_work},
                                        {"sdio_rx_work", rx_work},
                                        {"sdio_tx_work", tx_work}})
                dispatch_.bind(1, rep_id).bind(2, static_cast<double>(t)).bind(3, fn)
                    .bind(4, static_cast<std::int64_t>(std::llround(v)))
                    .exec();
        }
    }

    Store& store_;
    Db& db_;
    Rng& rng_;
    bool samples_;
    std::int64_t run_ = 0;
    Stmt rep_, step_, sample_, dispatch_;
};

// The comparison block of details_json, from the stored step means. The
// fixture is not the statistics engine: intervals use fixed half-widths
// typical of N=3 (per step ±3.8 %, pooled ±1.4 %), which is enough for reports.
json comparison(std::int64_t baseline_run, const std::map<std::string, double>& base,
                const std::map<std::string, double>& patch, const std::string& expect, double margin_pct) {
    json c = {{"baseline_run", baseline_run}, {"expect", expect}, {"margin_pct", margin_pct}, {"confidence", 0.90}};
    c["steps"] = json::array();
    double log_sum = 0;
    int n = 0;
    for (const auto& ps : k_profile) {
        const auto b = base.find(ps.name), p = patch.find(ps.name);
        if (b == base.end() || p == patch.end()) continue;
        const double ratio = p->second / b->second;
        c["steps"].push_back({{"step", ps.name}, {"direction", ps.direction}, {"n_base", 3}, {"n_patch", 3},
                              {"base_mean", round_to(b->second, 0.0001)}, {"patch_mean", round_to(p->second, 0.0001)},
                              {"ratio", round_to(ratio, 0.0001)}, {"lo", round_to(ratio * 0.962, 0.0001)},
                              {"hi", round_to(ratio * 1.038, 0.0001)}});
        log_sum += std::log(ratio);
        ++n;
    }
    const double pooled = std::exp(log_sum / std::max(n, 1));
    c["pooled"] = {{"ratio", round_to(pooled, 0.0001)}, {"lo", round_to(pooled * 0.986, 0.0001)},
                   {"hi", round_to(pooled * 1.014, 0.0001)}, {"df", 8.2}};
    c["reps_needed"] = nullptr;
    c["outliers"] = json::array();
    c["new_fingerprints"] = json::array();
    return c;
}

std::map<std::string, double> mean_of(const std::vector<std::map<std::string, double>>& reps) {
    std::map<std::string, double> sum;
    std::map<std::string, int> n;
    for (const auto& r : reps)
        for (const auto& [k, v] : r) {
            sum[k] += v;
            ++n[k];
        }
    for (auto& [k, v] : sum) v /= n[k];
    return sum;
}

std::string pct_text(double ratio) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.1f %%", (ratio - 1) * 100);
    return buf;
}

NewRun new_run(const std::string& kind, const std::string& patch, std::optional<std::int64_t> baseline,
               const std::string& command) {
    NewRun nr;
    nr.kind = kind;
    nr.patch = patch;
    nr.rig = k_rig;
    nr.kernel_release = k_kernel;
    nr.profile = "ramp";
    nr.command = command;
    nr.is_baseline = kind == "baseline";
    nr.baseline_run = baseline;
    return nr;
}

constexpr double k_rep_period = k_stress_seconds + 75;  // stress + reload + settle

void standard_receipts(RunWriter& w, const std::string& patch, bool prediction) {
    const auto sv = srcversion_of(patch);
    w.receipt("3 repetitions at fresh-chip uptime", true, "uptime at start 185 s, 380 s, 575 s (window 780 s)");
    w.receipt("same boot, instrumentation and access point as the baseline", true,
              "boot 3f2c…, ftrace sdio_rx_work/sdio_tx_work/bes2600_bh_work, SSID rig-5g, BSSID 02:11:22:33:44:55, ch 36");
    w.receipt("running module identity proven before and after", true, "srcversion " + sv + " before and after each rep");
    if (prediction) w.receipt("predicted delta verified", true, "see predicted | observed");
    w.receipt("no WARN/BUG/oops under stress", true, "0 splats in 3 × 120 s");
    w.receipt("only signatures the baseline also shows", true, "no new fingerprints");
}

}  // namespace

double utc_time(int year, int month, int day, int hour, int minute, int second) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return static_cast<double>(::timegm(&tm));
}

StoryRuns add_story(Store& store) {
    Rng rng(20260507);
    Db& db = store.db();
    Transaction tx(db);
    StoryRuns ids;
    const double day = utc_time(2026, 5, 6, 0, 0);
    for (const auto& [patch, sv] : srcversions()) add_build(db, {patch, sv}, day);
    RunWriter w(store, rng, true);
    const double uptimes[] = {185, 380, 575};

    // Phase 3: the rollback build under the stress profile.
    double t0 = utc_time(2026, 5, 6, 17, 2);
    ids.baseline = w.begin(new_run("baseline", "b", std::nullopt, "besrig baseline"), "b");
    std::vector<std::map<std::string, double>> base_reps;
    for (int i = 0; i < 3; ++i) base_reps.push_back(w.add_rep(i + 1, "b", 1.0, t0 + 20 + i * k_rep_period, uptimes[i]));
    w.taint_notice();
    standard_receipts(w, "b", false);
    w.finish(json{{"rollback", {{"done", false}, {"detail", "not needed: the baseline is the rollback build"}}}}, "PASS",
             "3 of 3 reps clean; marked as the baseline for ohm, 6.1.0-27-arm64, ramp", 0, t0, t0 + 20 + 3 * k_rep_period);
    const auto base = mean_of(base_reps);

    // The failed Patch C: WARN storm at +13 s, wedge at +17 s, forensics, rollback.
    t0 = utc_time(2026, 5, 6, 20, 18, 10);
    ids.c = w.begin(new_run("phase7", "c", ids.baseline, "besrig run phase7 --patch c"), "c");
    w.add_rep(1, "c", 1.0, t0 + 20, 188, 17.0);
    w.taint_notice();
    const std::string storm_report =
        "WARNING: CPU: 2 PID: 1187 at drivers/net/wireless/bes2600/wsm.c:1342 wsm_release_tx_buffer+0x9c/0xb0 [bes2600]\n"
        "Call trace:\n wsm_release_tx_buffer+0x9c/0xb0 [bes2600]\n bes2600_bh_handle_rx_skb+0x1e4/0x3a0 [bes2600]\n"
        " sdio_rx_work+0x88/0x140 [bes2600]\n process_one_work+0x1f4/0x490";
    w.event(1, "rx-4M", 13.2, "WARNING", "WARNING in wsm_release_tx_buffer", "wsm_release_tx_buffer", "bes2600", 212,
            "fail", storm_report);
    w.event(1, "rx-4M", 13.2, "STORM", "WARNING in wsm_release_tx_buffer", "wsm_release_tx_buffer", "bes2600", 212,
            "fail", "212 splats in 3.8 s (storm threshold: 5 within 10 s)");
    w.receipt("3 repetitions at fresh-chip uptime", false, "1 of 3 ran: rep 1 (uptime 188 s) wedged at +17 s");
    w.receipt("same boot, instrumentation and access point as the baseline", true,
              "boot 3f2c…, ftrace sdio_rx_work/sdio_tx_work/bes2600_bh_work, SSID rig-5g, BSSID 02:11:22:33:44:55, ch 36");
    w.receipt("running module identity proven before and after", false,
              "before: 84239431F0E1D2C3B4A5968; after: not proven (chip wedged)");
    w.receipt("predicted delta verified", false, "not measured: no complete repetition");
    w.receipt("no WARN/BUG/oops under stress", false, "212 × WARNING in wsm_release_tx_buffer from +13.2 s");
    w.receipt("only signatures the baseline also shows", false, "new: WARNING in wsm_release_tx_buffer [bes2600]");
    w.metric("throughput, pooled over steps", "+5..+15 %", std::nullopt, std::nullopt, std::nullopt, "INCONCLUSIVE");
    w.metric("splats under stress", "0", 212, std::nullopt, std::nullopt, "REFUTED");
    const double fx = t0 + 20 + 25;
    const struct {
        const char* name;
        std::int64_t size;
        const char* status;
        double seconds;
        const char* error;
    } items[] = {
        {"dmesg.txt", 48213, "ok", 0.4, ""},
        {"ftrace.txt", 3145728, "ok", 2.9, ""},
        {"journalctl-k-b0.txt", 61440, "ok", 0.8, ""},
        {"journalctl-k-b-1.txt", 0, "failed", 0.3, "no persistent journal (/var/log/journal is absent)"},
        {"interrupts-1.txt", 2048, "ok", 0.1, ""},
        {"interrupts-2.txt", 2051, "ok", 1.1, ""},
        {"lsmod.txt", 3100, "ok", 0.1, ""},
        {"srcversion.txt", 24, "ok", 0.1, ""},
        {"taint.txt", 6, "ok", 0.1, ""},
        {"module-sha256.txt", 98, "ok", 0.2, ""},
        {"ip-s-link.txt", 1900, "ok", 0.1, ""},
        {"uptime.txt", 40, "ok", 0.1, ""},
        {"bes2600.patchC-broken.ko", 912384, "ok", 0.6, ""},
    };
    for (const auto& it : items) w.artifact(it.name, it.size, it.status, it.seconds, it.error, fx);
    json c_details = {
        {"comparison", {{"baseline_run", ids.baseline}, {"new_fingerprints", {sha256_hex("WARNING in wsm_release_tx_buffer|bes2600").substr(0, 16)}}}},
        {"storm", {{"offset_s", 13.2}, {"count", 212}, {"title", "WARNING in wsm_release_tx_buffer"}}},
        {"wedge",
         {{"offset_s", 17.0},
          {"kind", "WEDGED"},
          {"detail", "wlan0: iperf3 intervals at 0 MB/s and 5/5 probes lost; enu1 (192.168.88.80) answers"}}},
        {"rollback",
         {{"done", true},
          {"srcversion", "1B3B3ED0C5A8E1F2D3C4B5A"},
          {"detail", "reloaded patch b; running srcversion proven; broken module kept at /var/tmp/bes2600.patchC-broken.ko"}}},
    };
    w.finish(c_details, "WEDGED",
             "WARN storm at +13 s (212 × WARNING in wsm_release_tx_buffer), wlan0 dead at +17 s while enu1 answered", 1,
             t0, t0 + 20 + 120);

    // C-prep: the no-functional-change refactor; must show zero delta.
    t0 = utc_time(2026, 5, 8, 9, 40);
    ids.c_prep = w.begin(new_run("phase7", "c-prep", ids.baseline,
                                 "besrig run phase7 --patch c-prep --expect no-delta"), "c-prep");
    std::vector<std::map<std::string, double>> prep_reps;
    for (int i = 0; i < 3; ++i)
        prep_reps.push_back(w.add_rep(i + 1, "c-prep", 0.996, t0 + 20 + i * k_rep_period, uptimes[i]));
    w.taint_notice();
    standard_receipts(w, "c-prep", true);
    auto prep_cmp = comparison(ids.baseline, base, mean_of(prep_reps), "no-delta", 3.0);
    const double pr = prep_cmp["pooled"]["ratio"], plo = prep_cmp["pooled"]["lo"], phi = prep_cmp["pooled"]["hi"];
    prep_cmp["decision"] = "EQUIVALENT";
    char why[160];
    std::snprintf(why, sizeof why, "the whole 90 %% interval %.3f..%.3f lies inside ±3 %%", plo, phi);
    prep_cmp["reasons"] = {why, "no single step proves ±3 % at N=3 (step intervals ±3.8 %); the pooled effect does"};
    w.metric("throughput, pooled over steps", "0 % ± 3 %", (pr - 1) * 100, (plo - 1) * 100, (phi - 1) * 100, "CONFIRMED");
    const auto& s0 = prep_cmp["steps"][0];
    w.metric("throughput rx-4M", "0 % ± 3 %", (s0["ratio"].get<double>() - 1) * 100, (s0["lo"].get<double>() - 1) * 100,
             (s0["hi"].get<double>() - 1) * 100, "INCONCLUSIVE");
    w.metric("splats under stress", "0", 0, std::nullopt, std::nullopt, "CONFIRMED");
    w.finish({{"comparison", prep_cmp}, {"rollback", {{"done", true}, {"srcversion", "1B3B3ED0C5A8E1F2D3C4B5A"},
                                                       {"detail", "reloaded patch b after the run"}}}},
             "EQUIVALENT", "pooled delta " + pct_text(pr) + " (90 % interval inside ±3 %)", 0, t0,
             t0 + 20 + 3 * k_rep_period);

    // C v2: direct-deliver on top of C-prep.
    t0 = utc_time(2026, 5, 9, 10, 5);
    ids.c_v2 = w.begin(new_run("phase7", "c-v2", ids.baseline, "besrig run phase7 --patch c-v2"), "c-v2");
    std::vector<std::map<std::string, double>> v2_reps;
    for (int i = 0; i < 3; ++i) v2_reps.push_back(w.add_rep(i + 1, "c-v2", 1.70, t0 + 20 + i * k_rep_period, uptimes[i]));
    w.taint_notice();
    standard_receipts(w, "c-v2", true);
    auto v2_cmp = comparison(ids.baseline, base, mean_of(v2_reps), "change", 3.0);
    const double vr = v2_cmp["pooled"]["ratio"], vlo = v2_cmp["pooled"]["lo"], vhi = v2_cmp["pooled"]["hi"];
    v2_cmp["decision"] = "IMPROVED";
    v2_cmp["reasons"] = {"the 90 % interval excludes zero and the ±3 % noise band"};
    w.metric("throughput, pooled over steps", "+50..+90 %", (vr - 1) * 100, (vlo - 1) * 100, (vhi - 1) * 100, "CONFIRMED");
    w.metric("splats under stress", "0", 0, std::nullopt, std::nullopt, "CONFIRMED");
    w.finish({{"comparison", v2_cmp}, {"rollback", {{"done", true}, {"srcversion", "1B3B3ED0C5A8E1F2D3C4B5A"},
                                                     {"detail", "reloaded patch b after the run"}}}},
             "IMPROVED", "pooled delta " + pct_text(vr) + " (90 % interval excludes the ±3 % band)", 0, t0,
             t0 + 20 + 3 * k_rep_period);
    tx.commit();
    return ids;
}

std::vector<std::int64_t> add_nightly(Store& store, std::int64_t baseline_run, const NightlyOptions& o) {
    Db& db = store.db();
    std::map<std::string, double> base;
    {
        Stmt s(db,
               "SELECT s.name, AVG(s.mean_mbytes) FROM steps s JOIN reps r ON s.rep_id = r.id WHERE r.run_id = ?1 "
               "GROUP BY s.name");
        s.bind(1, baseline_run);
        while (s.step()) base[s.get_text(0)] = s.get_double(1);
    }
    Rng rng(o.seed);
    Transaction tx(db);
    for (const auto& p : o.patches) add_build(db, {p, srcversion_of(p)}, o.first_night_at - 86400);
    RunWriter w(store, rng, o.samples);
    std::vector<std::int64_t> ids;
    const double uptimes[] = {185, 380, 575};
    for (int night = 0; night < o.nights; ++night) {
        const bool last = night == o.nights - 1;
        for (std::size_t j = 0; j < o.patches.size(); ++j) {
            const auto& patch = o.patches[j];
            double factor = patch == "c-v2" ? 1.70 : patch == "c-prep" ? 0.997 : 1.0 + 0.01 * static_cast<double>(j % 5);
            if (o.twists && last && patch == "c-v2") factor = 1.52;
            factor *= 1 + 0.004 * rng.gauss();  // night-to-night drift of the air
            const double t0 = o.first_night_at + night * 86400.0 + static_cast<double>(j) * 1200;
            const auto id = w.begin(new_run("phase7", patch, baseline_run, "besrig nightly --config nightly.json"), patch);
            std::vector<std::map<std::string, double>> reps;
            for (int i = 0; i < 3; ++i) reps.push_back(w.add_rep(i + 1, patch, factor, t0 + 20 + i * k_rep_period, uptimes[i]));
            auto cmp = comparison(baseline_run, base, mean_of(reps), patch == "c-prep" ? "no-delta" : "change", 3.0);
            const double r = cmp["pooled"]["ratio"], lo = cmp["pooled"]["lo"], hi = cmp["pooled"]["hi"];
            std::string verdict = lo >= 0.97 && hi <= 1.03 ? "EQUIVALENT" : lo > 1.03 ? "IMPROVED" : hi < 0.97 ? "REGRESSED" : "INCONCLUSIVE";
            std::string reason = "pooled delta " + pct_text(r);
            if (o.twists && patch == "c-prep" && night == o.nights - 3) {
                w.event(2, "rx-max-p4", 71.4, "WARNING", "WARNING in wsm_handle_rx", "wsm_handle_rx", "bes2600", 1, "fail",
                        "WARNING: CPU: 1 PID: 1190 at drivers/net/wireless/bes2600/wsm.c:1618 wsm_handle_rx+0x2d0/0x5c8 [bes2600]");
                cmp["new_fingerprints"] = {sha256_hex("WARNING in wsm_handle_rx|bes2600").substr(0, 16)};
                verdict = "FAIL";
                reason = "new kernel-log signature: WARNING in wsm_handle_rx [bes2600] at +71 s in rep 2";
            }
            cmp["decision"] = verdict;
            const int code = verdict == "FAIL" || verdict == "REGRESSED" ? 1 : 0;
            w.finish({{"comparison", cmp}}, verdict, reason, code, t0, t0 + 20 + 3 * k_rep_period);
            ids.push_back(id);
        }
    }
    tx.commit();
    return ids;
}

}  // namespace besrig::fixture
