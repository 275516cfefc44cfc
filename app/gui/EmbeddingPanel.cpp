#include "EmbeddingPanel.h"

#include "TsneControls.h"
#include "TsneJob.h"

#include "neurolens/widgets/VtkScatterView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QToolButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace neurolens {

EmbeddingPanel::EmbeddingPanel(SampleSelection& selection, QWidget* parent) : QWidget(parent), selection_(selection)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto* bar = new QHBoxLayout;
    method_ = new QComboBox(this);
    method_->addItem(tr("PCA"), QStringLiteral("pca"));
    method_->addItem(tr("t-SNE"), QStringLiteral("tsne"));
    method_->setToolTip(tr("Embedding method"));
    colourBy_ = new QComboBox(this);
    colourBy_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    colourBy_->addItem(tr("Frame"), QStringLiteral("frame"));
    colourBy_->addItem(tr("Repeat"), QStringLiteral("repeat"));
    colourBy_->addItem(tr("Population rate"), QStringLiteral("rate"));
    colourBy_->setToolTip(tr("What the colour of each point shows"));
    dims_ = new QComboBox(this);
    dims_->addItem(tr("3D"), 3);
    dims_->addItem(tr("2D"), 2);
    pointSize_ = new QSpinBox(this);
    pointSize_->setRange(1, 20);
    pointSize_->setValue(3);
    pointSize_->setSuffix(tr(" px"));
    pointSize_->setToolTip(tr("Point size (+ / - in the view)"));
    equal_ = new QCheckBox(tr("Equal scales"), this);
    equal_->setToolTip(tr("Keep the axes' relative extents (otherwise each axis fills the box, as matplotlib)"));
    reset_ = new QToolButton(this);
    reset_->setText(tr("Reset view"));
    reset_->setToolTip(tr("Reset the camera (R in the view)"));
    bar->addWidget(new QLabel(tr("Method:"), this));
    bar->addWidget(method_);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Colour by:"), this));
    bar->addWidget(colourBy_);
    bar->addSpacing(12);
    bar->addWidget(dims_);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Points:"), this));
    bar->addWidget(pointSize_);
    bar->addSpacing(12);
    bar->addWidget(equal_);
    bar->addStretch(1);
    bar->addWidget(reset_);
    layout->addLayout(bar);
    tsneControls_ = new TsneControls(this);
    tsneControls_->setVisible(false);
    layout->addWidget(tsneControls_);
    tsne_ = new TsneJob(this);
    view_ = new VtkScatterView(this);
    layout->addWidget(view_, 1);
    info_ = new QLabel(this);
    info_->setText(tr("Drag to rotate, right-drag or wheel to zoom, middle-drag to pan; click a point to select it."));
    layout->addWidget(info_);

    connect(colourBy_, &QComboBox::currentIndexChanged, this, [this] { rebuild(true); });
    connect(dims_, &QComboBox::currentIndexChanged, this, [this] {
        if (showingTsne() && !(tsneLayout_ && tsneLayout_->cols() == dims_->currentData().toInt())) startTsne();
        rebuild(false);
    });
    connect(method_, &QComboBox::currentIndexChanged, this, [this] {
        tsneControls_->setVisible(showingTsne());
        // The first look at t-SNE computes it; later ones show the layout already made.
        if (showingTsne() && analysis_ && !tsne_->busy() &&
            !(tsneLayout_ && sameData(tsneFor_, analysis_) && tsneLayout_->cols() == dims_->currentData().toInt()))
            startTsne();
        rebuild(false);
    });
    connect(tsneControls_, &TsneControls::runRequested, this, &EmbeddingPanel::startTsne);
    connect(tsneControls_, &TsneControls::pauseToggled, this, [this](bool pause) { pause ? tsne_->pause() : tsne_->resume(); });
    connect(tsneControls_, &TsneControls::cancelRequested, tsne_, &TsneJob::cancel);
    connect(tsne_, &TsneJob::pausedChanged, this, [this](bool paused) { tsneControls_->setRunning(tsne_->busy(), paused); });
    connect(tsne_, &TsneJob::layoutChanged, this,
            [this](std::shared_ptr<const RowMatrixXf> points, int iteration, int total) {
                if (!sameData(tsne_->analysis(), analysis_)) return;
                tsneControls_->setStatus(tr("iteration %1 of %2%3")
                                             .arg(iteration)
                                             .arg(total)
                                             .arg(iteration <= tsne_->options().exaggerationIterations ? tr(" (early exaggeration)") : QString()));
                showTsneLayout(std::move(points));
            });
    connect(tsne_, &TsneJob::finished, this, [this](std::shared_ptr<const TsneResult> r) {
        tsneControls_->setRunning(false, false);
        if (!sameData(tsne_->analysis(), analysis_)) return;
        tsneControls_->setStatus(tr("KL divergence %1 after %2 iterations, %3 s (%4)")
                                     .arg(r->klDivergence, 0, 'f', 3)
                                     .arg(r->iterations)
                                     .arg(r->seconds, 0, 'f', 1)
                                     .arg(QString::fromStdString(r->repulsion)));
        showTsneLayout(std::make_shared<const RowMatrixXf>(r->layout));
    });
    connect(tsne_, &TsneJob::cancelled, this, [this] {
        tsneControls_->setRunning(false, false);
        tsneControls_->setStatus(tr("cancelled; the last layout is shown"));
    });
    connect(tsne_, &TsneJob::failed, this, [this](const QString& message) {
        tsneControls_->setRunning(false, false);
        tsneControls_->setStatus(tr("t-SNE failed: %1").arg(message));
    });
    connect(pointSize_, &QSpinBox::valueChanged, view_, [this](int v) { view_->setPointSize(v); });
    connect(reset_, &QToolButton::clicked, view_, &VtkScatterView::resetView);
    connect(equal_, &QCheckBox::toggled, view_, &VtkScatterView::setEqualScales);
    connect(view_, &VtkScatterView::pointClicked, this, [this](int i) { selection_.select(pointToSample(i)); });
    connect(view_, &VtkScatterView::pointHovered, this, &EmbeddingPanel::describe);
    connect(&selection_, &SampleSelection::changed, this,
            [this](const Sample& s) { view_->setSelectedPoint(sampleToPoint(s)); });
}

void EmbeddingPanel::setAnalysis(AnalysisPtr analysis)
{
    if (!sameData(analysis, analysis_) && decoding_) {
        // The errors belong to the decoder trained on the previous analysis.
        decoding_.reset();
        const QSignalBlocker block(colourBy_);
        if (colourBy_->currentData().toString() == QLatin1String("error")) colourBy_->setCurrentIndex(0);
        colourBy_->removeItem(colourBy_->findData(QStringLiteral("error")));
    }
    const bool changed = !sameData(analysis, analysis_);
    analysis_ = std::move(analysis);
    {
        // Stored embeddings (loaded with the file, or trained here) join PCA and t-SNE in the selector.
        const QString current = method_->currentData().toString();
        const QSignalBlocker block(method_);
        while (method_->count() > 2) method_->removeItem(2);
        if (analysis_)
            for (const auto& [name, e] : analysis_->pre.recording.results)
                if (e.values.cols() >= 2)
                    method_->addItem(QString::fromStdString(name), QStringLiteral("result:") + QString::fromStdString(name));
        method_->setCurrentIndex(std::max(0, method_->findData(current)));
        tsneControls_->setVisible(showingTsne());
    }
    tsneControls_->setInputs(analysis_ ? &analysis_->pre.recording : nullptr);
    if (changed) {
        // A layout belongs to the analysis it was computed on.
        tsneLayout_.reset();
        tsneFor_.reset();
        if (tsne_->busy()) tsne_->cancel();
        if (showingTsne() && analysis_) startTsne();
    }
    rebuild(false);
}

bool EmbeddingPanel::showingTsne() const { return method_->currentData().toString() == QLatin1String("tsne"); }

void EmbeddingPanel::startTsne()
{
    if (!analysis_) return;
    const int dims = dims_->currentData().toInt();
    const TsneOptions o = tsneControls_->options(dims);
    const int samples = int(analysis_->pre.recording.responses.samples());
    if (3 * o.perplexity + 1 > samples - 1) {
        tsneControls_->setStatus(tr("perplexity %1 needs more than %2 samples").arg(o.perplexity).arg(int(3 * o.perplexity + 1)));
        return;
    }
    tsneLayout_.reset();
    tsneFor_ = analysis_;
    tsneControls_->setStatus(tr("finding neighbours…"));
    tsneControls_->setRunning(true, false);
    tsne_->start(analysis_, o, tsneControls_->input());
    rebuild(false);
}

void EmbeddingPanel::showTsneLayout(std::shared_ptr<const RowMatrixXf> layout)
{
    const bool fresh = !tsneLayout_ || tsneLayout_->cols() != layout->cols();
    tsneLayout_ = std::move(layout);
    tsneFor_ = analysis_;
    if (!showingTsne()) return;
    if (!fresh && view_->pointCount() == tsneLayout_->rows() && view_->dimensions() == tsneLayout_->cols())
        view_->movePoints(*tsneLayout_);
    else
        rebuild(false);
}

QString EmbeddingPanel::storedResult() const
{
    const QString m = method_->currentData().toString();
    return m.startsWith(QLatin1String("result:")) ? m.mid(7) : QString();
}

const RowMatrixXf* EmbeddingPanel::coordinates() const
{
    if (!analysis_) return nullptr;
    if (const QString name = storedResult(); !name.isEmpty()) {
        const auto it = analysis_->pre.recording.results.find(name.toStdString());
        return it != analysis_->pre.recording.results.end() ? &it->second.values : nullptr;
    }
    if (!showingTsne()) return &analysis_->projection;
    return tsneLayout_ && sameData(tsneFor_, analysis_) ? tsneLayout_.get() : nullptr;
}

QString EmbeddingPanel::shownName() const
{
    if (const QString name = storedResult(); !name.isEmpty()) return name;
    return showingTsne() ? QStringLiteral("tsne") : QStringLiteral("pca");
}

void EmbeddingPanel::setDecoding(std::shared_ptr<const DecodeResult> result, const AnalysisPtr& analysis)
{
    if (!result || !analysis_ || !sameData(analysis, analysis_)) return;
    for (int r : result->testRepeats)
        if (r < 0 || r >= analysis_->repeats()) return;
    if (result->predicted.size() != result->testRepeats.size() * std::size_t(analysis_->bins())) return;
    decoding_ = std::move(result);
    if (colourBy_->findData(QStringLiteral("error")) < 0)
        colourBy_->addItem(tr("Decoding error"), QStringLiteral("error"));
    if (colourBy_->currentData().toString() == QLatin1String("error")) rebuild(true);
}

void EmbeddingPanel::showDecodingErrors()
{
    const int i = colourBy_->findData(QStringLiteral("error"));
    if (i >= 0) colourBy_->setCurrentIndex(i);
}

int EmbeddingPanel::sampleToPoint(const Sample& s) const
{
    if (!analysis_ || !s.valid() || s.repeat >= analysis_->repeats() || s.bin >= analysis_->bins()) return -1;
    return s.repeat * analysis_->bins() + s.bin;
}

Sample EmbeddingPanel::pointToSample(int index) const
{
    if (!analysis_ || index < 0) return {};
    return {index / analysis_->bins(), index % analysis_->bins()};
}

std::vector<float> EmbeddingPanel::colourValues(QString* title, ColourMapKind* kind, double* lo, double* hi) const
{
    const Analysis& a = *analysis_;
    const int n = int(a.projection.rows()), bins = a.bins();
    std::vector<float> values(std::size_t(n), 0.0f);
    const QString what = colourBy_->currentData().toString();
    *lo = *hi = 0;
    if (what == QLatin1String("repeat")) {
        for (int i = 0; i < n; ++i) values[i] = float(i / bins);
        *title = tr("repeat");
        *kind = ColourMapKind::Sequential;
    } else if (what == QLatin1String("error") && decoding_) {
        // |decoded - true| in frames on the test repeat(s); samples the decoder did not test have none.
        std::fill(values.begin(), values.end(), std::numeric_limits<float>::quiet_NaN());
        const DecodeResult& d = *decoding_;
        const int frames = std::max(1, a.pre.recording.frames());
        for (std::size_t t = 0; t < d.testRepeats.size(); ++t)
            for (int b = 0; b < bins; ++b) {
                const std::size_t k = t * std::size_t(bins) + std::size_t(b);
                const double decoded = std::clamp(std::round(d.predicted[k]), 0.0, double(frames - 1));
                values[std::size_t(d.testRepeats[t]) * std::size_t(bins) + std::size_t(b)] = float(std::abs(decoded - d.truth[k]));
            }
        *title = tr("decoding error (frames)");
        *kind = ColourMapKind::Sequential;
    } else if (what == QLatin1String("rate")) {
        const auto X = a.pre.recording.responses.sampleMatrix();
        const double rate = a.pre.recording.responses.binRateHz();
        for (int i = 0; i < n; ++i) values[i] = float(X.row(i).mean() * rate);
        *title = tr("mean rate (Hz)");
        *kind = ColourMapKind::Sequential;
    } else {
        for (int i = 0; i < n; ++i) values[i] = float(a.frameOf(i % bins));
        *title = tr("frame");
        *kind = ColourMapKind::Cyclic;
        *lo = 0;
        *hi = std::max(1, a.pre.recording.frames());
    }
    return values;
}

void EmbeddingPanel::rebuild(bool keepCamera)
{
    const RowMatrixXf* xyzAll = coordinates();
    if (!analysis_ || !xyzAll) {
        view_->clear();
        return;
    }
    QString title;
    ColourMapKind kind;
    double lo, hi;
    const std::vector<float> values = colourValues(&title, &kind, &lo, &hi);
    if (keepCamera && view_->pointCount() == xyzAll->rows()) {
        view_->setValues(values, kind, title, lo, hi);
        return;
    }
    const bool tsne = showingTsne();
    const QString stored = storedResult();
    const int dims = tsne ? int(xyzAll->cols()) : std::min<int>(dims_->currentData().toInt(), int(xyzAll->cols()));
    const Eigen::MatrixXf xyz = xyzAll->leftCols(dims);
    const QStringList titles = tsne              ? QStringList{tr("t-SNE 1"), tr("t-SNE 2"), tr("t-SNE 3")}
                               : stored.isEmpty() ? QStringList{tr("PC1"), tr("PC2"), tr("PC3")}
                                                  : QStringList{stored + " 1", stored + " 2", stored + " 3"};
    view_->setPoints(xyz, values, kind, title, titles, lo, hi);
    view_->setPointSize(pointSize_->value());
    view_->setSelectedPoint(sampleToPoint(selection_.current()));
}

void EmbeddingPanel::describe(int index)
{
    if (!analysis_ || index < 0) {
        info_->setText(analysis_ ? tr("%1 samples: %2 repeats × %3 bins")
                                       .arg(analysis_->projection.rows())
                                       .arg(analysis_->repeats())
                                       .arg(analysis_->bins())
                                 : QString());
        return;
    }
    const Sample s = pointToSample(index);
    const auto& r = analysis_->pre.recording.responses;
    QString where = tr("repeat %1, frame %2, t = %3 s  ").arg(s.repeat).arg(analysis_->frameOf(s.bin)).arg(s.bin / r.binRateHz(), 0, 'f', 3);
    const RowMatrixXf* xyz = coordinates();
    const QString axis = showingTsne() ? tr("t-SNE %1") : storedResult().isEmpty() ? tr("PC%1") : storedResult() + " %1";
    if (xyz && index < xyz->rows())
        for (Eigen::Index c = 0; c < xyz->cols(); ++c)
            where += QStringLiteral("  ") + axis.arg(c + 1) + QStringLiteral(" ") + QString::number(double((*xyz)(index, c)), 'f', 2);
    info_->setText(where);
}

}  // namespace neurolens
