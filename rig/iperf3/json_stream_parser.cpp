// `iperf3 --json-stream` (3.17+): one unformatted JSON object per line,
//   {"event":"start","data":{...the -J "start" object...}}
//   {"event":"interval","data":{"streams":[...],"sum":{...}}}
//   {"event":"end","data":{...the -J "end" object...}}
//   {"event":"error","data":"unable to connect to server: ..."}
// (format of esnet/iperf PR #1098). Interval events become samples at once;
// the events together are the document `-J` would print, read by the same
// interpreter at the end.
#include <nlohmann/json.hpp>

#include "rig/iperf3/json_parser.hpp"
#include "rig/iperf3/json_text.hpp"
#include "rig/iperf3/live_parser.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using nlohmann::json;

constexpr std::size_t max_notes = 50;

class JsonStreamParser final : public Iperf3LiveParser {
public:
    explicit JsonStreamParser(std::string source) : source_(std::move(source)) {
        doc_["intervals"] = json::array();
    }

    std::vector<Iperf3Sample> feed(std::string_view raw) override {
        ++line_no_;
        const auto line = trim(raw);
        if (line.empty()) return {};
        const std::string where = source_ + " line " + std::to_string(line_no_);
        if (line.front() != '{') {
            if (auto err = iperf3_error_line(line); !err.empty()) set_error(err);
            else note(where + ": not a JSON event: " + printable(line, 120));
            return {};
        }
        auto parsed = read_iperf3_json_text(line, where);
        if (!parsed) {
            note(parsed.error().describe());
            return {};
        }
        const json& ev = parsed->document;
        const auto event = ev.contains("event") && ev["event"].is_string() ? ev["event"].get<std::string>() : "";
        if (!ev.contains("data")) {
            note(where + ": event \"" + printable(event, 30) + "\" without \"data\"");
            return {};
        }
        const json& data = ev["data"];
        if (event == "start") {
            doc_["start"] = data;
        } else if (event == "interval") {
            auto samples = interpret_iperf3_interval(data, doc_.contains("start") ? doc_["start"] : json::object(),
                                                     where, "/data");
            if (!samples) {
                note(samples.error().describe());
                return {};
            }
            doc_["intervals"].push_back(data);
            std::vector<Iperf3Sample> fresh;
            for (auto& s : *samples) {
                if (repeats(s)) continue;
                live_.push_back(s);
                fresh.push_back(s);
            }
            return fresh;
        } else if (event == "end") {
            doc_["end"] = data;
            finished_ = true;
        } else if (event == "error") {
            set_error(data.is_string() ? data.get<std::string>() : data.dump());
        } else {
            // "server_output_json", "server_output_text" and later additions: kept out of the way.
            note(where + ": event \"" + printable(event, 30) + "\" ignored");
        }
        return {};
    }

    void feed_stderr(std::string_view line) override {
        if (auto err = iperf3_error_line(line); !err.empty()) set_error(err);
    }

    Iperf3Result result() const override {
        json doc = doc_;
        if (!doc.contains("start")) doc["start"] = json::object();
        if (!doc.contains("end")) doc["end"] = json::object();
        if (!error_.empty()) doc["error"] = error_;
        auto r = interpret_iperf3_document(doc, source_);
        Iperf3Result out;
        if (r) {
            out = std::move(r.value());
        } else {
            // The stream stopped before iperf3 said enough (no start event,
            // killed mid-run): keep the samples, say what is missing.
            out.samples = live_;
            out.error = error_;
            out.notes.push_back(r.error().describe());
        }
        if (!finished_ && error_.empty()) out.notes.push_back(source_ + ": the stream ended before iperf3's end event");
        for (const auto& n : notes_) out.notes.push_back(n);
        return out;
    }

    bool finished() const override { return finished_; }

private:
    bool repeats(const Iperf3Sample& s) const {
        for (auto it = live_.rbegin(); it != live_.rend(); ++it) {
            if (it->flow != s.flow) continue;
            return it->start == s.start && it->end == s.end && it->bytes == s.bytes && it->omitted == s.omitted;
        }
        return false;
    }
    void set_error(std::string e) {
        if (error_.empty()) error_ = std::move(e);
        finished_ = true;
    }
    void note(std::string text) {
        if (notes_.size() < max_notes) notes_.push_back(std::move(text));
    }

    std::string source_;
    json doc_ = json::object();
    std::vector<Iperf3Sample> live_;
    std::vector<std::string> notes_;
    std::string error_;
    std::size_t line_no_ = 0;
    bool finished_ = false;
};

}  // namespace

std::unique_ptr<Iperf3LiveParser> make_iperf3_json_stream_parser(const std::string& source) {
    return std::make_unique<JsonStreamParser>(source);
}

}  // namespace besrig
