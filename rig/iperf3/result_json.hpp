// Iperf3Result as besrig's own JSON (for `besrig iperf3 parse --json`, and for
// storing a step's raw result beside its samples). Stable keys, MB/s beside
// bits/s, absent values as null.
#pragma once

#include <nlohmann/json.hpp>

#include "rig/iperf3/result.hpp"

namespace besrig {

nlohmann::json to_json(const Iperf3Sample& sample);
nlohmann::json to_json(const Iperf3Result& result);

}  // namespace besrig
