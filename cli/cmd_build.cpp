// besrig build --patch P | bundle add --patch P FILE.ko | bundle list
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "driver/bundle/build_gate.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"
#include "util/table.hpp"

namespace besrig {
namespace {

struct BuildOptions {
    std::string patch;
    bool force = false;
    std::string file;
};

nlohmann::json build_json(const BuildRecord& b) {
    return {{"patch", b.patch}, {"sha256", b.sha256}, {"size", b.size}, {"path", b.path},
            {"vermagic", b.vermagic}, {"srcversion", b.srcversion}, {"version", b.version},
            {"kernel_release", b.kernel_release}, {"series_hash", b.series_hash}, {"warnings", b.warnings},
            {"origin", b.origin}, {"built_at", b.built_at}};
}

void print_build(Context& ctx, const BuildRecord& b, const std::string& headline) {
    if (ctx.opts.json) {
        ctx.console.result(build_json(b).dump(2));
        return;
    }
    ctx.console.result(headline);
    TextTable t({"field", "value"});
    t.add({"patch", b.patch});
    t.add({"sha256", b.sha256});
    t.add({"size", format_bytes(b.size)});
    t.add({"srcversion", b.srcversion});
    t.add({"vermagic", b.vermagic});
    t.add({"warnings", std::to_string(b.warnings)});
    t.add({"file", b.path});
    ctx.console.result(t.render());
}

Bundle open_bundle(Context& ctx) { return Bundle(expand_home(ctx.rig().driver.bundle_dir), ctx.store()); }

int build(Context& ctx, const BuildOptions& o) {
    auto bundle = open_bundle(ctx);
    LocalProcessRunner runner;
    const auto r = build_patch(ctx.rig(), bundle, runner, o.patch, o.force, ctx.console);
    if (!ctx.rig().board.kernel_release.empty()) check_vermagic(r.build, ctx.rig().board.kernel_release);
    print_build(ctx, r.build, r.reused ? "reused the stored build of identical inputs" : "built and registered");
    return 0;
}

int bundle_add(Context& ctx, const BuildOptions& o) {
    check_patch_name(o.patch);
    auto bundle = open_bundle(ctx);
    BuildMeta meta;
    meta.patch = o.patch;
    meta.origin = "import";
    const auto b = bundle.add(o.file, meta);
    print_build(ctx, b, "registered " + o.file);
    return 0;
}

int bundle_list(Context& ctx, const BuildOptions& o) {
    auto bundle = open_bundle(ctx);
    const auto builds = bundle.list(o.patch.empty() ? std::nullopt : std::optional<std::string>(o.patch));
    if (ctx.opts.json) {
        auto arr = nlohmann::json::array();
        for (const auto& b : builds) arr.push_back(build_json(b));
        ctx.console.result(arr.dump(2));
        return 0;
    }
    if (builds.empty()) {
        ctx.console.result("the bundle is empty (besrig build --patch P, or besrig bundle add --patch P FILE.ko)");
        return 0;
    }
    TextTable t({"patch", "sha256", "srcversion", "kernel", "warnings", "origin"});
    for (const auto& b : builds)
        t.add({b.patch, b.sha256.substr(0, 12), b.srcversion, b.kernel_release, std::to_string(b.warnings), b.origin});
    ctx.console.result(t.render());
    return 0;
}

}  // namespace

void add_build_commands(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<BuildOptions>();
    auto* b = app.add_subcommand("build", "Build a patch's module with Makefile.kbuild and register it (the Phase 6 build gate)");
    b->add_option("--patch", o->patch, "Patch name (driver/patches/<patch>/)")->required();
    b->add_flag("--force", o->force, "Build even when a build of identical inputs is stored");
    b->callback([&ctx, o] { ctx.action = [&ctx, o] { return build(ctx, *o); }; });

    auto* bundle = app.add_subcommand("bundle", "The store of module builds");
    bundle->require_subcommand(1);
    auto* add = bundle->add_subcommand("add", "Register a module built elsewhere");
    add->add_option("--patch", o->patch, "Patch name")->required();
    add->add_option("file", o->file, "The .ko file")->required()->check(CLI::ExistingFile);
    add->callback([&ctx, o] { ctx.action = [&ctx, o] { return bundle_add(ctx, *o); }; });
    auto* list = bundle->add_subcommand("list", "List registered builds");
    list->add_option("--patch", o->patch, "Only this patch");
    list->callback([&ctx, o] { ctx.action = [&ctx, o] { return bundle_list(ctx, *o); }; });
}

}  // namespace besrig
