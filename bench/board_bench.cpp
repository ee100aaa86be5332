#include "bench/board_bench.hpp"

#include <cstdio>
#include <map>
#include <sstream>
#include <thread>

#include "bench/board_session.hpp"
#include "reports/store/sqlite.hpp"
#include "reports/store/store.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/terminal.hpp"

namespace besrig::bench {
namespace {

using std::chrono::seconds;

// Numbers in notes: `decimals` after the point.
std::string num(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

Figure make(const std::string& name, const std::string& label, const std::string& unit, const std::string& op,
            double goal) {
    Figure f;
    f.name = name;
    f.label = label;
    f.unit = unit;
    f.goal_op = op;
    f.goal = goal;
    return f;
}

std::optional<double> query_double(Store& store, const std::string& sql, std::int64_t run) {
    Stmt s(store.db(), sql);
    s.bind(1, run);
    if (s.step() && !s.is_null(0)) return s.get_double(0);
    return std::nullopt;
}

// The stored watchdog decision of `run` (unix time), polled until `timeout_s`.
std::optional<double> wait_decision(BoardSession& b, std::int64_t run, const std::string& kind, MeasuredChild& child,
                                    int timeout_s) {
    for (int i = 0; i < timeout_s * 50; ++i) {
        Stmt s(b.store().db(), "SELECT at FROM run_log WHERE run_id = ?1 AND step = 'watchdog' AND message LIKE ?2");
        s.bind(1, run).bind(2, kind + " decided%");
        if (s.step()) return s.get_double(0);
        if (!child.running()) return std::nullopt;
        sleep_ms(20);
    }
    return std::nullopt;
}

// A child's verdict line for notes: the last non-empty stdout line.
std::string verdict_of(const ChildUsage& u) {
    std::istringstream in(u.out);
    std::string line, last;
    while (std::getline(in, line))
        if (line.rfind("PASS", 0) == 0 || line.rfind("FAIL", 0) == 0 || line.rfind("WEDGED", 0) == 0 ||
            line.rfind("HOST_DOWN", 0) == 0 || line.rfind("INFRA", 0) == 0)
            last = line.substr(0, line.find_first_of(" :"));
    return last.empty() ? u.describe() : last + " (" + u.describe() + ")";
}

// (a) + (i): a clean phase7, its stress seconds against its wall time.
void clean_run(BoardSession& b, Figure& overhead, Figure& rss) {
    const auto before = b.newest_run();
    // The protocol's shape (3 repetitions on a fresh chip, receive then
    // transmit), so the per-run and per-repetition costs weigh as they do in
    // a real run; only the step length is the benchmark's (--stress-s).
    auto child = b.start_phase7("protocol", "phase7-clean", {}, {}, 3);
    const auto u = child.finish(seconds(900));
    rss.value = static_cast<double>(u.max_rss_kb) / 1024.0;
    rss.note = "VmHWM of the `besrig run phase7` process (wait4 rusage), " + verdict_of(u);
    const auto run = b.newest_run();
    if (run <= before || !u.ok()) {
        overhead.note = "the clean phase7 did not pass: " + verdict_of(u) + " " + u.err.substr(0, 300);
        return;
    }
    const auto stress = query_double(b.store(),
                                     "SELECT sum(steps.finished_at - steps.started_at) FROM steps JOIN reps ON "
                                     "steps.rep_id = reps.id WHERE reps.run_id = ?1",
                                     run);
    if (!stress) {
        overhead.note = "run " + std::to_string(run) + " stored no step times";
        return;
    }
    overhead.value = *stress / u.wall_s;
    overhead.note = num(*stress, 1) + " s of stress in " + num(u.wall_s, 1) + " s of phase7 (run " +
                    std::to_string(run) + ", 3 reps x 2 steps): fixed cost " + num(u.wall_s - *stress, 1) + " s" +
                    " (connect, deploy, a reload and link-up per rep, counters, verdict)";
    overhead.detail = {{"run", run}, {"stress_s", *stress}, {"wall_s", u.wall_s}, {"cpu_s", u.cpu_s}};
    rss.detail = {{"run", run}, {"max_rss_kb", u.max_rss_kb}};
}

// (f): besrig deploy (upload + verify + install) vs one scp of the same file.
void deploy_vs_scp(BoardSession& b, Figure& f) {
    const auto ko = b.module_file();
    const auto& m = b.config().board.mgmt;
    double ours = 0, whole = 0, scp = 0;
    const int reps = 3;
    for (int i = 0; i < reps; ++i) {
        const auto d = b.besrig({"--json", "deploy", ko.string()}, "deploy", 300);
        if (!d.ok()) {
            f.note = "besrig deploy " + d.describe() + ": " + d.err.substr(0, 300);
            return;
        }
        const auto j = nlohmann::json::parse(d.out, nullptr, false);
        if (!j.is_object() || !j.contains("seconds")) {
            f.note = "besrig --json deploy printed no seconds";
            return;
        }
        const auto& s = j["seconds"];
        ours += s.value("upload", 0.0) + s.value("verify", 0.0) + s.value("install", 0.0);
        whole += d.wall_s;
        const auto c = run_measured({"scp", "-q", "-i", expand_home(m.identity_file).string(), "-o",
                                     "UserKnownHostsFile=" + expand_home(m.known_hosts).string(), "-o",
                                     "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-P", std::to_string(m.port),
                                     ko.string(), m.user + "@" + m.host + ":/var/tmp/besrig-bench-scp.ko"},
                                    b.dir(), "scp", seconds(300));
        if (!c.ok()) {
            f.note = "scp " + c.describe() + ": " + c.err.substr(0, 300);
            return;
        }
        scp += c.wall_s;
    }
    f.value = ours / scp;
    f.note = num(static_cast<double>(std::filesystem::file_size(ko)) / 1024.0, 0) + " KB module, 3 reps: besrig " +
             num(ours / reps, 2) + " s, scp " + num(scp / reps, 2) + " s each; whole `besrig deploy` command / scp = " +
             num(whole / scp, 2);
    f.detail = {{"file", ko.string()}, {"bytes", std::filesystem::file_size(ko)}, {"reps", reps},
                {"besrig_s", ours / reps}, {"besrig_command_s", whole / reps}, {"scp_s", scp / reps}};
}

// (b): a WARN-shaped record written into /dev/kmsg mid-stress, until stored.
void splat_latency(BoardSession& b, Figure& f) {
    const auto before = b.newest_run();
    auto child = b.start_phase7("bench", "phase7-splat");
    const auto run = b.wait_new_run(before, child, 300);
    if (!run || !b.wait_samples(*run, 3, child, 300)) {
        f.note = "stress never started: " + child.finish(seconds(600)).err.substr(0, 300);
        return;
    }
    auto& remote = b.remote();
    const std::string fn = "besrig_bench_splat";
    const double t0 = unix_now();
    const auto w = remote.run_script(
        "printf '<4>WARNING: CPU: 0 PID: 1 at drivers/net/wireless/bes2600/bench.c:1 %s+0x0/0x10 [bes2600]\\n' \"$1\" "
        "> /dev/kmsg && printf '<4>---[ end trace 0000000000000000 ]---\\n' > /dev/kmsg",
        {fn}, seconds(20));
    const double t_exec = unix_now();
    if (!w || w->exit_status != 0) {
        f.note = "could not write to the board's /dev/kmsg";
        child.finish(seconds(600));
        return;
    }
    std::optional<double> t1;
    for (int i = 0; i < 3000 && !t1; ++i) {
        Stmt s(b.store().db(), "SELECT count(*) FROM kernel_events WHERE run_id = ?1 AND title LIKE ?2");
        s.bind(1, *run).bind(2, "%" + fn + "%");
        if (s.step() && s.get_int(0) > 0) t1 = unix_now();
        else sleep_ms(10);
    }
    const auto u = child.finish(seconds(600));
    if (!t1) {
        f.note = "the splat was not stored within 30 s; run " + verdict_of(u);
        return;
    }
    f.value = *t1 - t0;
    f.note = "upper bound: one SSH exec on an open session (" + num(t_exec - t0, 3) + " s" +
             ") + follower + classifier + SQLite insert + 10 ms poll; run " + verdict_of(u);
    f.detail = {{"run", *run}, {"ssh_exec_s", t_exec - t0}, {"latency_s", *t1 - t0}};
}

// (c) + (e): data link cut mid-stress until the WEDGED decision, then
// `besrig forensics` while it is still cut.
void wedge(BoardSession& b, Figure& wf, Figure& ff) {
    const auto before = b.newest_run();
    auto child = b.start_phase7("bench", "phase7-wedge");
    const auto run = b.wait_new_run(before, child, 300);
    if (!run || !b.wait_samples(*run, 3, child, 300)) {
        wf.note = ff.note = "stress never started: " + child.finish(seconds(600)).err.substr(0, 300);
        return;
    }
    const double t_cut = unix_now();
    const auto cut = b.besrig({"sim", "link", "data", "down"}, "link-data-down", 60);
    const double t_cut_done = unix_now();
    if (!cut.ok()) {
        wf.note = ff.note = "`besrig sim link data down` " + cut.describe();
        child.finish(seconds(600));
        return;
    }
    const auto decided = wait_decision(b, *run, "WEDGED", child, 120);
    const auto u = child.finish(seconds(900));
    if (decided) {
        wf.value = *decided - t_cut;
        wf.note = "from issuing the cut (QMP set_link, " + num(t_cut_done - t_cut, 2) + " s" +
                  ") to the stored decision; timeouts.wedge_s = " + num(b.config().timeouts.wedge_s, 0) + " s" +
                  " of silence is part of it; run " + verdict_of(u);
        wf.detail = {{"run", *run}, {"cut_at", t_cut}, {"cut_returned_at", t_cut_done}, {"decided_at", *decided}};
    } else {
        wf.note = "no WEDGED decision stored; run " + verdict_of(u);
    }
    const auto fx = b.besrig({"forensics", "--run", std::to_string(*run)}, "forensics", 600);
    std::int64_t items = 0;
    {
        Stmt s(b.store().db(), "SELECT count(*) FROM artifacts WHERE run_id = ?1 AND status = 'ok'");
        s.bind(1, *run);
        if (s.step()) items = s.get_int(0);
    }
    ff.value = fx.wall_s;
    ff.note = "`besrig forensics` with wphy0 still cut: " + fx.describe() + ", " + std::to_string(items) +
              " ok artifact rows for the run (the automatic capture included)";
    ff.detail = {{"run", *run}, {"wall_s", fx.wall_s}, {"exit", fx.exit_code}, {"ok_artifacts", items}};
    const auto up = b.besrig({"sim", "link", "data", "up"}, "link-data-up", 60);
    if (!up.ok()) throw_infra("bench: could not restore the data link: " + up.err);
}

struct FloodStage {
    int target = 0;  // records/s asked for; 0 = as fast as the board writes
    double achieved = 0;
    std::int64_t written = 0;
};

// (h): flood /dev/kmsg at rising rates while the follower runs.
void kmsg_flood(BoardSession& b, Figure& f) {
    const auto before = b.newest_run();
    // A long wedge window: a board busy writing records may starve iperf3 for a while.
    auto child = b.start_phase7("flood", "phase7-flood", {"--set", "timeouts.wedge_s=60"});
    const auto run = b.wait_new_run(before, child, 300);
    if (!run || !b.wait_samples(*run, 3, child, 300)) {
        f.note = "stress never started: " + child.finish(seconds(600)).err.substr(0, 300);
        return;
    }
    // Level 6 keeps the records off a quiet console; printk_devkmsg=on lifts
    // the per-writer ratelimit, so every write is one record.
    const std::string script =
        "rate=$1; dur=$2; tag=$3\n"
        "echo on > /proc/sys/kernel/printk_devkmsg 2>/dev/null\n"
        "exec 3>/dev/kmsg\n"
        "batch=$((rate / 20)); [ \"$rate\" -eq 0 ] && batch=200\n"
        "start=$(date +%s%N); end=$((start + dur * 1000000000)); n=0\n"
        "while :; do\n"
        "  i=0\n"
        "  while [ $i -lt $batch ]; do echo \"<6>besrig-bench flood $tag $n\" >&3; n=$((n + 1)); i=$((i + 1)); done\n"
        "  now=$(date +%s%N); [ $now -ge $end ] && break\n"
        "  [ \"$rate\" -gt 0 ] && sleep 0.05\n"
        "done\n"
        "echo \"$n $start $now $(cat /proc/sys/kernel/printk_devkmsg)\"\n";
    auto gaps = [&](std::int64_t& lost) {
        Stmt s(b.store().db(), "SELECT count(*), coalesce(sum(count), 0) FROM kernel_events WHERE run_id = ?1 AND class = 'GAP'");
        s.bind(1, *run);
        s.step();
        lost = s.get_int(1);
        return s.get_int(0);
    };
    auto stored = [&]() {
        Stmt s(b.store().db(), "SELECT count(*) FROM kmsg WHERE run_id = ?1 AND text LIKE 'besrig-bench flood %'");
        s.bind(1, *run);
        s.step();
        return s.get_int(0);
    };
    std::vector<FloodStage> stages;
    std::optional<double> kept_up, first_gap;
    std::int64_t written = 0, lost = 0;
    std::string devkmsg;
    for (int target : {250, 500, 1000, 2000, 4000, 8000, 0}) {
        if (!child.running()) break;
        const auto r = b.remote().run_script(script, {std::to_string(target), "5", "r" + std::to_string(target)},
                                             seconds(60));
        if (!r || r->exit_status != 0) {
            f.note = "flood writer failed on the board" + (r ? ": " + r->err.substr(0, 200) : std::string());
            break;
        }
        FloodStage st;
        st.target = target;
        long long n = 0, t0 = 0, t1 = 0;
        char mode[16] = {0};
        if (std::sscanf(r->out.c_str(), "%lld %lld %lld %15s", &n, &t0, &t1, mode) < 3 || t1 <= t0) break;
        devkmsg = mode;
        st.written = n;
        st.achieved = static_cast<double>(n) / (static_cast<double>(t1 - t0) / 1e9);
        written += n;
        stages.push_back(st);
        // Let the follower drain and commit (it flushes at least every 0.5 s).
        std::int64_t last = -1;
        for (int i = 0; i < 40; ++i) {
            sleep_ms(500);
            const auto now = stored();
            if (now == last) break;
            last = now;
        }
        if (gaps(lost) > 0) {
            first_gap = st.achieved;
            break;
        }
        kept_up = st.achieved;
    }
    const auto u = child.finish(seconds(900));
    const auto kept = stored();
    gaps(lost);
    const std::int64_t silent = written - kept - lost;
    auto stages_json = nlohmann::json::array();
    std::string rates;
    for (const auto& s : stages) {
        stages_json.push_back({{"target", s.target}, {"achieved", s.achieved}, {"written", s.written}});
        rates += (rates.empty() ? "" : ", ") + num(s.achieved, 0);
    }
    f.detail = {{"run", *run}, {"stages", stages_json}, {"written", written}, {"stored", kept}, {"reported_lost", lost},
                {"silently_lost", std::max<std::int64_t>(silent, 0)}, {"printk_devkmsg", devkmsg},
                {"first_gap_rate", first_gap ? nlohmann::json(*first_gap) : nlohmann::json()}};
    if (kept_up) f.value = *kept_up;
    f.note = "rates tried (rec/s): " + rates + "; " +
             (first_gap ? (std::string("first gap at ") + num(*first_gap, 0) + " rec/s") : std::string("no gap at the highest rate")) +
             "; " + std::to_string(written) + " written = " + std::to_string(kept) + " stored + " +
             std::to_string(lost) + " reported lost" +
             (silent > 0 ? ", " + std::to_string(silent) + " SILENTLY LOST" : ", none silently lost") + "; run " +
             verdict_of(u);
}

// (d): management link cut mid-stress until the HOST_DOWN decision; the link
// comes back right after, so the run's power cycle and rollback can finish.
void host_down(BoardSession& b, Figure& f) {
    const auto before = b.newest_run();
    auto child = b.start_phase7("bench", "phase7-hostdown");
    const auto run = b.wait_new_run(before, child, 300);
    if (!run || !b.wait_samples(*run, 3, child, 300)) {
        f.note = "stress never started: " + child.finish(seconds(600)).err.substr(0, 300);
        return;
    }
    const double t_cut = unix_now();
    const auto cut = b.besrig({"sim", "link", "mgmt", "down"}, "link-mgmt-down", 60);
    if (!cut.ok()) {
        f.note = "`besrig sim link mgmt down` " + cut.describe();
        child.finish(seconds(600));
        return;
    }
    const auto decided = wait_decision(b, *run, "HOST_DOWN", child, 300);
    const auto up = b.besrig({"sim", "link", "mgmt", "up"}, "link-mgmt-up", 60);
    const auto u = child.finish(seconds(900));
    if (!up.ok()) throw_infra("bench: could not restore the management link: " + up.err);
    if (!decided) {
        f.note = "no HOST_DOWN decision stored; run " + verdict_of(u);
        return;
    }
    f.value = *decided - t_cut;
    f.note = "from issuing the cut to the stored decision (silence, one data probe, one management probe); "
             "the run then power-cycled and rolled back: " +
             verdict_of(u);
    f.detail = {{"run", *run}, {"cut_at", t_cut}, {"decided_at", *decided}, {"run_wall_s", u.wall_s}};
}

// (k) + (l): one phase7 of b, c-prep and c-v2 each, back to back on the same
// board and profile; the ratio of their mean stored throughput (samples
// after the omitted warm-up). The story's goals: c-v2 about +70 % over b
// (the model's idle-host pace gives 1.75), c-prep no change.
void variants(BoardSession& b, Figure& v2, Figure& prep) {
    b.build("c-prep");
    b.build("c-v2");
    std::map<std::string, double> mbps;
    std::map<std::string, std::int64_t> runs;
    std::string verdicts;
    for (const std::string patch : {"b", "c-prep", "c-v2"}) {
        const auto before = b.newest_run();
        auto child = b.start_phase7("bench", "phase7-" + patch, {}, patch);
        const auto u = child.finish(seconds(900));
        verdicts += (verdicts.empty() ? "" : ", ") + patch + " " + verdict_of(u);
        const auto run = b.newest_run();
        if (run <= before) continue;
        const auto m = query_double(b.store(),
                                    "SELECT avg(samples.mbytes_per_s) FROM samples JOIN steps ON samples.step_id = "
                                    "steps.id JOIN reps ON steps.rep_id = reps.id WHERE reps.run_id = ?1 AND "
                                    "samples.omitted = 0",
                                    run);
        if (m && *m > 0) {
            mbps[patch] = *m;
            runs[patch] = run;
        }
    }
    std::string figures;
    for (const auto& [p, m] : mbps) figures += (figures.empty() ? "" : ", ") + p + " " + num(m, 3) + " MB/s";
    const auto ratio = [&](Figure& f, const std::string& patch) {
        if (!mbps.count("b") || !mbps.count(patch)) {
            f.note = "no throughput stored for " + std::string(mbps.count("b") ? patch : "b") + ": " + verdicts;
            return;
        }
        f.value = mbps[patch] / mbps["b"];
        f.note = figures + " (one " + "phase7 each, back to back: " + verdicts + ")";
        f.detail = {{"mbytes_per_s", mbps}, {"runs", runs}};
    };
    ratio(v2, "c-v2");
    ratio(prep, "c-prep");
}

Figure make_range(const std::string& name, const std::string& label, double lo, double hi) {
    auto f = make(name, label, "x", "in", lo);
    f.goal_hi = hi;
    return f;
}

// Every board figure, unmeasured, with its label and goal.
std::vector<Figure> board_figures() {
    return {make("overhead", "(a) stress time / phase7 wall time", "x", ">=", 0.90),
            make("splat", "(b) splat on the board -> stored event", "s", "<=", 1.0),
            make("wedge", "(c) data path cut -> WEDGED decision", "s", "<=", 5.0),
            make("hostdown", "(d) management cut -> HOST_DOWN decision", "s", "", 0),
            make("forensics", "(e) forensics bundle on a wedged board", "s", "", 0),
            make("deploy", "(f) deploy time / scp time", "x", "<=", 1.5),
            make("kmsg", "(h) kmsg records/s kept up with, no gap", "rec/s", "", 0),
            make("rss", "(i) controller peak RSS in phase7", "MB", "", 0),
            make_range("variants", "(k) wlan0 throughput c-v2 / b", 1.5, 1.9),
            make_range("prep", "(l) wlan0 throughput c-prep / b", 0.97, 1.03)};
}

}  // namespace

const std::vector<std::string>& board_figure_names() {
    static const std::vector<std::string> names{"overhead", "splat", "wedge", "hostdown", "forensics",
                                                "deploy",   "kmsg",  "rss",    "variants", "prep"};
    return names;
}

std::vector<Figure> run_board_figures(const BoardInputs& in, Console& console) {
    auto all = board_figures();
    auto& overhead = all[0];
    auto& splat = all[1];
    auto& wedged = all[2];
    auto& hostdown = all[3];
    auto& forensics = all[4];
    auto& deploy = all[5];
    auto& kmsg = all[6];
    auto& rss = all[7];
    auto& v2 = all[8];
    auto& prep = all[9];
    const auto want = [&](const char* n) { return in.only.empty() || in.only.count(n) > 0; };
    auto step = [&](const char* what, const std::function<void()>& fn, std::vector<Figure*> figs) {
        console.info(std::string("bench: ") + what);
        try {
            fn();
        } catch (const std::exception& e) {
            for (auto* f : figs)
                if (!f->value && f->note.empty()) f->note = std::string("failed: ") + e.what();
        }
    };
    BoardSession board(in, console);
    board.boot();
    if (want("overhead") || want("rss")) step("clean phase7 (a, i)", [&] { clean_run(board, overhead, rss); }, {&overhead, &rss});
    if (want("deploy")) step("deploy vs scp (f)", [&] { deploy_vs_scp(board, deploy); }, {&deploy});
    if (want("variants") || want("prep"))
        step("b, c-prep, c-v2 throughput (k, l)", [&] { variants(board, v2, prep); }, {&v2, &prep});
    if (want("splat")) step("splat latency (b)", [&] { splat_latency(board, splat); }, {&splat});
    if (want("wedge") || want("forensics")) step("data link cut (c, e)", [&] { wedge(board, wedged, forensics); }, {&wedged, &forensics});
    if (want("kmsg")) step("kmsg flood (h)", [&] { kmsg_flood(board, kmsg); }, {&kmsg});
    if (want("hostdown")) step("management link cut (d)", [&] { host_down(board, hostdown); }, {&hostdown});
    std::vector<Figure> out;
    for (const auto& f : all)
        if (want(f.name.c_str())) out.push_back(f);
    return out;
}

std::string board_figure_label(const std::string& name) {
    for (const auto& f : board_figures())
        if (f.name == name) return f.label;
    return name;
}

}  // namespace besrig::bench
