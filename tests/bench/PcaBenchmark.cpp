// Times neurolens' PCA on the responses of a native file (after the default preprocessing: silent
// units dropped, one sample per frame). Prints one JSON object: samples, units, seconds (median of
// REPEATS runs, full spectrum and the 3 leading axes), seconds_all_axes (every axis),
// components_90. Driven by pca_vs_sklearn.py, which times scikit-learn on the same data. Usage:
// neurolens-pca-bench FILE [REPEATS]

#include "neurolens/embed/Pca.h"
#include "neurolens/io/ReaderRegistry.h"
#include "neurolens/preprocess/Preprocess.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace neurolens;

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: neurolens-pca-bench FILE [REPEATS]\n");
        return 2;
    }
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    const Recording rec = ReaderRegistry::standard().read(argv[1]);
    const PreprocessResult pre = preprocess(rec, {});
    const auto X = pre.recording.responses.sampleMatrix();
    int c90 = 0;
    // Median time of fitPca keeping `keep` axes (all eigenvalues are always computed).
    auto median = [&](int keep) {
        std::vector<double> seconds;
        for (int i = 0; i < repeats; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            const PcaResult pca = fitPca(X, keep);
            seconds.push_back(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            c90 = pca.componentsFor(0.90);
        }
        std::sort(seconds.begin(), seconds.end());
        return seconds[seconds.size() / 2];
    };
    const double three = median(3), all = median(-1);
    std::printf(
        "{\"samples\": %ld, \"units\": %ld, \"seconds\": %.6f, \"seconds_all_axes\": %.6f, "
        "\"components_90\": %d}\n",
        long(X.rows()), long(X.cols()), three, all, c90);
    return 0;
}
