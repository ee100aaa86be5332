// iperf3's `-J` document -> Iperf3Result, for every shape from 3.6 to 3.12
// (and the 3.17+ `--json-stream` events, which carry the same objects).
//
// What is read: start.version, start.test_start (protocol, streams, -t, -O,
// -R, --bidir, target bitrate), one sample per interval and flow ("sum", or
// the streams added up when an old version left it out; "sum_bidir_reverse"
// or a duplicated "sum" for the other half of --bidir), the end totals per
// flow ("sum_sent"/"sum_received", their "_bidir_reverse" twins, UDP's
// "sum"), and "error". An "error" is not a parse failure: iperf3 3.11-3.13
// exit 0 with one (connection refused, idle timeout of a stalled sender), so
// the caller reads Iperf3Result::error. A parse failure is a document that
// is not iperf3's: it names the input and the JSON path of what was wrong.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "rig/iperf3/result.hpp"
#include "util/result.hpp"

namespace besrig {

// Reads the whole text of an `iperf3 -J` run (stdout, possibly followed by
// an error message). `source` names the input in errors.
Result<Iperf3Result, Iperf3ParseError> parse_iperf3_json(std::string_view text, const std::string& source);

// Same, for a file; a file that cannot be read is a parse error naming it.
Result<Iperf3Result, Iperf3ParseError> parse_iperf3_json_file(const std::filesystem::path& path);

// Interprets an already parsed document (`start`/`intervals`/`end`/`error`).
Result<Iperf3Result, Iperf3ParseError> interpret_iperf3_document(const nlohmann::json& document,
                                                                 const std::string& source);

// The samples of one interval object (an element of "intervals", or the data
// of a --json-stream "interval" event), read in the context of "start";
// `path` names it in errors.
Result<std::vector<Iperf3Sample>, Iperf3ParseError> interpret_iperf3_interval(const nlohmann::json& interval,
                                                                              const nlohmann::json& start,
                                                                              const std::string& source,
                                                                              const std::string& path);

}  // namespace besrig
