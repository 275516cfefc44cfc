#include "EmbeddingPanel.h"

#include "EmbeddingJob.h"
#include "MethodControls.h"

#include "neurolens/widgets/ElidedLabel.h"
#include "neurolens/widgets/FlowLayout.h"
#include "neurolens/widgets/VtkScatterView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace neurolens {

EmbeddingPanel::EmbeddingPanel(SampleSelection& selection, QWidget* parent)
    : QWidget(parent), selection_(selection)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto* bar = new FlowLayout;
    method_ = new QComboBox(this);
    for (const EmbeddingSpec& m : embeddingMethods()) {
        method_->addItem(tr(m.title.c_str()), QString::fromStdString(m.name));
        method_->setItemData(method_->count() - 1, QString::fromStdString(m.help), Qt::ToolTipRole);
    }
    method_->setToolTip(tr("Embedding method"));
    // Combos sized for their usual entries, not their longest (the bar fits a laptop's window).
    method_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    method_->setMinimumContentsLength(14);
    colourBy_ = new QComboBox(this);
    colourBy_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    colourBy_->setMinimumContentsLength(14);
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
    equal_->setToolTip(
        tr("Keep the axes' relative extents (otherwise each axis fills the box, as matplotlib)"));
    reset_ = new QToolButton(this);
    reset_->setText(tr("Reset view"));
    reset_->setToolTip(tr("Reset the camera (R in the view)"));
    bar->addWidget(FlowLayout::group({new QLabel(tr("Method:"), this), method_}, this));
    bar->addWidget(FlowLayout::group({new QLabel(tr("Colour by:"), this), colourBy_}, this));
    bar->addWidget(dims_);
    bar->addWidget(FlowLayout::group({new QLabel(tr("Points:"), this), pointSize_}, this));
    bar->addWidget(equal_);
    bar->addWidget(reset_);
    layout->addLayout(bar);
    controls_ = new MethodControls(this);
    controls_->setVisible(false);
    layout->addWidget(controls_);
    job_ = new EmbeddingJob(this);
    view_ = new VtkScatterView(this);
    layout->addWidget(view_, 1);
    info_ = new ElidedLabel(this);
    info_->setText(
        tr("Drag to rotate, right-drag or wheel to zoom, middle-drag to pan; click a point to "
           "select it."));
    layout->addWidget(info_);

    connect(colourBy_, &QComboBox::currentIndexChanged, this, [this] { rebuild(true); });
    connect(dims_, &QComboBox::currentIndexChanged, this, [this] {
        const std::string m = computedMethod();
        if (!m.empty() && !(this->layout(m) && this->layout(m)->cols() == requestedDims()))
            startMethod();
        rebuild(false);
    });
    connect(method_, &QComboBox::currentIndexChanged, this, [this] {
        const std::string m = computedMethod();
        controls_->setVisible(!m.empty());
        if (!m.empty()) controls_->setMethod(m);
        // The first look at a method computes it; later ones show the layout already made.
        if (!m.empty() && analysis_ && !(job_->busy() && job_->method() == m) &&
            !(this->layout(m) && this->layout(m)->cols() == requestedDims()))
            startMethod();
        rebuild(false);
    });
    connect(controls_, &MethodControls::runRequested, this, &EmbeddingPanel::startMethod);
    connect(controls_, &MethodControls::pauseToggled, this,
            [this](bool pause) { pause ? job_->pause() : job_->resume(); });
    connect(controls_, &MethodControls::cancelRequested, job_, &EmbeddingJob::cancel);
    connect(job_, &EmbeddingJob::pausedChanged, this,
            [this](bool paused) { controls_->setRunning(job_->busy(), paused); });
    connect(job_, &EmbeddingJob::layoutChanged, this,
            [this](std::shared_ptr<const RowMatrixXf> points, int iteration, int total) {
                if (!sameData(job_->analysis(), analysis_)) return;
                if (job_->method() == computedMethod())
                    controls_->setStatus(tr("iteration %1 of %2").arg(iteration).arg(total));
                showLayout(job_->method(), std::move(points));
            });
    connect(job_, &EmbeddingJob::finished, this,
            [this](const std::shared_ptr<const EmbeddingRun>& r) {
                controls_->setRunning(false, false);
                if (!sameData(job_->analysis(), analysis_)) return;
                controls_->setStatus(QStringLiteral("%1: %2").arg(
                    QString::fromStdString(embeddingMethod(job_->method()).title),
                    QString::fromStdString(r->summary)));
                showLayout(job_->method(), std::make_shared<const RowMatrixXf>(r->layout));
            });
    connect(job_, &EmbeddingJob::cancelled, this, [this] {
        controls_->setRunning(false, false);
        controls_->setStatus(tr("cancelled; the last layout is shown"));
    });
    connect(job_, &EmbeddingJob::failed, this, [this](const QString& message) {
        controls_->setRunning(false, false);
        controls_->setStatus(
            tr("%1 failed: %2")
                .arg(QString::fromStdString(embeddingMethod(job_->method()).title), message));
    });
    connect(pointSize_, &QSpinBox::valueChanged, view_, [this](int v) { view_->setPointSize(v); });
    connect(reset_, &QToolButton::clicked, view_, &VtkScatterView::resetView);
    connect(equal_, &QCheckBox::toggled, view_, &VtkScatterView::setEqualScales);
    connect(view_, &VtkScatterView::pointClicked, this,
            [this](int i) { selection_.select(pointToSample(i)); });
    connect(view_, &VtkScatterView::pointHovered, this, &EmbeddingPanel::describe);
    connect(view_, &VtkScatterView::pointSizeChanged, this, [this](double pixels) {
        const QSignalBlocker block(pointSize_);
        pointSize_->setValue(int(std::lround(pixels)));
    });
    connect(view_, &VtkScatterView::stepRequested, this, &EmbeddingPanel::step);
    connect(&selection_, &SampleSelection::changed, this,
            [this](const Sample& s) { view_->setSelectedPoint(sampleToPoint(s)); });
}

void EmbeddingPanel::setAnalysis(AnalysisPtr analysis)
{
    if (!sameData(analysis, analysis_) && decoding_) {
        // The errors belong to the decoder trained on the previous analysis.
        decoding_.reset();
        const QSignalBlocker block(colourBy_);
        if (colourBy_->currentData().toString() == QLatin1String("error"))
            colourBy_->setCurrentIndex(0);
        colourBy_->removeItem(colourBy_->findData(QStringLiteral("error")));
    }
    const bool changed = !sameData(analysis, analysis_);
    analysis_ = std::move(analysis);
    syncBehaviourColours();
    {
        // Stored embeddings (loaded with the file, or trained here) join the registry's methods.
        const QString current = method_->currentData().toString();
        const QSignalBlocker block(method_);
        const int methods = int(embeddingMethods().size());
        while (method_->count() > methods) method_->removeItem(methods);
        if (analysis_)
            for (const auto& [name, e] : analysis_->pre.recording.results)
                if (e.values.cols() >= 2)
                    method_->addItem(QString::fromStdString(name),
                                     QStringLiteral("result:") + QString::fromStdString(name));
        method_->setCurrentIndex(std::max(0, method_->findData(current)));
        controls_->setVisible(!computedMethod().empty());
    }
    controls_->setInputs(analysis_ ? &analysis_->pre.recording : nullptr);
    if (changed) {
        // A layout belongs to the analysis it was computed on.
        layouts_.clear();
        layoutsFor_.reset();
        if (job_->busy()) job_->cancel();
        if (!computedMethod().empty() && analysis_) startMethod();
    }
    rebuild(false);
}

std::string EmbeddingPanel::computedMethod() const
{
    std::string m = method_->currentData().toString().toStdString();
    if (m == "pca" || m.rfind("result:", 0) == 0) return {};
    return m;
}

std::shared_ptr<const RowMatrixXf> EmbeddingPanel::layout(const std::string& method) const
{
    if (!sameData(layoutsFor_, analysis_)) return nullptr;
    const auto it = layouts_.find(method);
    return it == layouts_.end() ? nullptr : it->second;
}

int EmbeddingPanel::requestedDims() const
{
    const std::string m = computedMethod();
    const int dims = dims_->currentData().toInt();
    if (m.empty()) return dims;
    const EmbeddingSpec& spec = embeddingMethod(m);
    return std::clamp(dims, spec.minDims, spec.maxDims);
}

void EmbeddingPanel::startMethod()
{
    const std::string m = computedMethod();
    if (!analysis_ || m.empty()) return;
    controls_->setMethod(m);
    layouts_.erase(m);
    layoutsFor_ = analysis_;
    controls_->setStatus(tr("computing %1…").arg(QString::fromStdString(embeddingMethod(m).title)));
    controls_->setRunning(true, false);
    EmbeddingRequest request = controls_->request(requestedDims());
    request.seed = 1;
    job_->start(analysis_, m, request, controls_->input());
    rebuild(false);
}

void EmbeddingPanel::showLayout(const std::string& method,
                                std::shared_ptr<const RowMatrixXf> points)
{
    if (!sameData(layoutsFor_, analysis_)) layouts_.clear();
    layoutsFor_ = analysis_;
    const auto previous = layouts_[method];
    const bool fresh = !previous || previous->cols() != points->cols();
    layouts_[method] = std::move(points);
    if (computedMethod() != method) return;
    const RowMatrixXf& shown = *layouts_[method];
    if (!fresh && view_->pointCount() == shown.rows() && view_->dimensions() == shown.cols())
        view_->movePoints(shown);
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
    const std::string m = computedMethod();
    if (m.empty()) return &analysis_->projection;
    const auto it = layouts_.find(m);
    return it != layouts_.end() && sameData(layoutsFor_, analysis_) ? it->second.get() : nullptr;
}

QString EmbeddingPanel::shownName() const
{
    if (QString name = storedResult(); !name.isEmpty()) return name;
    return method_->currentData().toString();
}

void EmbeddingPanel::setDecoding(std::shared_ptr<const DecodeResult> result,
                                 const AnalysisPtr& analysis)
{
    if (!result || !analysis_ || !sameData(analysis, analysis_)) return;
    for (int r : result->testRepeats)
        if (r < 0 || r >= analysis_->repeats()) return;
    if (result->predicted.size() != result->testRepeats.size() * std::size_t(analysis_->bins()))
        return;
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
    if (!analysis_ || !s.valid() || s.repeat >= analysis_->repeats() || s.bin >= analysis_->bins())
        return -1;
    return s.repeat * analysis_->bins() + s.bin;
}

Sample EmbeddingPanel::pointToSample(int index) const
{
    if (!analysis_ || index < 0) return {};
    return {index / analysis_->bins(), index % analysis_->bins()};
}

void EmbeddingPanel::syncBehaviourColours()
{
    // One "Colour by" entry per behaviour the analysed recording has (running speed, pupil area).
    const QSignalBlocker block(colourBy_);
    const QString current = colourBy_->currentData().toString();
    for (int i = colourBy_->count() - 1; i >= 0; --i)
        if (colourBy_->itemData(i).toString().startsWith(QLatin1String("behaviour:")))
            colourBy_->removeItem(i);
    if (analysis_)
        for (const auto& [name, values] : analysis_->pre.recording.behaviour) {
            QString label = QString::fromStdString(name);
            label.replace(QLatin1Char('_'), QLatin1Char(' '));
            label[0] = label[0].toUpper();
            colourBy_->addItem(label, QStringLiteral("behaviour:") + QString::fromStdString(name));
        }
    colourBy_->setCurrentIndex(std::max(0, colourBy_->findData(current)));
}

std::vector<float> EmbeddingPanel::colourValues(QString* title, ColourMapKind* kind, double* lo,
                                                double* hi) const
{
    const Analysis& a = *analysis_;
    const int n = int(a.projection.rows()), bins = a.bins();
    std::vector<float> values(std::size_t(n), 0.0f);
    const QString what = colourBy_->currentData().toString();
    *lo = *hi = 0;
    if (what == QLatin1String("repeat")) {
        // NOLINTNEXTLINE(bugprone-integer-division): the repeat of sample i
        for (int i = 0; i < n; ++i) values[i] = float(i / bins);
        *title = tr("repeat");
        *kind = ColourMapKind::Sequential;
    } else if (what == QLatin1String("error") && decoding_) {
        // |decoded - true| in frames on the test repeat(s); samples the decoder did not test have
        // none.
        std::fill(values.begin(), values.end(), std::numeric_limits<float>::quiet_NaN());
        const DecodeResult& d = *decoding_;
        const int frames = std::max(1, a.pre.recording.frames());
        for (std::size_t t = 0; t < d.testRepeats.size(); ++t)
            for (int b = 0; b < bins; ++b) {
                const std::size_t k = t * std::size_t(bins) + std::size_t(b);
                const double decoded =
                    std::clamp(std::round(d.predicted[k]), 0.0, double(frames - 1));
                values[std::size_t(d.testRepeats[t]) * std::size_t(bins) + std::size_t(b)] =
                    float(std::abs(decoded - d.truth[k]));
            }
        *title = tr("decoding error (frames)");
        *kind = ColourMapKind::Sequential;
    } else if (what.startsWith(QLatin1String("behaviour:"))) {
        const std::string name = what.mid(10).toStdString();
        const auto& behaviour = a.pre.recording.behaviour;
        if (const auto it = behaviour.find(name);
            it != behaviour.end() && it->second.size() == values.size())
            values = it->second;
        *title = QString::fromStdString(name);
        *kind = ColourMapKind::Sequential;
    } else if (what == QLatin1String("rate")) {
        const auto X = a.pre.recording.responses.sampleMatrix();
        const bool continuous = a.pre.recording.responses.continuous();
        const double rate = continuous ? 1.0 : a.pre.recording.responses.binRateHz();
        for (int i = 0; i < n; ++i) values[i] = float(X.row(i).mean() * rate);
        *title = continuous ? tr("mean value") : tr("mean rate (Hz)");
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

QString EmbeddingPanel::axisTitle() const
{
    if (const QString stored = storedResult(); !stored.isEmpty())
        return stored + QStringLiteral(" %1");
    const std::string m = computedMethod();
    return m.empty() ? tr("PC%1")
                     : QString::fromStdString(embeddingMethod(m).title) + QStringLiteral(" %1");
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
    const bool computed = !computedMethod().empty();
    const int dims = computed ? int(xyzAll->cols())
                              : std::min<int>(dims_->currentData().toInt(), int(xyzAll->cols()));
    const Eigen::MatrixXf xyz = xyzAll->leftCols(dims);
    const QString axis = axisTitle();
    const QStringList titles{axis.arg(1), axis.arg(2), axis.arg(3)};
    view_->setPoints(xyz, values, kind, title, titles, lo, hi);
    view_->setPointSize(pointSize_->value());
    view_->setSelectedPoint(sampleToPoint(selection_.current()));
}

void EmbeddingPanel::step(int frames, int repeats)
{
    const Sample s = selection_.current();
    if (!analysis_ || s.repeat < 0) return;
    const int bins = analysis_->bins();
    const int binsPerFrame = std::max(1, bins / std::max(1, analysis_->pre.recording.frames()));
    selection_.select({std::clamp(s.repeat + repeats, 0, analysis_->repeats() - 1),
                       std::clamp(s.bin + frames * binsPerFrame, 0, bins - 1)});
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
    QString where = tr("repeat %1, frame %2, t = %3 s  ")
                        .arg(s.repeat)
                        .arg(analysis_->frameOf(s.bin))
                        .arg(s.bin / r.binRateHz(), 0, 'f', 3);
    // The line shows the coordinates drawn (at most three), the tooltip every one.
    const RowMatrixXf* xyz = coordinates();
    const QString axis = axisTitle();
    QString all = where;
    if (xyz && index < xyz->rows()) {
        const Eigen::Index shown = std::min<Eigen::Index>(3, xyz->cols());
        for (Eigen::Index c = 0; c < xyz->cols(); ++c) {
            const QString part = QStringLiteral("  ") + axis.arg(c + 1) + QStringLiteral(" ") +
                                 QString::number(double((*xyz)(index, c)), 'f', 2);
            if (c < shown) where += part;
            all += (c % 4 == 0 ? QStringLiteral("\n") : QString()) + part;
        }
        if (xyz->cols() > shown)
            where += tr("  +%1 more (point at this line for all)").arg(xyz->cols() - shown);
    }
    info_->setText(where);
    info_->setFullText(all);
}

}  // namespace neurolens
