// t-SNE: FFT-accelerated in 2D, Barnes-Hut in 3D; streams its layout while it optimises.
#include "neurolens/embed/EmbeddingMethod.h"
#include "neurolens/embed/Tsne.h"

#include <algorithm>
#include <sstream>

namespace neurolens {

EmbeddingSpec tsneEmbedding()
{
    using Kind = ParameterSpec::Kind;
    EmbeddingSpec m;
    m.name = "tsne";
    m.title = "t-SNE";
    m.help = "t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008)";
    m.minDims = 2;
    m.maxDims = 3;
    m.streams = true;
    m.parameters = {
        {"perplexity",
         "Perplexity",
         "Effective number of neighbours (default 30)",
         Kind::Real,
         30,
         0,
         10000,
         true,
         true,
         {}},
        {"iterations",
         "Iterations",
         "Gradient steps, the first 250 exaggerated (default 1000)",
         Kind::Integer,
         1000,
         1,
         100000,
         false,
         false,
         {}},
        {"exaggeration",
         "Exaggeration",
         "Early exaggeration of the affinities (default 12)",
         Kind::Real,
         12,
         1,
         1000,
         false,
         false,
         {}},
        {"learning-rate",
         "Learning rate",
         "0: max(N / exaggeration / 4, 50)",
         Kind::Real,
         0,
         0,
         1e7,
         false,
         false,
         {}},
        {"init",
         "Start",
         "pca (the first components, scaled) or random",
         Kind::Choice,
         0,
         0,
         0,
         false,
         false,
         {"pca", "random"}},
        {"repulsion",
         "Repulsion",
         "auto (FFT in 2D from 2 000 points, else Barnes-Hut), fft or bh",
         Kind::Choice,
         0,
         0,
         0,
         false,
         false,
         {"auto", "fft", "bh"}},
    };
    m.run = [](const RowMatrixXf& rows, const EmbeddingRequest& r, Progress& progress,
               const EmbeddingCallback& onLayout) {
        const Parameters& p = r.parameters;
        TsneOptions o;
        o.dims = r.dims;
        o.perplexity = p.number("perplexity");
        o.iterations = p.integer("iterations");
        o.exaggerationIterations = std::min(250, o.iterations);
        o.exaggeration = p.number("exaggeration");
        o.learningRate = p.number("learning-rate");
        o.init = p.choice("init") == "random" ? TsneOptions::Init::Random : TsneOptions::Init::Pca;
        const std::string& repulsion = p.choice("repulsion");
        o.repulsion = repulsion == "fft"  ? TsneOptions::Repulsion::Fft
                      : repulsion == "bh" ? TsneOptions::Repulsion::BarnesHut
                                          : TsneOptions::Repulsion::Auto;
        o.seed = r.seed;
        o.threads = r.threads;
        o.reportEvery = onLayout ? 1 : 0;  // every iteration: a caller that pauses answers at once
        const TsneLayoutCallback callback = [&](const RowMatrixXf& layout, int iteration) {
            return onLayout(layout, iteration, o.iterations);
        };
        const TsneResult t = runTsne(rows, o, progress, onLayout ? callback : TsneLayoutCallback());
        EmbeddingRun out;
        out.layout = t.layout;
        out.numbers["kl_divergence"] = t.klDivergence;
        out.numbers["iterations"] = t.iterations;
        out.numbers["seconds"] = t.seconds;
        std::ostringstream s;
        s.precision(3);
        s << "KL divergence " << t.klDivergence << " after " << t.iterations << " iterations ("
          << t.repulsion << ")";
        out.summary = s.str();
        return out;
    };
    return m;
}

}  // namespace neurolens
