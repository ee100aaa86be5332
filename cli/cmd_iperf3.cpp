// besrig iperf3 parse FILE [--format auto|json|text|json-stream] [--json]
// Reads a saved iperf3 output (the `-J` document, `--forceflush` text, or
// `--json-stream` lines) and prints what besrig takes from it: for checking
// an iperf3 on a new board, or a file a parse failure named.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "rig/iperf3/json_parser.hpp"
#include "rig/iperf3/live_parser.hpp"
#include "rig/iperf3/result_json.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"
#include "util/table.hpp"

namespace besrig {
namespace {

struct Iperf3ParseOptions {
    std::string file;
    std::string format = "auto";
};

std::string detect_format(std::string_view text) {
    const auto t = trim(text);
    if (t.substr(0, 9) == "{\"event\":") return "json-stream";
    if (!t.empty() && t.front() == '{') return "json";
    return "text";
}

Iperf3Result read_result(const std::string& file, std::string format) {
    const std::string text = read_file(file);
    if (format == "auto") format = detect_format(text);
    if (format == "json") {
        auto r = parse_iperf3_json(text, file);
        if (!r) throw_usage(r.error().describe());
        return r.value();
    }
    auto parser = format == "text" ? make_iperf3_text_parser({}) : make_iperf3_json_stream_parser(file);
    for (const auto& line : split_lines(text)) {
        if (auto err = iperf3_error_line(line); !err.empty()) parser->feed_stderr(line);
        else parser->feed(line);
    }
    auto result = parser->result();
    if (result.samples.empty() && result.summaries.empty() && result.error.empty())
        throw_usage(file + ": no iperf3 interval, summary or error found (read as " + format + ")" +
                    (result.notes.empty() ? "" : "; first problem: " + result.notes.front()));
    return result;
}

std::string mb(double bits_per_second) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", bits_per_second / 8e6);
    return buf;
}

int parse_command(Context& ctx, const Iperf3ParseOptions& o) {
    const auto r = read_result(o.file, o.format);
    if (ctx.opts.json) {
        ctx.console.result(to_json(r).dump(2));
        return 0;
    }
    ctx.console.result("iperf3: " + (r.version.empty() ? std::string("version not in the output") : r.version));
    if (r.params) {
        const auto& p = *r.params;
        ctx.console.result("test: " + p.protocol + ", " + std::to_string(p.num_streams) + " stream(s), " +
                           (p.duration > 0 ? std::to_string(p.duration) + " s, " : std::string()) + "omit " +
                           std::to_string(p.omit) + " s" +
                           (p.reverse ? ", reverse (-R)" : "") + (p.bidir ? ", bidirectional" : "") +
                           (p.target_bitrate && *p.target_bitrate > 0
                                ? ", target " + std::to_string(*p.target_bitrate) + " bit/s per stream"
                                : ""));
    }
    TextTable t({"interval (s)", "flow", "MB/s", "bytes", "retr", ""});
    for (const auto& s : r.samples) {
        char iv[48];
        std::snprintf(iv, sizeof iv, "%.2f-%.2f", s.start, s.end);
        t.add({iv, to_string(s.flow), mb(s.bits_per_second), std::to_string(s.bytes),
               s.retransmits ? std::to_string(*s.retransmits) : "-", s.omitted ? "omitted" : ""});
    }
    if (!r.samples.empty()) ctx.console.result(t.render());
    for (const auto& s : r.summaries) {
        std::string line = "total " + to_string(s.flow) + ":";
        if (s.sent) line += " sent " + mb(s.sent->bits_per_second) + " MB/s (" + std::to_string(s.sent->bytes) + " bytes" +
                            (s.sent->retransmits ? ", " + std::to_string(*s.sent->retransmits) + " retransmits" : "") + ")";
        if (s.received) line += " received " + mb(s.received->bits_per_second) + " MB/s (" +
                                std::to_string(s.received->bytes) + " bytes)";
        ctx.console.result(line);
    }
    if (r.has_error()) ctx.console.result("iperf3 error: " + r.error);
    for (const auto& n : r.notes) ctx.console.info("note: " + n);
    return 0;
}

}  // namespace

void add_iperf3_commands(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("iperf3", "Inspect iperf3 output the way besrig reads it");
    group->require_subcommand(1);
    auto o = std::make_shared<Iperf3ParseOptions>();
    auto* parse = group->add_subcommand("parse", "Parse a saved iperf3 output and print its samples and totals");
    parse->add_option("file", o->file, "iperf3 output: -J JSON, --forceflush text or --json-stream lines")->required();
    parse->add_option("--format", o->format, "auto (default), json, text or json-stream")
        ->check(CLI::IsMember({"auto", "json", "text", "json-stream"}));
    parse->callback([&ctx, o] { ctx.action = [&ctx, o] { return parse_command(ctx, *o); }; });
}

}  // namespace besrig
