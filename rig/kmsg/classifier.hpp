// KernelLogClassifier: records in, finished reports out — for live use (one
// record at a time from the SSH follower) and offline triage alike.
//
// A header line (headers.hpp) opens a report; following lines of the same
// printk caller context (or any line, for logs without caller ids) are
// collected until "---[ end trace", a new header, a gap of more than
// `close_after_s` of kernel time, `max_report_lines`, or flush(). Then the
// report is named (report_title.hpp) and handed out. One-line reports (bes2600
// errors, config patterns) come out at once. Up to four reports can be open
// at the same time in different contexts (interleaved CPUs/tasks).
//
// Per record the cost is a prefix parse, a first-byte header check and one
// literal scan; everything heavier happens only inside reports.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "rig/kmsg/headers.hpp"
#include "rig/kmsg/line_patterns.hpp"
#include "rig/kmsg/record.hpp"
#include "rig/kmsg/record_reader.hpp"
#include "rig/kmsg/report.hpp"

namespace besrig::kmsg {

struct ClassifierOptions {
    std::vector<LogPattern> extra_patterns;
    std::size_t max_report_lines = 400;
    double close_after_s = 10;  // kernel-time silence that ends an open report
};

// An open report while its lines arrive.
struct OpenReport {
    HeaderMatch header;
    std::string context;            // printk caller id of the header, may be empty
    std::vector<std::string> lines; // message text, header first
    KernelReport meta;              // times, line numbers, seq
    std::optional<double> last_time_s;
};

class KernelLogClassifier {
public:
    explicit KernelLogClassifier(ClassifierOptions options = {});
    // Feeds one record; reports completed by it are appended to `out`.
    void feed(const LogRecord& record, std::vector<KernelReport>& out);
    // Closes every open report (end of input).
    void flush(std::vector<KernelReport>& out);
    // Live use: closes reports whose last line is older than close_after_s at
    // kernel time `now_s` (a hung-task dump has no end marker; the follower
    // calls this when the stream goes quiet).
    void close_idle(double now_s, std::vector<KernelReport>& out);
    std::size_t open_reports() const { return open_.size(); }

private:
    void line(const LogRecord& rec, std::string_view msg, std::vector<KernelReport>& out);
    void one_line_reports(const LogRecord& rec, std::string_view msg, std::vector<KernelReport>& out);
    void open(const LogRecord& rec, std::string_view msg, HeaderMatch header, std::vector<KernelReport>& out);
    void close(std::size_t index, std::vector<KernelReport>& out);
    OpenReport* report_for(const LogRecord& rec, std::size_t& index);

    ClassifierOptions options_;
    LinePatterns patterns_;
    std::vector<OpenReport> open_;
};

// Finishes a report: title, guilty frame, fingerprint (report_title.cpp).
KernelReport finish_report(OpenReport&& open);

// A RecordSink that classifies everything it is given and keeps the results:
// the glue for offline triage, tests and the fuzzer.
class ClassifyingSink : public RecordSink {
public:
    explicit ClassifyingSink(ClassifierOptions options = {}) : classifier_(std::move(options)) {}
    void on_record(const LogRecord& record) override { classifier_.feed(record, reports); }
    void on_gap(const SequenceGap& gap) override { gaps.push_back(gap); }
    void finish() { classifier_.flush(reports); }

    std::vector<KernelReport> reports;
    std::vector<SequenceGap> gaps;

private:
    KernelLogClassifier classifier_;
};

}  // namespace besrig::kmsg
