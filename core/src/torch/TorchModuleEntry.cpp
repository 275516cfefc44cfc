#include "TorchEngines.h"
#include "io/TorchTensorFile.h"

extern "C" const neurolens::TorchModule* neurolens_torch_module()
{
    static const neurolens::TorchModule module = [] {
        neurolens::TorchModule m;
        m.makeCebra = &neurolens::makeTorchCebra;
        m.makeVae = &neurolens::makeTorchVae;
        m.vaeKlDivergence = &neurolens::torchVaeKlDivergence;
        m.alignWithMlp = &neurolens::torchAlignWithMlp;
        m.readTensor = &neurolens::torchfile::readWithTorch;
        m.setThreads = &neurolens::setTorchThreads;
        return m;
    }();
    return &module;
}
