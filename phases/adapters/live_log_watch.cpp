#include "phases/adapters/live_log_watch.hpp"

#include <chrono>
#include <optional>
#include <vector>

#include "phases/adapters/real_board.hpp"
#include "reports/store/store.hpp"
#include "rig/kmsg/classifier.hpp"
#include "rig/kmsg/storm_detector.hpp"
#include "rig/netconsole/listener.hpp"
#include "util/strings.hpp"
#include "util/terminal.hpp"

namespace besrig::phases {
namespace {

double steady_now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct PendingRecord {
    std::optional<std::uint64_t> seq;
    std::optional<double> time_s;
    int level;
    double received;
    std::string text;
    const char* channel = "kmsg";
};

// netconsole records the SSH stream may never deliver are kept this long.
constexpr std::size_t k_max_netconsole_tail = 20000;

}  // namespace

// Everything the follower thread owns: its store connection, reader,
// classifier and storm detector. Only status/position cross threads, under
// the watch's mutex.
struct LiveLogWatch::Follower : kmsg::RecordSink {
    LiveLogWatch& w;
    Store store;
    kmsg::KernelLogClassifier classifier;
    kmsg::StormDetector storm;
    std::vector<PendingRecord> pending;
    double last_flush = steady_now();
    double last_record = steady_now();
    bool armed = false;
    std::optional<std::uint64_t> last_seq;
    std::optional<double> anchor;  // kernel time of the current stress-start marker
    std::string anchor_marker;
    std::string boot_id;
    double last_kmsg_wall = 0;  // unix time of the last record the SSH stream delivered

    // The second channel (kernel_log.netconsole): its own reader; records are
    // stored as they come, and those the SSH stream never delivered (a panic,
    // a dead management link) are classified when the follower stops.
    struct NetconsoleSink : kmsg::RecordSink {
        Follower& f;
        explicit NetconsoleSink(Follower& follower) : f(follower) {}
        void on_record(const kmsg::LogRecord& r) override { f.on_netconsole(r); }
        void on_gap(const kmsg::SequenceGap&) override {}  // UDP: gaps are the channel's nature, the SSH side counts loss
    };
    std::unique_ptr<netconsole::Listener> nc;
    NetconsoleSink nc_sink{*this};
    kmsg::RecordReader nc_reader{nc_sink};
    std::vector<std::pair<kmsg::LogRecord, double>> nc_tail;  // record, unix time received

    Follower(LiveLogWatch& watch, kmsg::ClassifierOptions opts)
        : w(watch), store(watch.store_path_), classifier(std::move(opts)),
          storm(watch.config_.kernel_log.storm_count, watch.config_.kernel_log.storm_window_s) {}

    void on_record(const kmsg::LogRecord& r) override {
        last_record = steady_now();
        if (r.seq && last_seq && *r.seq <= *last_seq) return;  // replay after a reconnect
        if (r.seq) last_seq = r.seq;
        if (!armed) {
            if (r.text.find(w.start_marker_) != std::string::npos) {
                armed = true;
                std::lock_guard<std::mutex> lock(w.mutex_);
                ++w.status_.records;  // the marker itself: the follower is live
            }
            return;
        }
        last_kmsg_wall = unix_now();
        pending.push_back({r.seq, r.time_s, r.level, last_kmsg_wall, r.text});
        std::string marker;
        {
            std::lock_guard<std::mutex> lock(w.mutex_);
            ++w.status_.records;
            marker = w.marker_;
            if (r.text.find("link break between lmac and host") != std::string::npos) w.status_.link_break = true;
        }
        if (!marker.empty() && marker != anchor_marker && r.text.find(marker) != std::string::npos) {
            anchor_marker = marker;
            anchor = r.time_s;
            if (anchor) storm.set_stress_start(*anchor);
        }
        std::vector<kmsg::KernelReport> reports;
        classifier.feed(r, reports);
        for (auto& rep : reports) on_report(rep);
    }

    void on_netconsole(const kmsg::LogRecord& r) {
        const double now = unix_now();
        pending.push_back({r.seq, r.time_s, r.level, now, r.text, "netconsole"});
        {
            std::lock_guard<std::mutex> lock(w.mutex_);
            ++w.status_.netconsole_records;
        }
        const bool maybe_unseen = r.seq ? (!last_seq || *r.seq > *last_seq) : now > last_kmsg_wall;
        if (maybe_unseen && nc_tail.size() < k_max_netconsole_tail) nc_tail.emplace_back(r, now);
    }

    // Reads every datagram waiting on the netconsole socket.
    void drain_netconsole() {
        if (!nc) return;
        for (auto& d : nc->drain()) {
            if (d.data.empty()) continue;
            if (d.data.back() != '\n') d.data.push_back('\n');
            nc_reader.feed(d.data);
        }
    }

    // At the end: what only netconsole saw goes through the classifier, after
    // everything the SSH stream delivered.
    void classify_netconsole_tail() {
        std::vector<kmsg::KernelReport> reports;
        classifier.flush(reports);
        for (auto& rep : reports) on_report(rep);
        std::size_t n = 0;
        for (const auto& [r, received] : nc_tail) {
            if (r.seq ? (last_seq && *r.seq <= *last_seq) : received <= last_kmsg_wall) continue;
            ++n;
            classifier.feed(r, reports);
        }
        classifier.flush(reports);
        for (auto& rep : reports) on_report(rep);
        nc_tail.clear();
        if (n > 0) {
            std::lock_guard<std::mutex> lock(w.mutex_);
            w.status_.netconsole_only_records += static_cast<std::int64_t>(n);
        }
    }

    void on_gap(const kmsg::SequenceGap& g) override {
        if (!armed) return;
        {
            std::lock_guard<std::mutex> lock(w.mutex_);
            w.status_.lost_records += static_cast<std::int64_t>(g.count);
        }
        insert_event("GAP", std::string("kernel log ") + kmsg::to_string(g.kind) + ": " + std::to_string(g.count) +
                                " record(s) from seq " + std::to_string(g.first_missing),
                     "", "", "", "info", std::nullopt, static_cast<std::int64_t>(g.count), "");
    }

    void on_report(const kmsg::KernelReport& rep) {
        std::optional<double> offset;
        if (rep.time_s && anchor) offset = *rep.time_s - *anchor;
        insert_event(rep.klass, rep.title, rep.fingerprint, rep.function, rep.module, rep.severity, offset, 1,
                     join(rep.text, "\n"));
        if (!rep.is_splat()) return;
        std::optional<kmsg::StormEvent> ev;
        if (rep.time_s) ev = storm.add(*rep.time_s, rep.title);
        {
            std::lock_guard<std::mutex> lock(w.mutex_);
            ++w.status_.fail_events;
            if (!w.status_.first_fail) {
                w.status_.first_fail = rep.title;
                w.status_.first_fail_offset_s = offset;
            }
            if (ev) {
                w.status_.storm = true;
                w.status_.storm_offset_s = ev->offset_s;
                w.status_.storm_title = ev->title;
            }
            if (storm.in_storm()) w.status_.storm_count = static_cast<int>(storm.storm_splats());
        }
        // Stored once, as its own event, so reports can show "WARN storm at +13 s"
        // (outside the lock: insert_event takes it to read the position).
        if (ev)
            insert_event("STORM", "WARN storm: " + ev->title, "", rep.function, rep.module, "fail", ev->offset_s,
                         static_cast<std::int64_t>(ev->count), "");
    }

    void insert_event(const std::string& klass, const std::string& title, const std::string& fp, const std::string& fn,
                      const std::string& module, const std::string& severity, std::optional<double> offset,
                      std::int64_t count, const std::string& text) {
        int rep;
        std::string step;
        {
            std::lock_guard<std::mutex> lock(w.mutex_);
            rep = w.rep_idx_;
            step = w.step_;
        }
        Stmt(store.db(),
             "INSERT INTO kernel_events (run_id, rep_idx, step_name, offset_s, class, title, fingerprint, function, "
             "module, count, severity, report) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")
            .bind(1, w.run_id_)
            .bind(2, rep)
            .bind(3, step)
            .bind(4, offset)
            .bind(5, klass)
            .bind(6, title)
            .bind(7, fp)
            .bind(8, fn)
            .bind(9, module)
            .bind(10, count)
            .bind(11, severity)
            .bind(12, text)
            .exec();
    }

    void flush_records() {
        last_flush = steady_now();
        if (pending.empty()) return;
        Transaction tx(store.db());
        Stmt s(store.db(),
               "INSERT INTO kmsg (run_id, seq, usec, prio, received_at, text, channel) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        for (const auto& p : pending) {
            s.bind(1, w.run_id_);
            s.bind(2, p.seq ? std::optional<std::int64_t>(static_cast<std::int64_t>(*p.seq)) : std::nullopt);
            s.bind(3, p.time_s ? std::optional<std::int64_t>(static_cast<std::int64_t>(*p.time_s * 1e6)) : std::nullopt);
            s.bind(4, p.level).bind(5, p.received).bind(6, p.text).bind(7, std::string(p.channel));
            s.exec();
        }
        tx.commit();
        pending.clear();
    }

    // Called ~10 times a second while streaming.
    void tick() {
        drain_netconsole();
        const double now = steady_now();
        if (now - last_flush >= 0.5 || pending.size() > 500) flush_records();
        // A report whose end line never came (a lone WARN, then silence): close it.
        if (now - last_record > 1.0 && classifier.open_reports() > 0) {
            std::vector<kmsg::KernelReport> reports;
            classifier.flush(reports);
            for (auto& rep : reports) on_report(rep);
        }
    }
};

LiveLogWatch::LiveLogWatch(const RigConfig& config, ConnectOptions options, std::filesystem::path store_path)
    : config_(config), options_(options), store_path_(std::move(store_path)) {}

LiveLogWatch::~LiveLogWatch() { stop(); }

void LiveLogWatch::start(std::int64_t run_id) {
    run_id_ = run_id;
    start_marker_ = "besrig: run " + std::to_string(run_id) + " log follower start";
    stop_ = false;
    // Connect once here so an unreachable board fails the run before stress.
    (void)connect_or_throw(config_, options_);
    const auto& ncfg = config_.kernel_log.netconsole;
    netconsole_.reset();
    if (ncfg.enabled) netconsole_ = std::make_unique<netconsole::Listener>(ncfg.listen, ncfg.port);
    thread_ = std::thread([this] { loop(); });
    // Wait until the follower has seen its marker (or given up), so the first
    // stress second is already watched.
    for (int i = 0; i < 100; ++i) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (status_.records > 0 || !error_.empty()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_.empty()) throw_infra("kernel log follower: " + error_);
}

void LiveLogWatch::set_position(int rep_idx, const std::string& step, const std::string& marker) {
    std::lock_guard<std::mutex> lock(mutex_);
    rep_idx_ = rep_idx;
    step_ = step;
    marker_ = marker;
}

LogStatus LiveLogWatch::status() {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_;
}

void LiveLogWatch::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void LiveLogWatch::loop() {
    std::unique_ptr<Follower> f;
    try {
        kmsg::ClassifierOptions opts;
        opts.extra_patterns = config_.kernel_log.extra_patterns;
        f = std::make_unique<Follower>(*this, opts);
        f->nc = std::move(netconsole_);
    } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mutex_);
        error_ = e.what();
        status_.follower_alive = false;
        return;
    }
    bool first = true;
    while (!stop_) {
        auto conn = try_connect_board(config_, options_);
        if (!conn) {
            {
                std::lock_guard<std::mutex> lock(mutex_);
                status_.follower_alive = false;
            }
            // The board may be gone (panic, hard hang): netconsole keeps talking.
            if (f->nc && f->nc->wait(1000)) f->drain_netconsole();
            else if (!f->nc) std::this_thread::sleep_for(std::chrono::seconds(1));
            f->tick();
            continue;
        }
        auto& remote = *conn.value();
        auto boot = remote.run({"cat", "/proc/sys/kernel/random/boot_id"}, std::chrono::seconds(10));
        const std::string boot_id = boot ? std::string(trim(boot->out)) : "";
        if (!first && boot_id != f->boot_id) {
            f->last_seq.reset();  // a new boot: its records are new
            f->armed = true;      // no marker will come; keep everything
        }
        f->boot_id = boot_id;
        if (first) (void)remote.run_script("echo \"$1\" > /dev/kmsg", {start_marker_}, std::chrono::seconds(10));
        first = false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            status_.follower_alive = true;
        }
        kmsg::RecordReader reader(*f);
        if (f->last_seq) reader.expect_next_seq(*f->last_seq + 1);
        StreamOptions so;
        so.on_stdout = [&](const std::string& line) { reader.feed(line + "\n"); };
        so.keep_going = [&] {
            f->tick();
            return !stop_.load();
        };
        const auto r = remote.stream({"cat", "/dev/kmsg"}, so);
        reader.finish();
        if (!r && !stop_) {
            std::lock_guard<std::mutex> lock(mutex_);
            status_.follower_alive = false;
        }
        if (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    f->drain_netconsole();
    f->nc_reader.finish();
    f->classify_netconsole_tail();  // also flushes the classifier's open reports
    f->flush_records();
}

}  // namespace besrig::phases
