// besrig_make_fixture STORE [--nights N]: writes the story runs (and N nights
// of nightly runs, default 14; 0 for none) into STORE and prints their ids as
// JSON, for scenario tests that drive the real besrig binary.
#include <cstdio>
#include <cstring>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>

#include "reports/store/store.hpp"
#include "tests/support/fixture_store.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: besrig_make_fixture STORE [--nights N]\n");
        return 2;
    }
    int nights = 14;
    for (int i = 2; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--nights") == 0) nights = std::atoi(argv[i + 1]);
    try {
        besrig::Store store(argv[1]);
        const auto story = besrig::fixture::add_story(store);
        nlohmann::json out = {{"baseline", story.baseline}, {"c", story.c}, {"c_prep", story.c_prep}, {"c_v2", story.c_v2}};
        if (nights > 0) {
            besrig::fixture::NightlyOptions o;
            o.nights = nights;
            o.samples = true;
            out["nightly"] = besrig::fixture::add_nightly(store, story.baseline, o);
        }
        std::printf("%s\n", out.dump().c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "besrig_make_fixture: %s\n", e.what());
        return 1;
    }
    return 0;
}
