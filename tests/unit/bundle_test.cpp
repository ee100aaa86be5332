#include <gtest/gtest.h>

#include "driver/bundle/bundle.hpp"
#include "driver/bundle/kbuild.hpp"
#include "driver/bundle/modinfo.hpp"
#include "reports/store/store.hpp"
#include "tests/unit/fake_elf.hpp"
#include "tests/unit/test_support.hpp"
#include "util/error.hpp"
#include "util/sha256.hpp"

namespace besrig {
namespace {

using test::TempDir;

const std::vector<std::string> k_info = {"version=0.1-sim", "license=GPL", "srcversion=1B3B3ED0A1B2C3D4E5F6A7B",
                                         "name=bes2600", "vermagic=6.1.0-56-amd64 SMP preempt mod_unload modversions "};

TEST(ModInfo, ReadsFieldsFromElf) {
    const auto info = parse_modinfo(test::fake_module(k_info), "bes2600.ko");
    EXPECT_EQ(info.get("srcversion"), "1B3B3ED0A1B2C3D4E5F6A7B");
    EXPECT_EQ(info.get("name"), "bes2600");
    EXPECT_EQ(info.kernel_release(), "6.1.0-56-amd64");
}

TEST(ModInfo, RefusesWhatIsNotAModule) {
    const auto err = [](const std::string& bytes) {
        try {
            parse_modinfo(bytes, "x.ko");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    EXPECT_EQ(err("hello"), "x.ko: not an ELF file");
    auto elf = test::fake_module(k_info);
    EXPECT_NE(err(elf.substr(0, 80)).find("x.ko: not a kernel module"), std::string::npos);
    EXPECT_EQ(err(test::fake_module({"license=GPL"})), "x.ko: .modinfo has no vermagic");
}

TEST(KbuildWarnings, NormalizedWithoutLineNumbers) {
    const std::string log =
        "  CC [M]  /tmp/o/bes2600_main.o\n"
        "/tmp/o/wsm.c:120:9: warning: unused variable 'x' [-Wunused-variable]\n"
        "/tmp/o/wsm.c:133:9: warning: unused variable 'x' [-Wunused-variable]\n"
        "/tmp/o/bh.c:7:1: warning: no previous prototype for 'f' [-Wmissing-prototypes]\n";
    EXPECT_EQ(compiler_warnings(log),
              (std::vector<std::string>{"bh.c: warning: no previous prototype for 'f' [-Wmissing-prototypes]",
                                        "wsm.c: warning: unused variable 'x' [-Wunused-variable]"}));
}

TEST(Bundle, AddIsContentAddressedAndIdempotent) {
    TempDir dir;
    Store store(dir.path() / "besrig.db");
    Bundle bundle(dir.path() / "bundle", store);
    const auto ko = dir.write("bes2600.ko", test::fake_module(k_info));
    BuildMeta meta;
    meta.patch = "b";
    const auto b1 = bundle.add(ko, meta);
    EXPECT_EQ(b1.sha256, sha256_file(ko));
    EXPECT_EQ(b1.srcversion, "1B3B3ED0A1B2C3D4E5F6A7B");
    EXPECT_EQ(b1.kernel_release, "6.1.0-56-amd64");
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "bundle" / (b1.sha256 + ".ko")));
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "bundle" / "manifest.json"));
    const auto b2 = bundle.add(ko, meta);
    EXPECT_EQ(b1.id, b2.id);
    EXPECT_EQ(bundle.list(std::nullopt).size(), 1u);
    EXPECT_EQ(bundle.by_sha256(b1.sha256.substr(0, 10))->id, b1.id);
    meta.patch = "c";
    EXPECT_THROW(bundle.add(ko, meta), Error);  // same bytes, other patch: refused
}

TEST(Bundle, AlteredFileIsRefused) {
    TempDir dir;
    Store store(dir.path() / "besrig.db");
    Bundle bundle(dir.path() / "bundle", store);
    BuildMeta meta;
    meta.patch = "b";
    const auto b = bundle.add(dir.write("m.ko", test::fake_module(k_info)), meta);
    EXPECT_EQ(bundle.verified_file(b), std::filesystem::path(b.path));
    std::ofstream(b.path, std::ios::app) << "tampered";
    try {
        bundle.verified_file(b);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("no longer matches its sha256"), std::string::npos);
    }
}

TEST(Bundle, ModuleWithoutSrcversionIsRefusedWithTheReason) {
    TempDir dir;
    Store store(dir.path() / "besrig.db");
    Bundle bundle(dir.path() / "bundle", store);
    BuildMeta meta;
    meta.patch = "b";
    try {
        bundle.add(dir.write("m.ko", test::fake_module({"vermagic=6.1.0-56-amd64 SMP"})), meta);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("MODULE_VERSION"), std::string::npos);
    }
}

TEST(SeriesHash, ChangesWithAnyPatch) {
    TempDir dir;
    dir.write("p/c/0001-a.patch", "--- a\n+++ b\n");
    const auto h1 = series_hash(dir.path() / "p" / "c");
    dir.write("p/c/0002-b.patch", "--- a\n+++ b\n");
    EXPECT_NE(h1, series_hash(dir.path() / "p" / "c"));
    EXPECT_THROW(series_hash(dir.path() / "p" / "nope"), Error);
}

}  // namespace
}  // namespace besrig
