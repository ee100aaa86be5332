#include "rig/kmsg/report.hpp"

#include <algorithm>

namespace besrig::kmsg {

void SignatureTable::add(const KernelReport& r) {
    ++total_;
    auto it = std::find_if(sigs_.begin(), sigs_.end(), [&](const Signature& s) { return s.first.fingerprint == r.fingerprint; });
    if (it == sigs_.end()) {
        Signature s;
        s.first = r;
        s.first_time_s = r.time_s;
        s.first_wall_s = r.wall_s;
        sigs_.push_back(std::move(s));
        it = sigs_.end() - 1;
    }
    ++it->count;
    if (r.time_s) it->last_time_s = r.time_s;
    if (r.wall_s) it->last_wall_s = r.wall_s;
    if (!it->first_time_s) it->first_time_s = r.time_s;
    if (!it->first_wall_s) it->first_wall_s = r.wall_s;
}

const Signature* SignatureTable::find(const std::string& fingerprint) const {
    for (const auto& s : sigs_)
        if (s.first.fingerprint == fingerprint) return &s;
    return nullptr;
}

std::vector<const Signature*> new_signatures(const SignatureTable& run, const std::vector<std::string>& baseline) {
    std::vector<const Signature*> out;
    for (const auto& s : run.signatures())
        if (std::find(baseline.begin(), baseline.end(), s.first.fingerprint) == baseline.end()) out.push_back(&s);
    return out;
}

}  // namespace besrig::kmsg
