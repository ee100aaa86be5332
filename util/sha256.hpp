// SHA-256 of files and buffers: the identity of module builds and artifacts.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace besrig {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view s) { update(s.data(), s.size()); }
    // Finishes and returns the lowercase hex digest; the object is spent after.
    std::string hex_digest();

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buf_{};
    std::size_t buf_len_ = 0;
    std::uint64_t total_ = 0;
};

std::string sha256_hex(std::string_view data);
// Throws besrig::Error (Infra) naming the file when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace besrig
