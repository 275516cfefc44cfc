// Principal component analysis: the projection on the leading axes.
#include "neurolens/data/Error.h"
#include "neurolens/embed/EmbeddingMethod.h"
#include "neurolens/embed/Pca.h"

#include <sstream>

namespace neurolens {

EmbeddingSpec pcaEmbedding()
{
    EmbeddingSpec m;
    m.name = "pca";
    m.title = "PCA";
    m.help = "principal components: the projection on the axes of largest variance";
    m.maxDims = 1000;
    m.run = [](const RowMatrixXf& rows, const EmbeddingRequest& r, Progress& progress,
               const EmbeddingCallback&) {
        if (r.dims > std::min<Eigen::Index>(rows.rows(), rows.cols()))
            throw UsageError("pca: " + std::to_string(r.dims) + " components of " +
                             std::to_string(rows.rows()) + " samples x " +
                             std::to_string(rows.cols()) + " features");
        SubProgress fit(progress, 0.0, 0.9);
        const PcaResult pca = fitPca(rows, r.dims, fit);
        EmbeddingRun out;
        out.layout = pca.transform(rows, r.dims);
        const double explained = pca.explainedVarianceRatio.head(r.dims).sum();
        out.numbers["explained_variance_ratio"] = explained;
        std::ostringstream s;
        s.precision(3);
        s << r.dims << " components explain " << 100 * explained << " % of the variance";
        out.summary = s.str();
        return out;
    };
    return m;
}

}  // namespace neurolens
