// The typed reader over a JSON config tree (used by reader.cpp for the rig
// config and nightly.cpp for the nightly config): every value checked once,
// every refusal naming where the value came from, its key path ("a.b[3].c"),
// what was expected and what was found.
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/loader.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig::config_detail {

using nlohmann::json;

class Reader {
public:
    Reader(const json& root, const std::map<std::string, Origin>& origins) : root_(root), origins_(origins) {}

    [[noreturn]] void fail(const std::string& path, const std::string& expected, const json* got) const {
        fail_because(path, path, expected, got);
    }

    // A value required by another one: the error names where that other value came from.
    [[noreturn]] void fail_because(const std::string& cause, const std::string& path, const std::string& expected,
                                   const json* got) const {
        std::string found = got ? got->dump(-1, ' ', false, json::error_handler_t::replace) : "nothing";
        if (found.size() > 80) found = found.substr(0, 77) + "...";
        throw_config(origin(cause).error_prefix() + ": " + path + ": expected " + expected + ", got " + found);
    }

    // Walks "a.b[3].c": dots between keys, [i] for list elements.
    const json* node(const std::string& path) const {
        const json* n = &root_;
        for (const auto& part : split(path, '.')) {
            auto bracket = part.find('[');
            const std::string key = part.substr(0, bracket);
            if (!n->is_object() || !n->contains(key)) return nullptr;
            n = &(*n)[key];
            while (bracket != std::string::npos) {
                const auto close = part.find(']', bracket);
                const auto idx = parse_int(part.substr(bracket + 1, close - bracket - 1));
                if (!idx || !n->is_array() || *idx < 0 || static_cast<std::size_t>(*idx) >= n->size()) return nullptr;
                n = &(*n)[static_cast<std::size_t>(*idx)];
                bracket = part.find('[', close);
            }
        }
        return n;
    }

    const json& at(const std::string& path, const std::string& expected) const {
        const json* n = node(path);
        if (!n) fail(path, expected, nullptr);
        return *n;
    }

    std::string str(const std::string& path, bool allow_empty = true) const {
        const auto& v = at(path, "a string");
        if (!v.is_string()) fail(path, "a string", &v);
        const auto s = v.get<std::string>();
        if (!allow_empty && s.empty()) fail(path, "a non-empty string", &v);
        if (s.find('\0') != std::string::npos) fail(path, "a string without NUL bytes", &v);
        return s;
    }

    std::string one_of(const std::string& path, const std::vector<std::string>& allowed) const {
        const std::string expected = "one of " + join(allowed, ", ");
        const auto& v = at(path, expected);
        if (!v.is_string() || std::find(allowed.begin(), allowed.end(), v.get<std::string>()) == allowed.end())
            fail(path, expected, &v);
        return v.get<std::string>();
    }

    int integer(const std::string& path, long long lo, long long hi) const {
        const std::string expected = "an integer " + std::to_string(lo) + ".." + std::to_string(hi);
        const auto& v = at(path, expected);
        if (!v.is_number_integer()) fail(path, expected, &v);
        const auto i = v.get<long long>();
        if (i < lo || i > hi) fail(path, expected, &v);
        return static_cast<int>(i);
    }

    double number(const std::string& path, double lo, double hi) const {
        const std::string expected = "a number " + trimmed(lo) + ".." + trimmed(hi);
        const auto& v = at(path, expected);
        if (!v.is_number()) fail(path, expected, &v);
        const auto d = v.get<double>();
        if (d < lo || d > hi) fail(path, expected, &v);
        return d;
    }

    bool boolean(const std::string& path) const {
        const auto& v = at(path, "true or false");
        if (!v.is_boolean()) fail(path, "true or false", &v);
        return v.get<bool>();
    }

    std::vector<std::string> strings(const std::string& path) const {
        const auto& v = at(path, "a list of strings");
        if (!v.is_array()) fail(path, "a list of strings", &v);
        std::vector<std::string> out;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_string()) fail(path + "[" + std::to_string(i) + "]", "a string", &v[i]);
            out.push_back(v[i].get<std::string>());
        }
        return out;
    }

    // Refuses keys of an object that are not in `allowed`, with a hint.
    void only_keys(const std::string& path, const std::vector<std::string>& allowed) const {
        const auto& v = at(path, "an object");
        if (!v.is_object()) fail(path, "an object", &v);
        for (const auto& [k, _] : v.items()) {
            if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
            std::string msg = origin(path).error_prefix() + ": " + path + "." + k + ": unknown key";
            if (auto hint = did_you_mean(k, allowed)) msg += " (did you mean '" + path + "." + *hint + "'?)";
            throw_config(msg);
        }
    }

    const Origin& origin(const std::string& path) const {
        static const Origin def{};
        std::string p = path;
        for (;;) {
            if (auto it = origins_.find(p); it != origins_.end()) return it->second;
            auto cut = p.find_last_of(".[");
            if (cut == std::string::npos) return def;
            p.resize(cut);
        }
    }

private:
    static std::string trimmed(double d) {
        auto s = std::to_string(d);
        while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
            const bool dot = s.back() == '.';
            s.pop_back();
            if (dot) break;
        }
        return s;
    }
    const json& root_;
    const std::map<std::string, Origin>& origins_;
};

// Names that end up in paths and board commands: letters, digits, '-', '_'
// and (not first) '.'; never "..".
inline bool safe_token(const std::string& s) {
    return !s.empty() && s.size() <= 64 && s.front() != '.' && s.find("..") == std::string::npos &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '_' || c == '-' || c == '.';
           });
}

}  // namespace besrig::config_detail
