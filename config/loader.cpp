#include "config/loader.hpp"

#include <algorithm>

#include "config/defaults.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using nlohmann::json;

std::string child_path(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

void collect_leaves(const json& node, const std::string& path, std::vector<std::string>& out) {
    if (node.is_object() && !is_open_map(path)) {
        for (const auto& [k, v] : node.items()) collect_leaves(v, child_path(path, k), out);
    } else if (!path.empty()) {
        out.push_back(path);
    }
}

const json* find_path(const json& root, const std::string& path) {
    const json* node = &root;
    for (const auto& part : split(path, '.')) {
        if (!node->is_object() || !node->contains(part)) return nullptr;
        node = &(*node)[part];
    }
    return node;
}

json& make_path(json& root, const std::string& path) {
    json* node = &root;
    for (const auto& part : split(path, '.')) node = &(*node)[part];
    return *node;
}

std::string line_col(const std::string& text, std::size_t byte) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return "line " + std::to_string(line) + " column " + std::to_string(col);
}

// Merges `layer` into `effective` below `path`, refusing keys the defaults do not know.
void merge(json& effective, std::map<std::string, Origin>& origins, const json& layer, const json& schema,
           const std::string& path, const Origin& origin) {
    for (const auto& [key, value] : layer.items()) {
        const auto p = child_path(path, key);
        if (!schema.contains(key)) {
            std::vector<std::string> known;
            for (const auto& [k, v] : schema.items()) known.push_back(k);
            std::string msg = origin.error_prefix() + ": " + p + ": unknown key";
            if (auto hint = did_you_mean(key, known)) msg += " (did you mean '" + child_path(path, *hint) + "'?)";
            throw_config(msg);
        }
        const json& sub_schema = schema[key];
        if (is_open_map(p)) {
            if (sub_schema.is_object()) {
                if (!value.is_object()) throw_config(origin.error_prefix() + ": " + p + ": expected an object, got " + value.dump());
                for (const auto& [name, entry] : value.items()) {
                    effective[key][name] = entry;
                    origins[child_path(p, name)] = origin;
                }
            } else {
                effective[key] = value;
                origins[p] = origin;
            }
        } else if (sub_schema.is_object()) {
            if (!value.is_object())
                throw_config(origin.error_prefix() + ": " + p + ": expected an object, got " + value.dump());
            merge(effective[key], origins, value, sub_schema, p, origin);
        } else {
            effective[key] = value;
            origins[p] = origin;
        }
    }
}

// The offset of the first byte that breaks UTF-8 (overlong forms and
// surrogates included), or npos. JSON strings must be UTF-8: a value from a
// flag or the environment that is not would fail later, far from its origin.
std::size_t invalid_utf8_at(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        unsigned min = 0;
        if (c < 0x80) len = 1;
        else if (c >= 0xC2 && c <= 0xDF) len = 2, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF) len = 3, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4) len = 4, min = 0x10000;
        else return i;
        if (i + len > s.size()) return i;
        unsigned cp = len == 1 ? c : c & (0xFFu >> (len + 1));
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += len;
    }
    return std::string::npos;
}

// Turns a string from the environment or a flag into the JSON type the default has.
json coerce(const std::string& raw, const json& like, const Origin& origin, const std::string& path) {
    const auto bad = [&](const std::string& expected) -> json {
        throw_config(origin.error_prefix() + ": " + path + ": expected " + expected + ", got \"" + printable(raw) + "\"");
    };
    if (const auto at = invalid_utf8_at(raw); at != std::string::npos)
        throw_config(origin.error_prefix() + ": " + path + ": the value is not valid UTF-8 (byte " + std::to_string(at) +
                     " of \"" + printable(raw) + "\")");
    if (like.is_boolean()) {
        const auto v = to_lower(trim(raw));
        if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
        if (v == "0" || v == "false" || v == "no" || v == "off") return false;
        return bad("true or false");
    }
    if (like.is_number_integer()) {
        if (auto v = parse_int(raw)) return *v;
        return bad("an integer");
    }
    if (like.is_number()) {
        if (auto v = parse_double(raw)) return *v;
        return bad("a number");
    }
    if (like.is_array()) {
        json arr = json::array();
        if (!trim(raw).empty())
            for (const auto& item : split(raw, ',')) arr.push_back(std::string(trim(item)));
        return arr;
    }
    return raw;
}

}  // namespace

std::string Origin::describe() const {
    switch (kind) {
    case Kind::Default: return "default";
    case Kind::File: return "file " + source;
    case Kind::Board: return "board " + source;
    case Kind::Env: return "env " + source;
    case Kind::Flag: return "flag " + source;
    }
    return "?";
}

std::string Origin::error_prefix() const {
    switch (kind) {
    case Kind::Default: return "built-in default";
    case Kind::File: return source;
    case Kind::Board: return source;
    case Kind::Env: return "environment " + source;
    case Kind::Flag: return source;
    }
    return "?";
}

const Origin& LoadedConfig::origin_of(const std::string& path) const {
    static const Origin default_origin{};
    std::string p = path;
    for (;;) {
        if (auto it = origins.find(p); it != origins.end()) return it->second;
        const auto dot = p.rfind('.');
        if (dot == std::string::npos) return default_origin;
        p.resize(dot);
    }
}

json parse_config_file(const std::filesystem::path& path) {
    std::string text;
    try {
        text = read_file(path);
    } catch (const Error& e) {
        throw_config(std::string("config file ") + e.what());
    }
    try {
        auto j = json::parse(text, nullptr, true, /*ignore_comments=*/true);
        if (!j.is_object()) throw_config(path.string() + ": expected a JSON object at the top level");
        return j;
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        if (auto pos = what.find("parse error"); pos != std::string::npos) what = what.substr(pos);
        throw_config(path.string() + ": " + line_col(text, e.byte) + ": invalid JSON: " + what);
    }
}

std::string env_name_for(const std::string& path) {
    std::string name = "BESRIG_";
    for (char c : to_upper(path)) name += (c == '.') ? '_' : c;
    return name;
}

std::vector<std::string> known_leaf_paths() {
    std::vector<std::string> out;
    collect_leaves(config_defaults(), "", out);
    return out;
}

LoadedConfig load_config(const ConfigInputs& inputs) {
    LoadedConfig loaded;
    loaded.effective = config_defaults();
    loaded.file = inputs.file;
    const json& schema = config_defaults();
    for (const auto& [layer, origin] : inputs.board_layers) merge(loaded.effective, loaded.origins, layer, schema, "", origin);
    if (inputs.file) {
        const Origin origin{Origin::Kind::File, inputs.file->string()};
        merge(loaded.effective, loaded.origins, parse_config_file(*inputs.file), schema, "", origin);
    }
    const auto leaves = known_leaf_paths();
    for (const auto& path : leaves) {
        const auto name = env_name_for(path);
        auto it = inputs.env.find(name);
        if (it == inputs.env.end() || is_open_map(path)) continue;
        const Origin origin{Origin::Kind::Env, name};
        make_path(loaded.effective, path) = coerce(it->second, *find_path(schema, path), origin, path);
        loaded.origins[path] = origin;
    }
    for (const auto& set : inputs.sets) {
        const auto eq = set.find('=');
        if (eq == std::string::npos || eq == 0)
            throw_usage("--set " + printable(set) + ": expected key.path=value");
        const std::string path = set.substr(0, eq);
        const Origin origin{Origin::Kind::Flag, "--set " + printable(set)};
        if (std::find(leaves.begin(), leaves.end(), path) == leaves.end() || is_open_map(path)) {
            std::string msg = "--set: " + path + ": unknown key";
            if (auto hint = did_you_mean(path, leaves)) msg += " (did you mean '" + *hint + "'?)";
            throw_config(msg);
        }
        make_path(loaded.effective, path) = coerce(set.substr(eq + 1), *find_path(schema, path), origin, path);
        loaded.origins[path] = origin;
    }
    loaded.config = read_rig_config(loaded.effective, loaded.origins);
    return loaded;
}

}  // namespace besrig
