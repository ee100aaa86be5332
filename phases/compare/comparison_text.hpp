// A RunComparison for people (a plain-text table and the verdict with its
// reasons) and for scripts (JSON). Strings only; the caller prints.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "phases/compare/compare_runs.hpp"

namespace besrig::compare {

std::string render_text(const RunComparison& c);
nlohmann::json to_json(const RunComparison& c);

}  // namespace besrig::compare
