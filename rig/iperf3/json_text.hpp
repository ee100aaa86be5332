// Tolerant reading of iperf3's JSON text, before any meaning is given to it.
// iperf3 is not a strict JSON writer, and across versions it has printed:
//   - `nan`, `-nan`, `inf` for numbers (UDP summaries of old versions): read as null;
//   - the same key twice in one object (--bidir in 3.7-3.10): the later ones
//     are kept as "key#2", "key#3"... instead of silently overwriting the first;
//   - text after the document (error messages), or several documents in a
//     row (a persistent `-s -J` server appends one per test).
// Anything else that is not JSON is refused with the line and column.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rig/iperf3/result.hpp"
#include "util/result.hpp"

namespace besrig {

struct Iperf3JsonText {
    nlohmann::json document;
    std::string leading_text;   // non-JSON text before the document (warnings), trimmed
    std::string trailing_text;  // text after it, trimmed
    std::vector<std::string> notes;  // "renamed duplicate key /start/sock_bufsize to sock_bufsize#2"
};

// Reads the first JSON object in `text`. `source` names the input in errors.
Result<Iperf3JsonText, Iperf3ParseError> read_iperf3_json_text(std::string_view text, const std::string& source);

// Where complete top-level objects lie in `text`, in order: [begin, end)
// byte ranges. An object still being written (no closing brace yet) is not
// listed; `complete_end` is the offset after the last complete one.
struct JsonObjectSpan {
    std::size_t begin = 0;
    std::size_t end = 0;
};
std::vector<JsonObjectSpan> find_json_objects(std::string_view text, std::size_t* complete_end = nullptr);

// "line 3, column 14" for a byte offset.
std::string line_column(std::string_view text, std::size_t offset);

}  // namespace besrig
