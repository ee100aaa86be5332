#include "rig/kmsg/triage.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig::kmsg {
namespace {

// Folds reports into the table as they complete, keeping nothing else.
class TriageSink : public RecordSink {
public:
    TriageSink(TriageResult& result, const ClassifierOptions& options) : result_(result), classifier_(options) {}
    void on_record(const LogRecord& record) override {
        classifier_.feed(record, pending_);
        drain();
    }
    void on_gap(const SequenceGap& gap) override { result_.gaps.push_back(gap); }
    void finish() {
        classifier_.flush(pending_);
        drain();
    }

private:
    void drain() {
        for (const auto& r : pending_) result_.signatures.add(r);
        pending_.clear();
    }
    TriageResult& result_;
    KernelLogClassifier classifier_;
    std::vector<KernelReport> pending_;
};

// Closes the descriptor on every path.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

// A read-only mapping of a whole regular file, unmapped on every path.
struct Mapping {
    void* base = MAP_FAILED;
    std::size_t size = 0;
    ~Mapping() {
        if (base != MAP_FAILED) ::munmap(base, size);
    }
};

constexpr std::size_t k_chunk = 1 << 20;

void finish_result(TriageResult& result, RecordReader& reader, TriageSink& sink) {
    reader.finish();
    sink.finish();
    result.lines = reader.lines();
    result.records = reader.records();
    result.lost_records = reader.lost();
}

}  // namespace

TriageResult triage_bytes(std::string name, std::string_view data, const ClassifierOptions& options, std::size_t chunk) {
    TriageResult result;
    result.name = std::move(name);
    TriageSink sink(result, options);
    RecordReader reader(sink);
    reader.keep_text(false);  // the sink keeps reports, never records
    if (chunk == 0) chunk = data.size() ? data.size() : 1;
    for (std::size_t off = 0; off < data.size(); off += chunk) reader.feed(data.substr(off, chunk));
    reader.finish();
    sink.finish();
    result.bytes = data.size();
    result.lines = reader.lines();
    result.records = reader.records();
    result.lost_records = reader.lost();
    return result;
}

TriageResult triage_file(const std::filesystem::path& path, const ClassifierOptions& options) {
    Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (f.fd < 0) throw_usage("cannot read " + path.string() + ": " + std::strerror(errno));
    TriageResult result;
    result.name = path.string();
    TriageSink sink(result, options);
    RecordReader reader(sink);
    reader.keep_text(false);  // the sink keeps reports, never records
    // A regular file is mapped rather than read: no copy of every byte into a
    // buffer (the largest cost after the scan itself). It is fed in the same
    // 1 MiB pieces as a read would give, so the result is the same either way.
    // (A file cut shorter while it is mapped would end the process with SIGBUS;
    // saved logs are not.)
    struct stat st {};
    if (::fstat(f.fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        Mapping m;
        m.size = static_cast<std::size_t>(st.st_size);
        m.base = ::mmap(nullptr, m.size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, f.fd, 0);
        if (m.base != MAP_FAILED) {
            ::madvise(m.base, m.size, MADV_SEQUENTIAL);
            const std::string_view data(static_cast<const char*>(m.base), m.size);
            for (std::size_t off = 0; off < data.size(); off += k_chunk) reader.feed(data.substr(off, k_chunk));
            result.bytes = m.size;
            finish_result(result, reader, sink);
            return result;
        }
    }
    std::string buf(k_chunk, '\0');
    while (true) {
        const ssize_t n = ::read(f.fd, buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_usage("cannot read " + path.string() + ": " + std::strerror(errno));
        }
        if (n == 0) break;
        result.bytes += static_cast<std::uint64_t>(n);
        reader.feed(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    }
    finish_result(result, reader, sink);
    return result;
}

}  // namespace besrig::kmsg
