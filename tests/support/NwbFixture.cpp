#include "NwbFixture.h"

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace neurolens::test {
namespace {

void check(herr_t status, const char* what)
{
    if (status < 0) throw std::runtime_error(std::string("fixture: ") + what);
}

hid_t group(hid_t file, const char* path)
{
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    const hid_t g = H5Gcreate2(file, path, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Pclose(lcpl);
    return g;
}

void dataset(hid_t file, const std::string& path, hid_t fileType, hid_t memType, const void* data,
             hsize_t n)
{
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t ds =
        H5Dcreate2(file, path.c_str(), fileType, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    check(ds, path.c_str());
    if (n > 0) check(H5Dwrite(ds, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), path.c_str());
    H5Dclose(ds);
    H5Sclose(space);
}

void doubles(hid_t f, const std::string& path, const std::vector<double>& v)
{
    dataset(f, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), v.size());
}

void int64s(hid_t f, const std::string& path, const std::vector<std::int64_t>& v,
            hid_t fileType = H5T_STD_I64LE)
{
    dataset(f, path, fileType, H5T_NATIVE_INT64, v.data(), v.size());
}

void strings(hid_t f, const std::string& path, const std::vector<std::string>& v, bool fixed)
{
    const hid_t type = H5Tcopy(H5T_C_S1);
    if (fixed) {
        std::size_t width = 1;
        for (const auto& s : v) width = std::max(width, s.size());
        H5Tset_size(type, width);
        H5Tset_strpad(type, H5T_STR_NULLPAD);
        std::vector<char> buffer(width * v.size(), '\0');
        for (std::size_t i = 0; i < v.size(); ++i)
            std::copy(v[i].begin(), v[i].end(), buffer.begin() + long(i * width));
        dataset(f, path, type, type, buffer.data(), v.size());
    } else {
        H5Tset_size(type, H5T_VARIABLE);
        H5Tset_cset(type, H5T_CSET_UTF8);
        std::vector<const char*> ptrs;
        for (const auto& s : v) ptrs.push_back(s.c_str());
        dataset(f, path, type, type, ptrs.data(), v.size());
    }
    H5Tclose(type);
}

// h5py's boolean: an int8 enum {FALSE = 0, TRUE = 1}.
void bools(hid_t f, const std::string& path, const std::vector<std::int8_t>& v)
{
    const hid_t type = H5Tenum_create(H5T_NATIVE_INT8);
    const std::int8_t no = 0, yes = 1;
    H5Tenum_insert(type, "FALSE", &no);
    H5Tenum_insert(type, "TRUE", &yes);
    dataset(f, path, type, type, v.data(), v.size());
    H5Tclose(type);
}

}  // namespace

std::vector<double> extraUnitSpikes(int k)
{
    std::vector<double> t;
    for (int m = 0; m <= k % 23; ++m) t.push_back(10.0 + double((m * (k + 3)) % 600) * 1e-3 + 5e-4);
    return t;
}

void writeNwbFixture(const std::string& path, const NwbFixtureOptions& o)
{
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    check(f, "create");
    for (const char* g : {"/units", "/general/extracellular_ephys/electrodes",
                          "/intervals/natural_movie_one_presentations",
                          "/intervals/spontaneous_presentations", "/acquisition", "/processing"})
        H5Gclose(group(f, g));

    // Electrodes: two VISp channels (one invalid), one VISl, one outside the brain ("").
    int64s(f, "/general/extracellular_ephys/electrodes/id", {100, 101, 102, 103});
    strings(f, "/general/extracellular_ephys/electrodes/location", {"VISp", "VISl", "", "VISp"},
            o.fixedLengthLocation);
    bools(f, "/general/extracellular_ephys/electrodes/valid_data", {1, 1, 1, 0});

    // Units: 0 (VISp) and 1 (VISl) pass the filter; 2 is noise, 3 outside the brain, 4 on an
    // invalid channel, 5 fails amplitude_cutoff, 6 has a NaN isi_violations.
    std::vector<std::int64_t> ids = {11, 12, 13, 14, 15, 16, 17},
                              peak = {100, 101, 100, 102, 103, 100, 101};
    std::vector<std::string> quality = {"good", "good", "noise", "good", "good", "good", "good"};
    std::vector<double> cutoff = {0.01, 0.05, 0.01, 0.01, 0.01, 0.5, 0.01},
                        presence = {0.99, 0.96, 0.99, 0.99, 0.99, 0.99, 0.99},
                        isi = {0.1, 0.2, 0.1, 0.1, 0.1, 0.1, std::nan("")},
                        rate = {3.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    // Unit 0's spikes are stored out of order on purpose.
    std::vector<std::vector<double>> spikes = {
        {10.27, 10.01, 10.61, 10.07, 5.0, 10.06, 20.04, 10.30},
        {10.12, 10.47, 20.57, 30.02},
        {10.0, 10.1},
        {10.2},
        {},
        {10.05, 10.35},
        {10.5}};
    for (int k = 0; k < o.extraUnits; ++k) {
        ids.push_back(1000 + k);
        peak.push_back(100);
        quality.emplace_back("good");
        cutoff.push_back(k % 3 == 2 ? 0.5 : 0.01);
        presence.push_back(0.99);
        isi.push_back(0.1);
        rate.push_back(1.0);
        spikes.push_back(extraUnitSpikes(k));
    }
    int64s(f, "/units/id", ids);
    int64s(f, "/units/peak_channel_id", peak);
    strings(f, "/units/quality", quality, false);
    doubles(f, "/units/amplitude_cutoff", cutoff);
    doubles(f, "/units/presence_ratio", presence);
    doubles(f, "/units/isi_violations", isi);
    doubles(f, "/units/firing_rate", rate);
    std::vector<double> all;
    std::vector<std::int64_t> index;
    for (const auto& s : spikes) {
        all.insert(all.end(), s.begin(), s.end());
        index.push_back(std::int64_t(all.size()));
    }
    if (o.indexPastEnd) index[3] = std::int64_t(all.size()) + 5;
    if (o.decreasingIndex) std::swap(index[1], index[2]);
    doubles(f, "/units/spike_times", all);
    if (!o.dropIndex) int64s(f, "/units/spike_times_index", index, o.indexType);

    // natural_movie_one: a 3-frame movie at 10 Hz, two blocks of two repeats.
    std::vector<double> start, stop, frame, block;
    for (double blockStart : {10.0, 20.0})
        for (int r = 0; r < 2; ++r)
            for (int j = 0; j < 3; ++j) {
                start.push_back(blockStart + 0.3 * r + 0.1 * j);
                stop.push_back(blockStart + 0.3 * r + 0.1 * (j + 1));
                frame.push_back(j);
                block.push_back(blockStart < 15 ? 2.0 : 7.0);
            }
    if (o.nanPresentation) stop[4] = std::nan("");
    if (o.hugeFrame) frame[4] = 1e9;
    const std::string nm1 = "/intervals/natural_movie_one_presentations";
    doubles(f, nm1 + "/start_time", start);
    doubles(f, nm1 + "/stop_time", stop);
    doubles(f, nm1 + "/frame", frame);
    doubles(f, nm1 + "/stimulus_block", block);
    int64s(f, nm1 + "/id", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    // The shuffled movie: each repeat shows frames 0-2 once in a random order (2, 0, 1 then 1, 2,
    // 0).
    const std::string sh = "/intervals/natural_movie_one_shuffled_presentations";
    H5Gclose(group(f, sh.c_str()));
    doubles(f, sh + "/start_time", {30.0, 30.1, 30.2, 30.3, 30.4, 30.5});
    doubles(f, sh + "/stop_time", {30.1, 30.2, 30.3, 30.4, 30.5, 30.6});
    doubles(f, sh + "/frame", {2, 0, 1, 1, 2, 0});
    doubles(f, sh + "/stimulus_block", {9, 9, 9, 9, 9, 9});
    // A table without a frame column is not a movie.
    doubles(f, "/intervals/spontaneous_presentations/start_time", {0.0});
    doubles(f, "/intervals/spontaneous_presentations/stop_time", {5.0});
    H5Fclose(f);
}

}  // namespace neurolens::test
