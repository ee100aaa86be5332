#include "util/table.hpp"

#include <algorithm>

namespace besrig {
namespace {

// Display width: count UTF-8 lead bytes only, so "±" and "…" take one column.
std::size_t width(const std::string& s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

std::string TextTable::render() const {
    std::vector<std::size_t> w(header_.size(), 0);
    for (std::size_t i = 0; i < header_.size(); ++i) w[i] = width(header_[i]);
    for (const auto& row : rows_)
        for (std::size_t i = 0; i < row.size() && i < w.size(); ++i) w[i] = std::max(w[i], width(row[i]));
    std::string out;
    const auto line = [&](const std::vector<std::string>& cells) {
        std::string l;
        for (std::size_t i = 0; i < w.size(); ++i) {
            const std::string cell = i < cells.size() ? cells[i] : "";
            l += cell;
            if (i + 1 < w.size()) l += std::string(w[i] - width(cell) + 2, ' ');
        }
        while (!l.empty() && l.back() == ' ') l.pop_back();
        out += l + "\n";
    };
    line(header_);
    for (const auto& row : rows_) line(row);
    if (!out.empty()) out.pop_back();
    return out;
}

}  // namespace besrig
