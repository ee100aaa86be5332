// libFuzzer target: arbitrary bytes as a config layer through the merge and
// the typed reader (config/loader.cpp, config/reader.cpp). Even input bytes
// first: the input is a JSON document (comments allowed, as in a config
// file) layered over the defaults; odd: each line is a `--set key=value`.
// A bad value must end as besrig::Error (Config) naming it; any other
// exception escaping (a JSON type error, out_of_range ...) is a bug, and
// libFuzzer reports it as a crash.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config/loader.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    besrig::ConfigInputs in;
    if (data[0] % 2 == 0) {
        auto layer = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
        if (layer.is_discarded()) return 0;
        in.board_layers.emplace_back(std::move(layer), besrig::Origin{besrig::Origin::Kind::Board, "fuzz"});
    } else {
        std::string_view rest = input;
        while (!rest.empty()) {
            const auto nl = rest.find('\n');
            in.sets.emplace_back(rest.substr(0, nl));
            if (nl == std::string_view::npos) break;
            rest.remove_prefix(nl + 1);
        }
    }
    try {
        const auto loaded = besrig::load_config(in);
        (void)loaded.config;
    } catch (const besrig::Error& e) {
        if (std::string_view(e.what()).empty()) __builtin_trap();  // an error must say what was wrong
    }
    return 0;
}
