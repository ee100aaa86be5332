// besrig config show | check FILE
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "config/defaults.hpp"
#include "util/table.hpp"

namespace besrig {
namespace {

using nlohmann::json;

void flatten(const json& node, const std::string& path, std::vector<std::pair<std::string, json>>& out) {
    if (node.is_object() && !is_open_map(path) && (path.empty() || path.find("profiles.") != 0)) {
        for (const auto& [k, v] : node.items()) flatten(v, path.empty() ? k : path + "." + k, out);
    } else if (node.is_object() && path == "profiles") {
        for (const auto& [k, v] : node.items()) out.emplace_back(path + "." + k, v);
    } else {
        out.emplace_back(path, node);
    }
}

int show(Context& ctx) {
    const auto& loaded = ctx.config();
    std::vector<std::pair<std::string, json>> leaves;
    flatten(loaded.effective, "", leaves);
    if (ctx.opts.json) {
        json out{{"file", loaded.file ? json(loaded.file->string()) : json(nullptr)}, {"values", loaded.effective}};
        json origins = json::object();
        for (const auto& [path, _] : leaves) origins[path] = loaded.origin_of(path).describe();
        out["origins"] = origins;
        ctx.console.result(out.dump(2));
        return 0;
    }
    ctx.console.result("# config file: " + (loaded.file ? loaded.file->string() : std::string("(none: defaults only)")));
    TextTable t({"key", "value", "origin"});
    for (const auto& [path, value] : leaves) {
        std::string v = value.is_string() ? value.get<std::string>() : value.dump();
        if (path.rfind("profiles.", 0) == 0) {
            const auto steps = value.contains("steps") ? value["steps"].size() : 0;
            v = std::to_string(steps) + " step(s)";
            if (value.contains("description") && value["description"].is_string())
                v += ": " + value["description"].get<std::string>();
        }
        if (v.size() > 72) v = v.substr(0, 69) + "...";
        t.add({path, v, loaded.origin_of(path).describe()});
    }
    ctx.console.result(t.render());
    return 0;
}

int check(Context& ctx, const std::string& file) {
    ConfigInputs in;
    in.file = file;
    load_config(in);
    if (ctx.opts.json)
        ctx.console.result(json{{"file", file}, {"valid", true}}.dump());
    else
        ctx.console.result(file + ": ok");
    return 0;
}

}  // namespace

void add_config_commands(CLI::App& app, Context& ctx) {
    auto* config = app.add_subcommand("config", "Show or validate the rig configuration");
    config->require_subcommand(1);
    config->add_subcommand("show", "Print the resolved config and where each value came from")
        ->callback([&ctx] { ctx.action = [&ctx] { return show(ctx); }; });
    auto* chk = config->add_subcommand("check", "Validate a config file (exit 0 when valid)");
    auto file = std::make_shared<std::string>();
    chk->add_option("file", *file, "Config file to validate")->required();
    chk->callback([&ctx, file] { ctx.action = [&ctx, file] { return check(ctx, *file); }; });
}

}  // namespace besrig
