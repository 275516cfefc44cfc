#include "neurolens/data/Recording.h"

#include "neurolens/data/Error.h"
#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace neurolens {

void checkResponseValues(const float* v, std::int64_t count, bool continuous, int bins, int units,
                         std::int64_t first, const std::string& source)
{
    // One branch-free pass on every core; the offending value is looked for only when there is one.
    constexpr int kChunks = 32;
    std::array<char, kChunks> badIn{};
    parallelForChunks(count, kChunks, [&](int c, std::int64_t a, std::int64_t b) {
        // Bitwise, not short-circuit, so that each loop vectorises.
        constexpr float kMax = std::numeric_limits<float>::max();
        bool any = false;
        if (continuous)
            for (std::int64_t i = a; i < b; ++i) any |= !(std::fabs(v[i]) <= kMax);
        else
            for (std::int64_t i = a; i < b; ++i) {
                const float x = v[i];
                any |= !((x >= 0.0f) & (x <= kMax));
            }
        badIn[std::size_t(c)] = any;
    });
    const bool bad = std::any_of(badIn.begin(), badIn.end(), [](char c) { return c != 0; });
    const std::int64_t U = units, B = bins;
    for (std::int64_t i = 0; bad && i < count; ++i) {
        if (!std::isfinite(v[i]) || (v[i] < 0.0f && !continuous)) {
            const std::int64_t at = first + i;
            throw InputError(source, "/responses/counts",
                             std::string(std::isfinite(v[i]) ? "negative" : "non-finite") +
                                 (continuous ? " value" : " count") + " at repeat " +
                                 std::to_string(at / (U * B)) + ", bin " +
                                 std::to_string((at / U) % B) + ", unit " + std::to_string(at % U));
        }
    }
}

UnitTable UnitTable::subset(const std::vector<int>& rows) const
{
    UnitTable out;
    out.id.reserve(rows.size());
    out.area.reserve(rows.size());
    for (int r : rows) {
        out.id.push_back(id.at(r));
        out.area.push_back(area.at(r));
    }
    for (const auto& [name, column] : qc) {
        auto& dst = out.qc[name];
        dst.reserve(rows.size());
        for (int r : rows) dst.push_back(column.at(r));
    }
    return out;
}

std::map<std::string, int> UnitTable::areaCounts() const
{
    std::map<std::string, int> counts;
    for (const auto& a : area) ++counts[a];
    return counts;
}

double Stimulus::sessionTime(int repeat, int bin, int bins) const
{
    const std::size_t i = std::size_t(repeat) * std::size_t(bins) + std::size_t(bin);
    return i < time.size() ? time[i] : std::numeric_limits<double>::quiet_NaN();
}

int Stimulus::frameCount() const
{
    if (frame.empty()) return 0;
    // In 64 bits: an index of 2^31 - 1 read from a file must not wrap.
    const std::int64_t last = *std::max_element(frame.begin(), frame.end());
    return int(std::min<std::int64_t>(last + 1, std::numeric_limits<int>::max()));
}

void Recording::validate(ResponseValues responseValues) const
{
    auto fail = [&](const std::string& object, const std::string& message) {
        throw InputError(source, object, message);
    };
    const Responses& r = responses;
    const int U = r.units();
    if (r.empty() || r.repeats() == 0 || r.bins() == 0 || U == 0)
        fail("/responses/counts", "the recording holds no responses (zero repeats, bins or units)");
    if (units.size() != U)
        fail("/units/id", "has " + std::to_string(units.size()) + " rows but the responses have " +
                              std::to_string(U) + " units");
    if (int(units.area.size()) != U)
        fail("/units/area", "has " + std::to_string(units.area.size()) + " rows but there are " +
                                std::to_string(U) + " units");
    for (const auto& [name, column] : units.qc)
        if (int(column.size()) != U)
            fail("/units/" + name, "has " + std::to_string(column.size()) + " rows but there are " +
                                       std::to_string(U) + " units");
    if (int(stimulus.frame.size()) != r.bins())
        fail("/stimulus/frame", "has " + std::to_string(stimulus.frame.size()) +
                                    " entries but each repeat has " + std::to_string(r.bins()) +
                                    " bins");
    if (int(stimulus.block.size()) != r.repeats())
        fail("/stimulus/block", "has " + std::to_string(stimulus.block.size()) +
                                    " entries but there are " + std::to_string(r.repeats()) +
                                    " repeats");
    if (!stimulus.time.empty() && stimulus.time.size() != std::size_t(r.samples()))
        fail("/stimulus/time", "has " + std::to_string(stimulus.time.size()) +
                                   " entries but there are " + std::to_string(r.samples()) +
                                   " bins in all (repeats x bins)");
    for (std::size_t i = 0; i < stimulus.time.size(); ++i)
        if (!std::isfinite(stimulus.time[i]))
            fail("/stimulus/time", "holds a time that is not a finite number at repeat " +
                                       std::to_string(i / std::size_t(r.bins())) + ", bin " +
                                       std::to_string(i % std::size_t(r.bins())));
    for (const auto& [name, values] : behaviour) {
        const std::string object = "/behaviour/" + name;
        if (name.empty() || name.find('/') != std::string::npos)
            fail(object, "is not a valid behaviour name (empty, or with a '/')");
        if (values.size() != std::size_t(r.samples()))
            fail(object, "has " + std::to_string(values.size()) + " values but there are " +
                             std::to_string(r.samples()) + " bins in all (repeats x bins)");
        for (std::size_t i = 0; i < values.size(); ++i)
            if (std::isinf(values[i]))
                fail(object, "holds an infinite value at repeat " +
                                 std::to_string(i / std::size_t(r.bins())) + ", bin " +
                                 std::to_string(i % std::size_t(r.bins())));
    }
    for (std::size_t b = 0; b < stimulus.frame.size(); ++b) {
        const std::int32_t f = stimulus.frame[b];
        if (f < 0)
            fail("/stimulus/frame", "holds a negative frame index (" + std::to_string(f) + ")");
        if (f >= Stimulus::kMaxFrames)
            fail("/stimulus/frame", "bin " + std::to_string(b) + " shows frame " +
                                        std::to_string(f) + ", beyond the " +
                                        std::to_string(Stimulus::kMaxFrames) +
                                        " frames a movie may have here (a damaged index?)");
    }
    {
        // Units are told apart by their ids (exports, sessions, the unit table).
        std::vector<std::int64_t> ids(units.id.begin(), units.id.end());
        std::sort(ids.begin(), ids.end());
        const auto twice = std::adjacent_find(ids.begin(), ids.end());
        if (twice != ids.end())
            fail("/units/id", "holds the unit id " + std::to_string(*twice) + " more than once");
    }
    if (r.bins() % r.binsPerFrame() != 0)
        fail("/responses/counts", std::to_string(r.bins()) +
                                      " bins per repeat is not a multiple of " +
                                      std::to_string(r.binsPerFrame()) + " bins per frame");
    if (responseValues == ResponseValues::Scan)
        checkResponseValues(r.values().data(), std::int64_t(r.values().size()), r.continuous(),
                            r.bins(), r.units(), 0, source);
    if (movie) {
        if (movie->frames < frames())
            fail("/movie/frames", "has " + std::to_string(movie->frames) +
                                      " frames but the stimulus shows frame " +
                                      std::to_string(frames() - 1));
        if (movie->pixels.size() != std::size_t(movie->frames) * movie->height * movie->width)
            fail("/movie/frames", "pixel buffer does not match its shape");
    }
    for (const auto& [name, f] : features) {
        if (!f.values.allFinite())
            fail("/features/" + name, "holds values that are not finite numbers (NaN or infinite)");
        if (f.values.rows() != frames())
            fail("/features/" + name, "has " + std::to_string(f.values.rows()) +
                                          " rows but the movie has " + std::to_string(frames()) +
                                          " frames");
    }
    for (const auto& [name, e] : results)
        if (e.values.rows() != r.samples())
            fail("/results/" + name, "has " + std::to_string(e.values.rows()) +
                                         " rows but there are " + std::to_string(r.samples()) +
                                         " samples");
}

}  // namespace neurolens
