// The MLP alignment decoder (LibTorch): on a nonlinear planted map it explains more than ridge, and
// it is reproducible from its seed.
#include "neurolens/models/Alignment.h"
#include "neurolens/sim/Random.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace neurolens;

TEST(AlignmentMlp, BeatsRidgeOnANonlinearMapAndIsReproducible)
{
    Random rng(7);
    const int bins = 100, dims = 3, units = 20, repeats = 10;
    RowMatrixXf perBin(bins, dims);
    for (int i = 0; i < perBin.size(); ++i) perBin.data()[i] = float(rng.normal());
    Eigen::MatrixXf A(dims, units);
    for (int i = 0; i < A.size(); ++i) A.data()[i] = float(rng.normal());
    Recording rec;
    rec.stimulus.frame.resize(bins);
    for (int b = 0; b < bins; ++b) rec.stimulus.frame[std::size_t(b)] = b;
    rec.stimulus.block.assign(repeats, 0);
    rec.responses = Responses(repeats, bins, units, 1, 30.0);
    RowMatrixXf latents(repeats * bins, dims);
    for (int r = 0; r < repeats; ++r)
        for (int b = 0; b < bins; ++b) {
            latents.row(r * bins + b) = perBin.row(b);
            const Eigen::RowVectorXf drive = perBin.row(b) * A;
            for (int u = 0; u < units; ++u)
                rec.responses.at(r, b, u) = float(std::pow(drive[u], 2) + 0.2 * rng.normal());
        }
    for (int u = 0; u < units; ++u) {
        rec.units.id.push_back(u);
        rec.units.area.push_back("VISp");
    }
    const AlignmentResult ridge = alignLatents(rec, latents, {});
    AlignmentOptions o;
    o.model = AlignmentOptions::Model::Mlp;
    const AlignmentResult mlp = alignLatents(rec, latents, o);
    EXPECT_GT(mlp.r2, ridge.r2 + 0.3);
    EXPECT_GT(mlp.epochs, 0);
    EXPECT_EQ(alignLatents(rec, latents, o).r2, mlp.r2);
}
