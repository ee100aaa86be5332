// A classified kernel report (one WARNING splat, one BUG, one stall, one
// driver error line ...) and the fold of many reports into signatures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace besrig::kmsg {

struct KernelReport {
    std::string klass;        // WARNING, BUG, KASAN, LOCKDEP, RCU_STALL, SOFT_LOCKUP, HUNG_TASK, PANIC, BES2600, PATTERN ...
    std::string title;        // syzkaller-style: "WARNING in wsm_release_tx_buffer"
    std::string function;     // guilty function (first non-generic frame), normalized
    std::string module;       // its module ("bes2600"), empty for built-in code
    std::string severity;     // "fail" | "warn" | "info"
    std::string fingerprint;  // sha256 hex of class, title and top normalized frames
    std::vector<std::string> frames;  // the normalized frames the fingerprint used
    std::optional<double> time_s;     // kernel time of the header line
    std::optional<double> wall_s;
    std::optional<std::uint64_t> seq; // kmsg sequence number of the header
    std::uint64_t first_line = 0;     // input lines spanned
    std::uint64_t last_line = 0;
    bool panicked = false;            // the kernel panicked as part of / right after it
    bool corrupted = false;           // no usable stack: title from the header only
    std::vector<std::string> text;    // the report's lines (capped)

    std::string short_fingerprint() const { return fingerprint.substr(0, 12); }
    bool is_splat() const { return severity == "fail"; }
};

// Reports folded by fingerprint, in order of first appearance.
struct Signature {
    KernelReport first;               // the first report of this signature
    std::uint64_t count = 0;
    std::optional<double> first_time_s, last_time_s;
    std::optional<double> first_wall_s, last_wall_s;
};

class SignatureTable {
public:
    void add(const KernelReport& r);
    const std::vector<Signature>& signatures() const { return sigs_; }
    const Signature* find(const std::string& fingerprint) const;
    std::uint64_t total() const { return total_; }

private:
    std::vector<Signature> sigs_;
    std::uint64_t total_ = 0;
};

// New-vs-baseline: the signatures of `run` whose fingerprint the baseline never showed.
std::vector<const Signature*> new_signatures(const SignatureTable& run, const std::vector<std::string>& baseline_fingerprints);

}  // namespace besrig::kmsg
