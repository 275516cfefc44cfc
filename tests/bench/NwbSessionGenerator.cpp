// Writes a large Allen-layout NWB session for the conversion benchmark: U units with Poisson spike
// trains (log-normal rates) over a T-second session, their areas and QC columns, and
// natural_movie_one shown in two blocks of 10 repeats of 900 frames at 30 Hz.
// Usage: neurolens-nwb-generate OUT.nwb [SPIKES=1e8] [UNITS=2000]

#include "neurolens/sim/Random.h"

#include <hdf5.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

void write1d(hid_t f, const char* path, hid_t type, hid_t mem, const void* data, hsize_t n)
{
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t ds = H5Dcreate2(f, path, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Dclose(ds);
    H5Sclose(space);
}

void strings(hid_t f, const char* path, const std::vector<std::string>& v)
{
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    std::vector<const char*> p;
    for (const auto& s : v) p.push_back(s.c_str());
    write1d(f, path, type, type, p.data(), p.size());
    H5Tclose(type);
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: neurolens-nwb-generate OUT.nwb [SPIKES=1e8] [UNITS=2000]\n");
        return 2;
    }
    const double totalSpikes = argc > 2 ? std::atof(argv[2]) : 1e8;
    const int U = argc > 3 ? std::atoi(argv[3]) : 2000;
    const double duration = 9000.0;  // 2.5 h
    neurolens::Random rng(7);
    std::vector<double> rate(U);
    double sum = 0;
    for (auto& r : rate) sum += (r = std::exp(rng.normal(0.0, 1.0)));
    for (auto& r : rate) r *= totalSpikes / duration / sum;

    const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    const hid_t f = H5Fcreate(argv[1], H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    for (const char* g : {"/units", "/general/extracellular_ephys/electrodes",
                          "/intervals/natural_movie_one_presentations"})
        H5Gclose(H5Gcreate2(f, g, lcpl, H5P_DEFAULT, H5P_DEFAULT));

    // Spike trains, written unit by unit into one contiguous dataset sized up front.
    std::vector<std::vector<double>> trains(1);
    std::vector<std::int64_t> index(U);
    std::vector<std::size_t> counts(U);
    std::size_t total = 0;
    for (int u = 0; u < U; ++u) total += counts[u] = rng.poisson(rate[u] * duration);
    hsize_t n = total;
    const hid_t space = H5Screate_simple(1, &n, nullptr);
    const hid_t ds = H5Dcreate2(f, "/units/spike_times", H5T_IEEE_F64LE, space, H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT);
    std::size_t offset = 0;
    std::vector<double> train;
    for (int u = 0; u < U; ++u) {
        train.resize(counts[u]);
        double t = 0;
        const double meanGap = duration / double(counts[u] + 1);
        for (auto& s : train) s = (t += -std::log(1.0 - rng.uniform()) * meanGap);
        hsize_t start = offset, count = counts[u];
        if (count > 0) {
            const hid_t mem = H5Screate_simple(1, &count, nullptr);
            H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, nullptr, &count, nullptr);
            H5Dwrite(ds, H5T_NATIVE_DOUBLE, mem, space, H5P_DEFAULT, train.data());
            H5Sclose(mem);
        }
        offset += counts[u];
        index[u] = std::int64_t(offset);
    }
    H5Dclose(ds);
    H5Sclose(space);
    write1d(f, "/units/spike_times_index", H5T_STD_I64LE, H5T_NATIVE_INT64, index.data(),
            index.size());

    std::vector<std::int64_t> ids(U), peak(U), electrodeIds(U);
    std::vector<double> amplitude(U, 0.01), presence(U, 0.99), isi(U, 0.1);
    std::vector<std::string> quality(U, "good"), location(U);
    const char* areas[] = {"VISp", "VISl", "VISal", "LGd", "CA1"};
    for (int u = 0; u < U; ++u) {
        ids[u] = 950000000 + u;
        peak[u] = electrodeIds[u] = 850000000 + u;
        location[u] = areas[u % 5];
        if (u % 7 == 0) quality[u] = "noise";
    }
    write1d(f, "/units/id", H5T_STD_I64LE, H5T_NATIVE_INT64, ids.data(), ids.size());
    write1d(f, "/units/peak_channel_id", H5T_STD_I64LE, H5T_NATIVE_INT64, peak.data(), peak.size());
    write1d(f, "/units/amplitude_cutoff", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, amplitude.data(),
            amplitude.size());
    write1d(f, "/units/presence_ratio", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, presence.data(),
            presence.size());
    write1d(f, "/units/isi_violations", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, isi.data(), isi.size());
    strings(f, "/units/quality", quality);
    write1d(f, "/general/extracellular_ephys/electrodes/id", H5T_STD_I64LE, H5T_NATIVE_INT64,
            electrodeIds.data(), electrodeIds.size());
    strings(f, "/general/extracellular_ephys/electrodes/location", location);

    std::vector<double> start, stop, frame, block;
    for (double blockStart : {1000.0, 5000.0})
        for (int r = 0; r < 10; ++r)
            for (int j = 0; j < 900; ++j) {
                const double s = blockStart + r * 30.05 + j / 30.0;
                start.push_back(s);
                stop.push_back(s + 1 / 30.0);
                frame.push_back(j);
                block.push_back(blockStart < 2000 ? 2 : 8);
            }
    const char* t = "/intervals/natural_movie_one_presentations/";
    write1d(f, (std::string(t) + "start_time").c_str(), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
            start.data(), start.size());
    write1d(f, (std::string(t) + "stop_time").c_str(), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
            stop.data(), stop.size());
    write1d(f, (std::string(t) + "frame").c_str(), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, frame.data(),
            frame.size());
    write1d(f, (std::string(t) + "stimulus_block").c_str(), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
            block.data(), block.size());
    H5Fclose(f);
    H5Pclose(lcpl);
    std::printf("{\"spikes\": %zu, \"units\": %d}\n", total, U);
    return 0;
}
