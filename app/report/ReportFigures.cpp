#include "ReportFigures.h"

#include "neurolens/data/Error.h"

#ifdef NEUROLENS_WITH_FIGURES
#include "neurolens/figures/FigureFile.h"
#include "neurolens/figures/PlotFigure.h"

#include <QGuiApplication>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#endif

namespace neurolens {

#ifndef NEUROLENS_WITH_FIGURES

bool reportFiguresAvailable()
{
    return false;
}
std::vector<ReportFigure> writeReportFigures(const StudyResults&, const std::string&, Progress&)
{
    return {};
}
ReportFigure writeSignificanceFigure(const SignificanceResult&, const std::string&,
                                     const std::string& name)
{
    return {name, {}};
}

#else

namespace {

const QColor kTrain(31, 119, 180), kTest(214, 39, 40), kChance(120, 120, 120),
    kShuffle(255, 127, 14), kPca(44, 160, 44), kRaw(148, 103, 189);

// Fonts need a QGuiApplication; the CLI has none: an offscreen one, once.
void ensureGuiApplication()
{
    if (QGuiApplication::instance()) return;
    qputenv("QT_QPA_PLATFORM", "offscreen");
    // Qt's notes about a headless environment (no XDG_RUNTIME_DIR, ...) are not the user's business
    // here.
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
        if (type == QtDebugMsg || type == QtInfoMsg ||
            message.startsWith(QLatin1String("QStandardPaths:")))
            return;
        std::fprintf(stderr, "neurolens (Qt): %s\n", message.toLocal8Bit().constData());
    });
    static int argc = 1;
    static char name[] = "neurolens";
    static char* argv[] = {name, nullptr};
    static QGuiApplication app(argc, argv);
}

class Writer {
public:
    Writer(std::string dir, Progress& progress, int planned)
        : dir_(std::move(dir)), progress_(progress), planned_(planned)
    {
    }
    template <typename Figure, typename Paint>
    void add(const std::string& name, const std::string& title, const Figure& figure, Paint paint)
    {
        progress_.report(double(out_.size()), planned_, "figure " + name);
        for (const char* suffix : {".png", ".svg"}) {
            const QString path = QString::fromStdString(dir_ + "/" + name + suffix);
            const QString error = writeFigure(
                path, figure.size, [&](QPainter& p, const QRectF& r) { paint(p, figure, r); }, 2.0,
                192, QString::fromStdString(title));
            if (!error.isEmpty()) throw OutputError(path.toStdString(), "", error.toStdString());
        }
        out_.push_back({name, title});
    }
    std::vector<ReportFigure> figures() const { return out_; }

private:
    std::string dir_;
    Progress& progress_;
    int planned_;
    std::vector<ReportFigure> out_;
};

std::vector<double> frameValues(const StudyResults& s)
{
    const Responses& r = s.analysed.responses;
    std::vector<double> v(std::size_t(r.samples()));
    for (Eigen::Index i = 0; i < r.samples(); ++i)
        v[std::size_t(i)] = s.analysed.stimulus.frame[std::size_t(i % r.bins())];
    return v;
}

std::vector<std::array<double, 3> > rowsOf(const RowMatrixXf& m, int dims)
{
    std::vector<std::array<double, 3> > out(std::size_t(m.rows()), {0, 0, 0});
    for (Eigen::Index i = 0; i < m.rows(); ++i)
        for (int c = 0; c < dims && c < m.cols(); ++c)
            out[std::size_t(i)][std::size_t(c)] = m(i, c);
    return out;
}

PlotSeries series(PlotSeries::Style style, const QString& name, QColor colour,
                  std::vector<double> x, std::vector<double> y, bool dashed = false)
{
    PlotSeries s;
    s.style = style;
    s.name = name;
    s.colour = colour;
    s.x = std::move(x);
    s.y = std::move(y);
    s.dashed = dashed;
    return s;
}

PlotFigure predictedVsTrue(const StudyDecoding& d, int frames)
{
    PlotFigure f;
    f.title =
        QString::fromStdString(d.title) + QStringLiteral(": decoded vs true frame (test repeat)");
    f.xTitle = QStringLiteral("true frame");
    f.yTitle = QStringLiteral("decoded frame");
    std::vector<double> x(d.result.truth.begin(), d.result.truth.end());
    PlotSeries pts = series(PlotSeries::Style::Points, QString(), kTrain, x, d.result.predicted);
    pts.pointSize = d.result.truth.size() > 2000 ? 2 : 3.5;
    f.series.push_back(pts);
    f.series.push_back(series(PlotSeries::Style::Line, QStringLiteral("decoded = true"), kChance,
                              {0, double(frames - 1)}, {0, double(frames - 1)}, true));
    f.xMin = 0, f.xMax = frames - 1,
    f.yMin = std::min(0.0, *std::min_element(d.result.predicted.begin(), d.result.predicted.end()));
    f.yMax = std::max(double(frames - 1),
                      *std::max_element(d.result.predicted.begin(), d.result.predicted.end()));
    return f;
}

QImage frameImage(const Movie& movie, int frame)
{
    QImage img(movie.width, movie.height, QImage::Format_Grayscale8);
    const std::uint8_t* src = movie.frame(frame);
    for (int y = 0; y < movie.height; ++y)
        std::copy(src + std::size_t(y) * std::size_t(movie.width),
                  src + std::size_t(y + 1) * std::size_t(movie.width), img.scanLine(y));
    return img;
}

ImageStripFigure decodedFrames(const StudyResults& s, const StudyDecoding& d, int count)
{
    ImageStripFigure f;
    f.title = QString::fromStdString(d.title) +
              QStringLiteral(": the first decoded frames of the test repeat");
    f.rowLabels = {QStringLiteral("true"), QStringLiteral("decoded")};
    f.images.assign(2, {});
    f.captions.assign(2, {});
    const Movie& movie = *s.analysed.movie;
    const int frames = s.analysed.frames();
    // One sample per frame: the first bin of each of the first `count` frames.
    const int step = std::max(1, s.analysed.responses.binsPerFrame());
    for (int i = 0; i < count && std::size_t(i) * std::size_t(step) < d.result.truth.size(); ++i) {
        const std::size_t at = std::size_t(i) * std::size_t(step);
        const int truth = d.result.truth[at];
        const int decoded = std::clamp(int(std::lround(d.result.predicted[at])), 0, frames - 1);
        f.images[0].push_back(frameImage(movie, truth));
        f.images[1].push_back(frameImage(movie, decoded));
        f.captions[0].push_back(QString::number(truth));
        f.captions[1].push_back(QStringLiteral("%1 (%2%3)")
                                    .arg(decoded)
                                    .arg(decoded >= truth ? "+" : "")
                                    .arg(decoded - truth));
    }
    const double aspect = double(movie.width) / std::max(1, movie.height);
    f.size = QSizeF(980, 2 * (870.0 / count / aspect + 24) + 50);
    return f;
}

}  // namespace

bool reportFiguresAvailable()
{
    return true;
}

std::vector<ReportFigure> writeReportFigures(const StudyResults& s, const std::string& dir,
                                             Progress& progress)
{
    ensureGuiApplication();
    const Responses& r = s.analysed.responses;
    const int frames = s.analysed.frames();
    Writer w(dir, progress, 16);
    auto plot = [](QPainter& p, const PlotFigure& f, const QRectF& rect) {
        paintPlotFigure(p, f, rect);
    };
    auto scatter = [](QPainter& p, const ScatterFigure& f, const QRectF& rect) {
        paintScatterFigure(p, f, rect);
    };
    auto strip = [](QPainter& p, const ImageStripFigure& f, const QRectF& rect) {
        paintImageStripFigure(p, f, rect);
    };

    // Figure 1: responses averaged over repeats, units by their PC1 loading, each scaled to its
    // maximum.
    {
        HeatmapFigure f;
        f.title = QStringLiteral("Responses averaged over %1 repeats (%2 units by PC1 loading)")
                      .arg(r.repeats())
                      .arg(r.units());
        f.xTitle = QStringLiteral("time in the repeat (s)");
        f.yTitle = QStringLiteral("unit (ordered)");
        f.colourTitle = QStringLiteral("response / unit maximum");
        f.lowLabel = QStringLiteral("0");
        f.highLabel = QStringLiteral("1");
        QImage img(r.bins(), r.units(), QImage::Format_RGB32);
        const std::vector<Rgb> table = colourTable(ColourMapKind::Heat, 256);
        for (int row = 0; row < r.units(); ++row) {
            const int u = s.unitOrder[std::size_t(row)];
            const float top = std::max(1e-12f, s.meanResponse.col(u).maxCoeff());
            auto* line = reinterpret_cast<QRgb*>(img.scanLine(row));
            for (int b = 0; b < r.bins(); ++b) {
                const Rgb& c =
                    table[std::size_t(std::clamp(int(s.meanResponse(b, u) / top * 255), 0, 255))];
                line[b] = qRgb(int(c[0] * 255), int(c[1] * 255), int(c[2] * 255));
            }
        }
        f.image = img;
        f.xMin = 0, f.xMax = r.bins() / r.binRateHz(), f.yTop = 0, f.yBottom = r.units();
        for (const Rgb& c : table)
            f.colourTable.push_back(qRgb(int(c[0] * 255), int(c[1] * 255), int(c[2] * 255)));
        w.add("responses", "Neural responses", f,
              [](QPainter& p, const HeatmapFigure& h, const QRectF& rect) {
                  paintHeatmapFigure(p, h, rect);
              });
    }
    const std::vector<double> byFrame = frameValues(s);
    w.add("pca_3d", "3D PCA",
          scatterFromPoints(rowsOf(s.pca3, 3), 3, byFrame, ColourMapKind::Cyclic, 0, frames - 1,
                            {QStringLiteral("PC1"), QStringLiteral("PC2"), QStringLiteral("PC3")},
                            QStringLiteral("frame"),
                            QStringLiteral("The samples on the first 3 principal components")),
          scatter);
    {
        PlotFigure f;
        f.title = QStringLiteral("Explained variance of the principal components");
        f.xTitle = QStringLiteral("number of components");
        f.yTitle = QStringLiteral("cumulative explained variance");
        std::vector<double> x, y;
        double sum = 0;
        for (Eigen::Index i = 0; i < s.explainedVarianceRatio.size(); ++i) {
            sum += s.explainedVarianceRatio(i);
            x.push_back(double(i + 1));
            y.push_back(sum);
        }
        f.series.push_back(
            series(PlotSeries::Style::Line, QStringLiteral("cumulative"), kTrain, x, y));
        f.series.push_back(
            series(PlotSeries::Style::Line, QStringLiteral("90 % (%1 PCs)").arg(s.components90),
                   kChance, {double(s.components90), double(s.components90)}, {0, 0.9}, true));
        f.yMin = 0, f.yMax = 1.02;
        w.add("explained_variance", "Explained variance", f, plot);
    }
    w.add("tsne", "t-SNE",
          scatterFromPoints(
              rowsOf(s.tsne, 2), 2, byFrame, ColourMapKind::Cyclic, 0, frames - 1,
              {QStringLiteral("t-SNE 1"), QStringLiteral("t-SNE 2")}, QStringLiteral("frame"),
              QStringLiteral("2D t-SNE of the samples (KL %1)").arg(s.tsneKl, 0, 'f', 3)),
          scatter);
    for (const StudyDecoding& d : s.decodings)
        w.add(d.name, d.title, predictedVsTrue(d, frames), plot);
    for (const StudySweep& sw : s.sweeps) {
        for (const bool mae : {false, true}) {
            PlotFigure f;
            f.title = QString::fromStdString(sw.title);
            f.xTitle = sw.parameter == "C" ? QStringLiteral("C (inverse regularisation)")
                                           : QStringLiteral("principal components");
            f.yTitle =
                mae ? QStringLiteral("mean absolute error (frames)") : QStringLiteral("accuracy");
            f.logX = true;
            std::vector<double> x, tr, te, within;
            for (const SweepPoint& p : sw.points) {
                x.push_back(p.value);
                tr.push_back(mae ? p.train.mae : p.train.accuracy);
                te.push_back(mae ? p.test.mae : p.test.accuracy);
                within.push_back(p.test.within);
            }
            f.series.push_back(
                series(PlotSeries::Style::Line, QStringLiteral("train"), kTrain, x, tr));
            f.series.push_back(
                series(PlotSeries::Style::Line, QStringLiteral("test"), kTest, x, te));
            if (!mae)
                f.series.push_back(series(PlotSeries::Style::Line,
                                          QStringLiteral("test, within 1 s"), kShuffle, x, within,
                                          true));
            for (auto& ser : f.series) ser.lineWidth = 2;
            w.add(sw.name + (mae ? "_mae" : "_accuracy"), sw.title, f, plot);
        }
    }
    if (s.analysed.movie)
        for (const StudyDecoding& d : s.decodings)
            if (d.name.rfind("logistic", 0) == 0)
                w.add("frames_" + d.name, d.title + ": decoded frames", decodedFrames(s, d, 10),
                      strip);
    if (!s.vaes.empty()) {
        PlotFigure f;
        f.title =
            QStringLiteral("VAE reconstruction R² per epoch (solid: validation, dashed: training)");
        f.xTitle = QStringLiteral("epoch");
        f.yTitle = QStringLiteral("reconstruction R²");
        const QColor colours[3] = {kTrain, kPca, kTest};
        for (std::size_t k = 0; k < s.vaes.size(); ++k) {
            std::vector<double> x, train, val;
            for (const EpochRecord& e : s.vaes[k].history) {
                x.push_back(e.epoch);
                train.push_back(e.values.count("train_r2") ? e.values.at("train_r2")
                                                           : std::nan(""));
                val.push_back(e.values.count("val_r2") ? e.values.at("val_r2") : std::nan(""));
            }
            const QString name =
                QStringLiteral("guidance: %1").arg(QString::fromStdString(s.vaes[k].guidance));
            f.series.push_back(series(PlotSeries::Style::Line, name, colours[k % 3], x, val));
            f.series.push_back(
                series(PlotSeries::Style::Line, QString(), colours[k % 3], x, train, true));
        }
        w.add("vae_curves", "VAE curves", f, plot);
    }
    if (s.cebra.rows() > 0) {
        w.add("cebra_3d", "CEBRA embedding",
              scatterFromPoints(
                  rowsOf(s.cebra, 3), 3, byFrame, ColourMapKind::Cyclic, 0, frames - 1,
                  {QStringLiteral("latent 1"), QStringLiteral("latent 2"),
                   QStringLiteral("latent 3")},
                  QStringLiteral("frame"),
                  QStringLiteral("CEBRA embedding (first 3 of %1 dimensions)").arg(s.cebraDims)),
              scatter);
        PlotFigure f;
        f.title = QStringLiteral("Frame decoding by kNN, test repeat (within 1 s)");
        f.yTitle = QStringLiteral("accuracy within 1 s");
        f.xTitle =
            QStringLiteral("features decoded (cosine kNN, k chosen on the last training repeat)");
        f.xLabels = {{1, QStringLiteral("CEBRA")},
                     {2, QStringLiteral("raw responses")},
                     {3, QStringLiteral("PCA, %1 dims").arg(s.cebraDims)},
                     {4, QStringLiteral("chance")},
                     {5, QStringLiteral("CEBRA, shuffled")}};
        PlotSeries bars =
            series(PlotSeries::Style::Bars, QString(), kTrain, {1, 2, 3, 4, 5},
                   {s.cebraKnn.within, s.rawKnn.within, s.pcaKnn.within, s.cebraKnn.chanceWithin,
                    s.cebraKnn.shuffles ? s.cebraKnn.shuffleWithin : std::nan("")});
        bars.barWidth = 0.7;
        f.series.push_back(bars);
        f.yMin = 0, f.yMax = 1.05, f.xMin = 0.4, f.xMax = 5.6;
        w.add("cebra_decoding", "CEBRA decoding", f, plot);
    }
    if (s.alignCebra.r2PerUnit.size() > 0) {
        PlotFigure f;
        f.title = QStringLiteral("How well the latents explain each unit (test repeat)");
        f.xTitle = QStringLiteral("R² of a unit's responses from the latents (ridge)");
        f.yTitle = QStringLiteral("units");
        auto histogram = [](const Eigen::VectorXd& v, double lo, double hi, int bins) {
            std::vector<double> counts(std::size_t(bins), 0);
            for (Eigen::Index i = 0; i < v.size(); ++i)
                if (std::isfinite(v(i)))
                    counts[std::size_t(
                        std::clamp(int((v(i) - lo) / (hi - lo) * bins), 0, bins - 1))] += 1;
            return counts;
        };
        const double lo =
            std::min({-0.1, s.alignCebra.r2PerUnit.minCoeff(), s.alignPca.r2PerUnit.minCoeff()});
        const double hi =
            std::max({0.5, s.alignCebra.r2PerUnit.maxCoeff(), s.alignPca.r2PerUnit.maxCoeff()});
        const int bins = 30;
        std::vector<double> centres;
        centres.reserve(bins);
        for (int b = 0; b < bins; ++b) centres.push_back(lo + (b + 0.5) * (hi - lo) / bins);
        PlotSeries a = series(PlotSeries::Style::Bars,
                              QStringLiteral("CEBRA (mean %1)").arg(s.alignCebra.r2, 0, 'f', 3),
                              kTrain, centres, histogram(s.alignCebra.r2PerUnit, lo, hi, bins));
        PlotSeries b =
            series(PlotSeries::Style::Bars,
                   QStringLiteral("PCA, same dims (mean %1)").arg(s.alignPca.r2, 0, 'f', 3),
                   kShuffle, centres, histogram(s.alignPca.r2PerUnit, lo, hi, bins));
        a.barWidth = b.barWidth = (hi - lo) / bins;
        f.series = {b, a};
        w.add("alignment", "Alignment", f, plot);
    }
    return w.figures();
}

ReportFigure writeSignificanceFigure(const SignificanceResult& r, const std::string& dir,
                                     const std::string& name)
{
    ensureGuiApplication();
    PlotFigure f;
    f.title = QStringLiteral(
        "Frame decoding within 1 s on the held-out repeat against the number of neurons");
    f.xTitle = QStringLiteral("neurons");
    f.yTitle = QStringLiteral("within 1 s (test repeat)");
    f.logX = true;
    f.yMin = 0;
    f.yMax = 1;
    f.size = QSizeF(760, 480);
    f.legend = PlotFigure::Legend::BottomRight;  // accuracy rises with the neurons
    for (const CurvePoint& p : r.curve)
        if (p.method == "cebra") f.xLabels.push_back({double(p.units), QString::number(p.units)});
    const std::vector<std::pair<std::string, std::pair<QString, QColor> > > methods{
        {"cebra", {QStringLiteral("CEBRA"), kTest}},
        {"cebra_shuffled", {QStringLiteral("CEBRA, shuffled labels"), kShuffle}},
        {"knn_1frame", {QStringLiteral("kNN, 33 ms"), kRaw.lighter(130)}},
        {"knn_10frame", {QStringLiteral("kNN, 330 ms"), kRaw}},
        {"bayes_1frame", {QStringLiteral("Bayes, 33 ms"), kPca.lighter(130)}},
        {"bayes_10frame", {QStringLiteral("Bayes, 330 ms"), kPca}}};
    double lo = 0, hi = 0;
    for (const auto& [key, look] : methods) {
        std::vector<double> x, y, runX, runY;
        for (const CurvePoint& p : r.curve)
            if (p.method == key) {
                x.push_back(p.units);
                y.push_back(p.mean);
                for (double v : p.runs) {
                    runX.push_back(p.units);
                    runY.push_back(v);
                }
            }
        if (x.empty()) continue;
        lo = lo == 0 ? x.front() : std::min(lo, x.front());
        hi = std::max(hi, x.back());
        f.series.push_back(series(PlotSeries::Style::Line, look.first, look.second, x, y,
                                  key == "cebra_shuffled"));
        PlotSeries points = series(PlotSeries::Style::Points, QString(), look.second, runX, runY);
        points.pointSize = 3;
        f.series.push_back(points);
    }
    if (hi > 0)
        f.series.push_back(series(PlotSeries::Style::Line, QStringLiteral("chance"), kChance,
                                  {lo, hi}, {r.chanceWithin, r.chanceWithin}, true));
    for (const char* suffix : {".png", ".svg"}) {
        const QString path = QString::fromStdString(dir) + QLatin1Char('/') +
                             QString::fromStdString(name) + QLatin1String(suffix);
        const QString error = writeFigure(
            path, f.size, [&](QPainter& p, const QRectF& rect) { paintPlotFigure(p, f, rect); },
            2.0, 192, f.title);
        if (!error.isEmpty()) throw OutputError(path.toStdString(), "", error.toStdString());
    }
    return {name, f.title.toStdString()};
}

#endif

}  // namespace neurolens
