#include "EmbeddingPanel.h"

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
    view_ = new VtkScatterView(this);
    layout->addWidget(view_, 1);
    info_ = new QLabel(this);
    info_->setText(tr("Drag to rotate, right-drag or wheel to zoom, middle-drag to pan; click a point to select it."));
    layout->addWidget(info_);

    connect(colourBy_, &QComboBox::currentIndexChanged, this, [this] { rebuild(true); });
    connect(dims_, &QComboBox::currentIndexChanged, this, [this] { rebuild(false); });
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
    if (analysis != analysis_ && decoding_) {
        // The errors belong to the decoder trained on the previous analysis.
        decoding_.reset();
        const QSignalBlocker block(colourBy_);
        if (colourBy_->currentData().toString() == QLatin1String("error")) colourBy_->setCurrentIndex(0);
        colourBy_->removeItem(colourBy_->findData(QStringLiteral("error")));
    }
    analysis_ = std::move(analysis);
    rebuild(false);
}

void EmbeddingPanel::setDecoding(std::shared_ptr<const DecodeResult> result, const AnalysisPtr& analysis)
{
    if (!result || !analysis_ || analysis != analysis_) return;
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

std::vector<float> EmbeddingPanel::colourValues(QString* title, ColorMapKind* kind, double* lo, double* hi) const
{
    const Analysis& a = *analysis_;
    const int n = int(a.projection.rows()), bins = a.bins();
    std::vector<float> values(std::size_t(n), 0.0f);
    const QString what = colourBy_->currentData().toString();
    *lo = *hi = 0;
    if (what == QLatin1String("repeat")) {
        for (int i = 0; i < n; ++i) values[i] = float(i / bins);
        *title = tr("repeat");
        *kind = ColorMapKind::Sequential;
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
        *kind = ColorMapKind::Sequential;
    } else if (what == QLatin1String("rate")) {
        const auto X = a.pre.recording.responses.sampleMatrix();
        const double rate = a.pre.recording.responses.binRateHz();
        for (int i = 0; i < n; ++i) values[i] = float(X.row(i).mean() * rate);
        *title = tr("mean rate (Hz)");
        *kind = ColorMapKind::Sequential;
    } else {
        for (int i = 0; i < n; ++i) values[i] = float(a.frameOf(i % bins));
        *title = tr("frame");
        *kind = ColorMapKind::Cyclic;
        *lo = 0;
        *hi = std::max(1, a.pre.recording.frames());
    }
    return values;
}

void EmbeddingPanel::rebuild(bool keepCamera)
{
    if (!analysis_) {
        view_->clear();
        return;
    }
    QString title;
    ColorMapKind kind;
    double lo, hi;
    const std::vector<float> values = colourValues(&title, &kind, &lo, &hi);
    if (keepCamera && view_->pointCount() == analysis_->projection.rows()) {
        view_->setValues(values, kind, title, lo, hi);
        return;
    }
    const int dims = dims_->currentData().toInt();
    const Eigen::MatrixXf xyz = analysis_->projection.leftCols(dims);
    view_->setPoints(xyz, values, kind, title, {tr("PC1"), tr("PC2"), tr("PC3")}, lo, hi);
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
    info_->setText(tr("repeat %1, frame %2, t = %3 s   PC1 %4  PC2 %5  PC3 %6")
                       .arg(s.repeat)
                       .arg(analysis_->frameOf(s.bin))
                       .arg(s.bin / r.binRateHz(), 0, 'f', 3)
                       .arg(double(analysis_->projection(index, 0)), 0, 'f', 2)
                       .arg(double(analysis_->projection(index, 1)), 0, 'f', 2)
                       .arg(double(analysis_->projection(index, 2)), 0, 'f', 2));
}

}  // namespace neurolens
