#pragma once
// The LibTorch module's engines, gathered by TorchModuleEntry.cpp into the table core loads.

#include "models/TorchModule.h"

namespace neurolens {

std::unique_ptr<Cebra::Impl> makeTorchCebra(const Recording& analysed, CebraOptions options);
std::unique_ptr<Vae::Impl> makeTorchVae(VaeData data, VaeOptions options);
double torchVaeKlDivergence(const RowMatrixXf& mu, const RowMatrixXf& logvar);
AlignmentResult torchAlignWithMlp(const RowMatrixXf& xTrain, const RowMatrixXf& yTrain,
                                  const RowMatrixXf& xVal, const RowMatrixXf& yVal,
                                  const RowMatrixXf& xTest, const RowMatrixXf& yTest,
                                  const AlignmentOptions& o, Progress& progress);
void setTorchThreads(int threads);

}  // namespace neurolens
