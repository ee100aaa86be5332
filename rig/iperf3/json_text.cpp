#include "rig/iperf3/json_text.hpp"

#include <cctype>

#include "util/strings.hpp"

namespace besrig {
namespace {

using nlohmann::json;

// Finds the brace closing the object that opens at `open`; npos when the text
// ends first. Braces inside strings do not count.
std::size_t matching_brace(std::string_view text, std::size_t open) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = open; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{' || c == '[') ++depth;
        else if (c == '}' || c == ']') {
            if (--depth == 0) return i;
        }
    }
    return std::string_view::npos;
}

bool is_non_finite_word(std::string_view word) {
    const auto w = to_lower(word);
    return w == "nan" || w == "inf" || w == "infinity";
}

// Copies a JSON object's text, turning the bare nan/inf words some iperf3
// versions print into null (strings untouched).
std::string null_non_finite(std::string_view object, std::size_t& replaced) {
    std::string out;
    out.reserve(object.size() + 16);
    bool in_string = false;
    for (std::size_t i = 0; i < object.size(); ++i) {
        const char c = object[i];
        if (in_string) {
            out += c;
            if (c == '\\' && i + 1 < object.size()) out += object[++i];
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
            out += c;
            continue;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) != 0) {
            std::size_t j = i;
            while (j < object.size() && std::isalpha(static_cast<unsigned char>(object[j])) != 0) ++j;
            const auto word = object.substr(i, j - i);
            if (is_non_finite_word(word)) {
                if (!out.empty() && out.back() == '-') out.pop_back();
                out += "null";
                ++replaced;
            } else {
                out.append(word);
            }
            i = j - 1;
            continue;
        }
        out += c;
    }
    return out;
}

// Builds the document like nlohmann's own DOM parser, except that a key seen
// twice in one object is kept as "key#2" rather than overwriting the first.
class DuplicateKeepingBuilder : public nlohmann::json_sax<json> {
public:
    explicit DuplicateKeepingBuilder(json& root) : root_(root) {}

    bool null() override { return put(json(nullptr)); }
    bool boolean(bool v) override { return put(json(v)); }
    bool number_integer(number_integer_t v) override { return put(json(v)); }
    bool number_unsigned(number_unsigned_t v) override { return put(json(v)); }
    bool number_float(number_float_t v, const string_t&) override { return put(json(v)); }
    bool string(string_t& v) override { return put(json(v)); }
    bool binary(binary_t& v) override { return put(json::binary(v)); }
    bool start_object(std::size_t) override { return open(json::object()); }
    bool start_array(std::size_t) override { return open(json::array()); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool key(string_t& k) override {
        json& obj = *stack_.back();
        std::string name = k;
        for (int n = 2; obj.contains(name); ++n) name = k + "#" + std::to_string(n);
        if (name != k) notes_.push_back("duplicate key " + path() + "/" + k + " kept as " + name);
        key_ = name;
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
        error_position_ = position;
        error_message_ = ex.what();
        return false;
    }

    std::vector<std::string> notes_;
    std::size_t error_position_ = 0;
    std::string error_message_;

private:
    json* slot(json v) {
        if (stack_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        json& parent = *stack_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(v));
            return &parent.back();
        }
        json& ref = parent[key_];
        ref = std::move(v);
        return &ref;
    }
    bool put(json v) {
        slot(std::move(v));
        return true;
    }
    bool open(json v) {
        json* p = slot(std::move(v));
        stack_.push_back(p);
        keys_.push_back(key_);
        return true;
    }
    bool close() {
        stack_.pop_back();
        keys_.pop_back();
        return true;
    }
    std::string path() const {
        std::string p;
        for (std::size_t i = 1; i < keys_.size(); ++i) p += "/" + keys_[i];
        return p;
    }

    json& root_;
    std::vector<json*> stack_;
    std::vector<std::string> keys_;
    std::string key_;
};

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at
// line 1, column 5: "; keep only the part after the position, ours says where.
std::string short_parse_message(const std::string& what) {
    const auto colon = what.find(": ");
    std::string msg = colon == std::string::npos ? what : what.substr(colon + 2);
    return printable(msg, 160);
}

}  // namespace

std::string line_column(std::string_view text, std::size_t offset) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::vector<JsonObjectSpan> find_json_objects(std::string_view text, std::size_t* complete_end) {
    std::vector<JsonObjectSpan> spans;
    std::size_t pos = 0;
    std::size_t last_end = 0;
    while (true) {
        const auto open = text.find('{', pos);
        if (open == std::string_view::npos) break;
        const auto close = matching_brace(text, open);
        if (close == std::string_view::npos) break;
        spans.push_back({open, close + 1});
        last_end = close + 1;
        pos = close + 1;
    }
    if (complete_end) *complete_end = last_end;
    return spans;
}

Result<Iperf3JsonText, Iperf3ParseError> read_iperf3_json_text(std::string_view text, const std::string& source) {
    if (trim(text).empty()) return fail(Iperf3ParseError{source, "line 1", "empty: no iperf3 output at all"});
    const auto open = text.find('{');
    if (open == std::string_view::npos) {
        return fail(Iperf3ParseError{source, "line 1", "not iperf3 JSON: no '{' anywhere; the input starts with \"" +
                                                           printable(trim(text), 60) + "\""});
    }
    const auto close = matching_brace(text, open);
    if (close == std::string_view::npos) {
        return fail(Iperf3ParseError{
            source, line_column(text, text.size()),
            "truncated JSON: the object opened at " + line_column(text, open) + " never closes (" +
                std::to_string(text.size()) + " bytes read; was iperf3 killed while writing?)"});
    }
    Iperf3JsonText out;
    out.leading_text = std::string(trim(text.substr(0, open)));
    out.trailing_text = std::string(trim(text.substr(close + 1)));
    std::size_t replaced = 0;
    const std::string clean = null_non_finite(text.substr(open, close + 1 - open), replaced);
    if (replaced > 0) out.notes.push_back(std::to_string(replaced) + " nan/inf number(s) read as null");

    DuplicateKeepingBuilder builder(out.document);
    const bool ok = json::sax_parse(clean, &builder, json::input_format_t::json, true, false);
    if (!ok) {
        // Offsets in `clean` equal those in `text` shifted by `open`, except
        // after a replaced nan (one byte longer): close enough to find the spot.
        const std::size_t at = open + (builder.error_position_ > 0 ? builder.error_position_ - 1 : 0);
        return fail(Iperf3ParseError{source, line_column(text, at),
                                     "invalid JSON: " + short_parse_message(builder.error_message_)});
    }
    for (auto& n : builder.notes_) out.notes.push_back(std::move(n));
    return out;
}

}  // namespace besrig
