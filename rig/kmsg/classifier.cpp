#include "rig/kmsg/classifier.hpp"

#include "util/sha256.hpp"

namespace besrig::kmsg {
namespace {

constexpr std::size_t k_max_open = 4;

bool has(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

}  // namespace

KernelLogClassifier::KernelLogClassifier(ClassifierOptions options)
    : options_(std::move(options)), patterns_(options_.extra_patterns) {}

void KernelLogClassifier::feed(const LogRecord& rec, std::vector<KernelReport>& out) {
    std::string_view text = rec.message();
    if (rec.source == LogRecord::Source::Text) {
        line(rec, text, out);
        return;
    }
    // A /dev/kmsg record can carry several lines (escaped newlines).
    while (true) {
        const auto nl = text.find('\n');
        line(rec, text.substr(0, nl), out);
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
}

void KernelLogClassifier::flush(std::vector<KernelReport>& out) {
    while (!open_.empty()) close(0, out);
}

void KernelLogClassifier::close_idle(double now_s, std::vector<KernelReport>& out) {
    for (std::size_t i = open_.size(); i-- > 0;) {
        const auto& last = open_[i].last_time_s;
        if (!last || now_s - *last > options_.close_after_s) close(i, out);
    }
}

OpenReport* KernelLogClassifier::report_for(const LogRecord& rec, std::size_t& index) {
    if (open_.empty()) return nullptr;
    if (rec.caller.empty()) {
        index = open_.size() - 1;
        return &open_.back();
    }
    for (std::size_t i = open_.size(); i-- > 0;) {
        if (open_[i].context == rec.caller || open_[i].context.empty()) {
            index = i;
            return &open_[i];
        }
    }
    return nullptr;
}

void KernelLogClassifier::line(const LogRecord& rec, std::string_view msg, std::vector<KernelReport>& out) {
    // Nearly every line: no report is open, so nothing can be closed or
    // continued; a header opens one, else only the one-line signatures remain.
    if (open_.empty()) {
        if (!msg.empty() && header_may_start(msg[0])) {
            if (auto header = match_header(msg)) {
                open(rec, msg, std::move(*header), out);
                return;
            }
        }
        one_line_reports(rec, msg, out);
        return;
    }
    // Silence or a clock going backwards (a reboot) ends open reports.
    // (Only reports this line could belong to: other tasks' reports wait.)
    if (rec.time_s) {
        for (std::size_t i = open_.size(); i-- > 0;) {
            const auto& r = open_[i];
            if (!rec.caller.empty() && !r.context.empty() && r.context != rec.caller) continue;
            if (r.last_time_s && (*rec.time_s - *r.last_time_s > options_.close_after_s || *rec.time_s + 1 < *r.last_time_s))
                close(i, out);
        }
    }
    std::optional<HeaderMatch> header;
    if (!msg.empty() && header_may_start(msg[0])) header = match_header(msg);

    std::size_t index = 0;
    OpenReport* current = open_.empty() ? nullptr : report_for(rec, index);
    // In a timestamped log, a line without a timestamp is another source
    // (boot firmware after a reset, a shell on the console): the report is over.
    if (current && !rec.time_s && current->meta.time_s && rec.caller.empty()) {
        close(index, out);
        current = report_for(rec, index);
    }
    if (header) {
        if (current && is_continuation_header(msg)) {
            if (header->is_panic) current->meta.panicked = true;
            header.reset();  // fall through: appended below
        } else {
            if (current && current->context == rec.caller) close(index, out);
            open(rec, msg, std::move(*header), out);
            return;
        }
    }
    if (current) {
        if (current->lines.size() < options_.max_report_lines) current->lines.emplace_back(msg);
        current->meta.last_line = rec.line_no;
        if (rec.time_s) current->last_time_s = rec.time_s;
        if (has(msg, "---[ end ") || current->lines.size() >= options_.max_report_lines) close(index, out);
    }
    // Driver and config signatures count even in the middle of another report.
    one_line_reports(rec, msg, out);
}

void KernelLogClassifier::one_line_reports(const LogRecord& rec, std::string_view msg, std::vector<KernelReport>& out) {
    if (msg.size() < 3) return;
    if (auto m = patterns_.match(msg); m && !is_benign(msg)) {
        HeaderMatch h;
        h.klass = m->klass;
        h.title_fmt = std::move(m->title);
        h.severity = m->severity;
        h.stack = StackRule::None;
        h.closes_immediately = true;
        open(rec, msg, std::move(h), out);
    }
}

void KernelLogClassifier::open(const LogRecord& rec, std::string_view msg, HeaderMatch header, std::vector<KernelReport>& out) {
    if (open_.size() >= k_max_open) close(0, out);
    OpenReport r;
    r.header = std::move(header);
    r.context = rec.caller;
    r.lines.emplace_back(msg);
    r.meta.time_s = rec.time_s;
    r.meta.wall_s = rec.wall_s;
    r.meta.seq = rec.seq;
    r.meta.first_line = rec.line_no;
    r.meta.last_line = rec.line_no;
    r.last_time_s = rec.time_s;
    const bool now = r.header.closes_immediately;
    open_.push_back(std::move(r));
    if (now) close(open_.size() - 1, out);
}

void KernelLogClassifier::close(std::size_t index, std::vector<KernelReport>& out) {
    OpenReport r = std::move(open_[index]);
    open_.erase(open_.begin() + static_cast<std::ptrdiff_t>(index));
    out.push_back(finish_report(std::move(r)));
}

}  // namespace besrig::kmsg
