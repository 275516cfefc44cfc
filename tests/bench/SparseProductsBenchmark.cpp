// Times the logistic regression's two sparse products on a native file's counts (the default
// preprocessing: silent units dropped, one sample per frame), against an operand of CLASSES columns
// (default 900, a movie's frames): the logits along a direction, A D, row by row
// (parallelSparseTimesDense), rounded to half precision (parallelSparseTimesHalf: through the
// counts' column blocks, except on AVX-512), and as the solver takes it on counts, rounded to 8
// bits (SparseCounts: VNNI where the CPU has it); and the gradient A^T R. Prints one JSON object
// with the density and each product's median and fastest of REPEATS runs, in milliseconds. Usage:
// neurolens-sparse-bench FILE [REPEATS] [CLASSES]

#include "linalg/SparseCounts.h"
#include "linalg/SparseHalf.h"
#include "linalg/SparseRows.h"
#include "neurolens/io/ReaderRegistry.h"
#include "neurolens/linalg/Simd.h"
#include "neurolens/preprocess/Preprocess.h"
#include "neurolens/sim/Random.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <vector>

using namespace neurolens;

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: neurolens-sparse-bench FILE [REPEATS] [CLASSES]\n");
        return 2;
    }
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 21;
    const int classes = argc > 3 ? std::max(1, std::atoi(argv[3])) : 900;
    const Recording rec = ReaderRegistry::standard().read(argv[1]);
    const PreprocessResult pre = preprocess(rec, {});
    const RowMatrixXf X = pre.recording.responses.sampleMatrix();
    const int n = int(X.rows()), d = int(X.cols());
    const SparseRows A = SparseRows::fromDense(X.data(), n, d);
    const SparseTransposedBlocks At = SparseTransposedBlocks::of(A);
    const SparseProduct product(A);
    Random rng(1);
    std::vector<float> D(std::size_t(d) * std::size_t(classes)),
        R(std::size_t(n) * std::size_t(classes));
    for (float& v : D) v = float(rng.normal());
    for (float& v : R) v = float(rng.normal());
    HalfRounded rounded;
    rounded.assign(D.data(), d, classes);
    std::optional<SparseCounts> counts = SparseCounts::of(A);
    const std::vector<double> Dd(D.begin(), D.end()), ones(std::size_t(d), 1.0),
        offset(std::size_t(classes), 0.0);
    Int8Columns int8;
    int8.assign(Dd.data(), ones.data(), d, classes);
    std::vector<float> logits(std::size_t(n) * std::size_t(classes)),
        gradient(std::size_t(d) * std::size_t(classes));
    // Median and fastest of `repeats` runs, in ms.
    auto time = [&](const std::function<void()>& run) {
        std::vector<double> ms;
        for (int i = 0; i < repeats; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            run();
            ms.push_back(
                1e3 * std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        std::sort(ms.begin(), ms.end());
        return std::make_pair(ms[ms.size() / 2], ms.front());
    };
    const auto rows =
        time([&] { parallelSparseTimesDense(A, rounded.value.data(), classes, logits.data()); });
    const auto half = time([&] { parallelSparseTimesHalf(product, rounded, logits.data()); });
    const auto eight = counts ? time([&] { counts->times(int8, offset.data(), logits.data()); })
                              : std::make_pair(-1.0, -1.0);
    const auto transposed =
        time([&] { parallelSparseTransposedTimesDense(At, R.data(), classes, gradient.data()); });
    std::printf(
        "{\"simd\": \"%s\", \"samples\": %d, \"units\": %d, \"classes\": %d, \"density\": %.4f, "
        "\"rows_ms\": [%.2f, %.2f], \"half_ms\": [%.2f, %.2f], \"counts_int8_ms\": [%.2f, %.2f], "
        "\"transposed_ms\": [%.2f, %.2f]}\n",
        simdLevelName(simdLevel()), n, d, classes, A.density(), rows.first, rows.second, half.first,
        half.second, eight.first, eight.second, transposed.first, transposed.second);
    return 0;
}
