#include "DecoderPanel.h"

#include "RepeatSplitEditor.h"

#include "SweepChart.h"

#include "neurolens/data/Error.h"
#include "neurolens/preprocess/RepeatSplit.h"
#include "neurolens/widgets/FittedStack.h"
#include "neurolens/widgets/FrameStrip.h"
#include "neurolens/widgets/NiceAxis.h"
#include "neurolens/widgets/ParameterForm.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <QRegularExpression>
#include <QStringList>

#include <cmath>

namespace neurolens {

DecoderPanel::DecoderPanel(SampleSelection& selection, QWidget* parent)
    : QWidget(parent), selection_(selection)
{
    qRegisterMetaType<std::shared_ptr<const neurolens::DecodeResult>>();
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    model_ = new QComboBox(this);
    parameterPages_ = new FittedStack(this);
    for (const DecoderSpec& d : frameDecoders()) {
        model_->addItem(tr(d.title.c_str()), QString::fromStdString(d.name));
        model_->setItemData(model_->count() - 1, QString::fromStdString(d.help), Qt::ToolTipRole);
        parameterPages_->addWidget(new ParameterForm(d.parameters, parameterPages_));
    }
    features_ = new QComboBox(this);
    pcs_ = new QSpinBox(this);
    pcs_->setRange(1, 5000);
    pcs_->setValue(3);
    pcs_->setPrefix(tr("K = "));
    auto* featureRow = new QHBoxLayout;
    featureRow->addWidget(features_, 1);
    featureRow->addWidget(pcs_);
    shuffles_ = new QSpinBox(this);
    shuffles_->setRange(0, 1000);
    shuffles_->setValue(5);
    shuffles_->setToolTip(
        tr("Label-shuffle controls: training labels circularly shifted per repeat, decoder "
           "retrained"));
    runButton_ = new QPushButton(tr("Decode"), this);
    form->addRow(tr("Model:"), model_);
    form->addRow(tr("Features:"), featureRow);
    form->addRow(parameterPages_);
    form->addRow(tr("Shuffles:"), shuffles_);
    form->addRow(runButton_);
    layout->addLayout(form);
    summary_ = new QLabel(tr("Train on all repeats but the last, test on the last."), this);
    // What made the results shown (and whether the settings have changed since).
    madeBy_ = new QLabel(this);
    madeBy_->setWordWrap(true);
    madeBy_->hide();
    summary_->setWordWrap(true);
    layout->addWidget(summary_);

    table_ = new QTableWidget(5, 4, this);
    table_->setHorizontalHeaderLabels({tr("test"), tr("train"), tr("chance"), tr("shuffled")});
    table_->setVerticalHeaderLabels(
        {tr("R²"), tr("MAE (frames)"), tr("RMSE (frames)"), tr("exact"), tr("within 1 s")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setMaximumHeight(table_->verticalHeader()->length() +
                             table_->horizontalHeader()->height() + 6);
    layout->addWidget(madeBy_);
    layout->addWidget(table_);

    auto* chart = new QChart;
    chart->setTitle(tr("Decoded against true frame (test repeat)"));
    chart->legend()->hide();
    chart->setMargins(QMargins(2, 2, 2, 2));
    points_ = new QScatterSeries;
    points_->setMarkerSize(4);
    points_->setBorderColor(Qt::transparent);
    diagonal_ = new QLineSeries;
    diagonal_->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    chart->addSeries(diagonal_);
    chart->addSeries(points_);
    auto* ax = new QValueAxis;
    ax->setTitleText(tr("true frame"));
    ax->setLabelFormat(QStringLiteral("%d"));
    auto* ay = new QValueAxis;
    ay->setTitleText(tr("decoded frame"));
    ay->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    for (QAbstractSeries* s : std::initializer_list<QAbstractSeries*>{points_, diagonal_}) {
        s->attachAxis(ax);
        s->attachAxis(ay);
    }
    chart_ = new QChartView(chart, this);
    chart_->setRenderHint(QPainter::Antialiasing);
    chart_->setMinimumHeight(200);
    tabs_ = new QTabWidget(this);
    tabs_->addTab(chart_, tr("Decoded vs true"));

    // The sweep tab: seed figures 6, 9 and 10.
    auto* sweepPage = new QWidget(this);
    auto* sweepLayout = new QVBoxLayout(sweepPage);
    sweepLayout->setContentsMargins(0, 4, 0, 0);
    auto* sweepRow = new QGridLayout;
    sweepParameter_ = new QComboBox(sweepPage);
    sweepParameter_->setToolTip(
        tr("What to sweep: a parameter of the decoder, or the number of principal components "
           "used as features"));
    sweepValues_ = new QLineEdit(sweepPage);
    sweepValues_->setToolTip(tr("The values to try, separated by spaces or commas"));
    sweepMetric_ = new QComboBox(sweepPage);
    for (auto m : {SweepChart::Metric::Within, SweepChart::Metric::Accuracy, SweepChart::Metric::R2,
                   SweepChart::Metric::Mae})
        sweepMetric_->addItem(SweepChart::metricName(m), int(m));
    sweepButton_ = new QPushButton(tr("Sweep"), sweepPage);
    // Two rows, so that the values' field is wide in a narrow dock.
    sweepRow->addWidget(sweepParameter_, 0, 0);
    sweepRow->addWidget(sweepValues_, 0, 1);
    sweepRow->addWidget(sweepMetric_, 1, 0);
    sweepRow->addWidget(sweepButton_, 1, 1);
    sweepRow->setColumnStretch(1, 1);
    sweepLayout->addLayout(sweepRow);
    sweepMadeBy_ = new QLabel(sweepPage);
    sweepMadeBy_->setWordWrap(true);
    sweepLayout->addWidget(sweepMadeBy_);
    sweepChart_ = new SweepChart(sweepPage);
    sweepLayout->addWidget(sweepChart_, 1);
    tabs_->addTab(sweepPage, tr("Sweep"));
    layout->addWidget(tabs_, 1);
    strip_ = new FrameStrip(this);
    auto* stripTitle = new QLabel(
        tr("First decoded frames of the test repeat (true above, decoded below):"), this);
    stripTitle->setWordWrap(true);
    layout->addWidget(stripTitle);
    layout->addWidget(strip_);
    colourButton_ = new QPushButton(tr("Colour the scatter by the decoding error"), this);
    colourButton_->setToolTip(
        tr("Colours each test sample in the embedding view by |decoded − true| frame"));
    colourButton_->setEnabled(false);
    layout->addWidget(colourButton_);
    connect(colourButton_, &QPushButton::clicked, this, &DecoderPanel::colourScatterRequested);

    connect(model_, &QComboBox::currentIndexChanged, this, [this](int index) {
        parameterPages_->setCurrentIndex(index);
        listSweepParameters();
    });
    connect(features_, &QComboBox::currentIndexChanged, this, [this] {
        updateControls();
        markStale();
    });
    connect(model_, &QComboBox::currentIndexChanged, this, [this] { markStale(); });
    connect(pcs_, &QSpinBox::valueChanged, this, [this] { markStale(); });
    for (int i = 0; i < parameterPages_->count(); ++i)
        connect(static_cast<ParameterForm*>(parameterPages_->widget(i)), &ParameterForm::changed,
                this, [this] { markStale(); });
    connect(runButton_, &QPushButton::clicked, this, &DecoderPanel::run);
    connect(sweepButton_, &QPushButton::clicked, this, &DecoderPanel::runSweep);
    connect(sweepValues_, &QLineEdit::returnPressed, this, &DecoderPanel::runSweep);
    connect(sweepParameter_, &QComboBox::currentIndexChanged, this,
            [this] { suggestSweepValues(); });
    connect(sweepMetric_, &QComboBox::currentIndexChanged, this, [this] {
        sweepChart_->setMetric(SweepChart::Metric(sweepMetric_->currentData().toInt()));
    });
    connect(&runner_, &JobRunner::finished, this,
            [this](const QString& label, const JobResult& result) {
                if (label == QLatin1String("sweep")) {
                    sweepAnalysis_ = jobAnalysis_;
                    showSweep(std::static_pointer_cast<const SweepResult>(result));
                    tabs_->setCurrentWidget(sweepChart_->parentWidget());
                } else if (sameData(jobAnalysis_,
                                    analysis_)) {  // a result for other samples is dropped
                    resultAnalysis_ = jobAnalysis_;
                    show(std::static_pointer_cast<const DecodeResult>(result));
                }
            });
    connect(&runner_, &JobRunner::failed, this,
            [this](const QString&, const QString& message) { Q_EMIT failed(message); });
    connect(strip_, &FrameStrip::itemClicked, this, [this](int index) {
        if (!result_ || !analysis_) return;
        const int bins = analysis_->bins();
        selection_.select({result_->testRepeats.front() + index / bins, index % bins});
    });
    listSweepParameters();
}

ParameterForm* DecoderPanel::currentForm() const
{
    return static_cast<ParameterForm*>(parameterPages_->currentWidget());
}

QString DecoderPanel::decoder() const
{
    return model_->currentData().toString();
}

Parameters DecoderPanel::parameters() const
{
    return currentForm()->values();
}

bool DecoderPanel::setDecoder(const QString& name, const Parameters& parameters)
{
    const int index = model_->findData(name);
    if (index < 0) return false;
    model_->setCurrentIndex(index);
    currentForm()->setValues(parameters);
    return true;
}

void DecoderPanel::listSweepParameters()
{
    const DecoderSpec& spec = frameDecoder(decoder().toStdString());
    const QSignalBlocker block(sweepParameter_);
    sweepParameter_->clear();
    for (const ParameterSpec& p : spec.parameters)
        if (p.kind != ParameterSpec::Kind::Choice)
            sweepParameter_->addItem(tr(p.title.c_str()), QString::fromStdString(p.name));
    sweepParameter_->addItem(tr("Number of PCs"), QString::fromStdString(kSweepComponents));
    sweepParameter_->setCurrentIndex(
        std::max(0, sweepParameter_->findData(QString::fromStdString(spec.sweepParameter))));
    suggestSweepValues();
}

void DecoderPanel::suggestSweepValues()
{
    const DecoderSpec& spec = frameDecoder(decoder().toStdString());
    const std::string parameter = sweepParameter_->currentData().toString().toStdString();
    QStringList values;
    if (parameter == kSweepComponents)
        values = QStringLiteral("1 2 3 5 10 20 50 100 200 400").split(QLatin1Char(' '));
    else if (parameter == spec.sweepParameter)
        for (double v : spec.sweepValues) values << QString::number(v);
    sweepValues_->setText(values.join(QLatin1Char(' ')));
    sweepMetric_->setCurrentIndex(sweepMetric_->findData(
        int(spec.regression ? SweepChart::Metric::R2 : SweepChart::Metric::Within)));
    updateControls();
}

void DecoderPanel::updateControls()
{
    pcs_->setVisible(features_->currentData().toString() == QLatin1String("pca"));
    runButton_->setEnabled(analysis_ != nullptr);
    sweepButton_->setEnabled(analysis_ != nullptr);
}

void DecoderPanel::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    const QString previous = features_->currentData().toString();
    features_->clear();
    features_->addItem(tr("Responses (all units)"), QStringLiteral("raw"));
    features_->addItem(tr("First K principal components"), QStringLiteral("pca"));
    if (analysis_)
        for (const auto& [name, e] : analysis_->pre.recording.results)
            features_->addItem(tr("Embedding: %1").arg(QString::fromStdString(name)),
                               QString::fromStdString(name));
    features_->setCurrentIndex(std::max(0, features_->findData(previous)));
    updateControls();
}

DecodeOptions DecoderPanel::options() const
{
    DecodeOptions o;
    o.decoder = decoder().toStdString();
    o.parameters = parameters();
    const QString f = features_->currentData().toString();
    o.features =
        f == QLatin1String("pca") ? "pca:" + std::to_string(pcs_->value()) : f.toStdString();
    o.shuffles = shuffles_->value();
    // A trained model's latents are tested on the repeats it never saw: its own split.
    if (analysis_) {
        const auto stored = analysis_->pre.recording.results.find(o.features);
        if (stored != analysis_->pre.recording.results.end())
            if (const auto split = storedSplit(stored->second)) {
                o.trainRepeats = split->fitRepeats();
                o.testRepeats = split->test;
            }
    }
    return o;
}

void DecoderPanel::run()
{
    if (!analysis_) return;
    const AnalysisPtr analysis = analysis_;
    jobAnalysis_ = analysis_;
    const DecodeOptions o = options();
    runner_.start(QStringLiteral("decoding"), [analysis, o](Progress& progress) -> JobResult {
        return std::make_shared<const DecodeResult>(
            decodeFrames(analysis->pre.recording, o, progress));
    });
}

void DecoderPanel::runSweep()
{
    if (!analysis_ || !sweepButton_->isEnabled()) return;
    std::vector<double> values;
    for (const QString& token : sweepValues_->text().split(
             QRegularExpression(QStringLiteral("[\\s,;]+")), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = token.toDouble(&ok);
        if (!ok || !(v > 0)) {
            Q_EMIT failed(
                tr("“%1” is not a positive number; give the sweep's values separated by spaces.")
                    .arg(token));
            return;
        }
        values.push_back(v);
    }
    if (values.empty()) {
        Q_EMIT failed(tr("Give the values to sweep, separated by spaces."));
        return;
    }
    std::sort(values.begin(), values.end());
    const AnalysisPtr analysis = analysis_;
    const DecodeOptions o = options();
    const std::string name = sweepParameter_->currentData().toString().toStdString();
    const bool components = name == kSweepComponents;
    const ParameterSpec* spec = findParameter(frameDecoder(o.decoder).parameters, name);
    const bool logScale = !components && spec && spec->logScale;
    jobAnalysis_ = analysis;
    runner_.start(
        QStringLiteral("sweep"),
        [analysis, o, name, values, logScale](Progress& progress) -> JobResult {
            auto out = std::make_shared<SweepResult>();
            const Recording& rec = analysis->pre.recording;
            out->points = sweep(rec, o, name, values, progress);
            std::vector<int> truth;
            const std::size_t testRepeats = o.testRepeats.empty() ? 1 : o.testRepeats.size();
            for (std::size_t i = 0; i < testRepeats; ++i)
                truth.insert(truth.end(), rec.stimulus.frame.begin(), rec.stimulus.frame.end());
            out->chance = chanceScores(truth, rec.frames(), o.window);
            out->parameter = name;
            out->logScale = logScale;
            out->options = o;
            return std::shared_ptr<const SweepResult>(out);
        });
}

bool DecoderPanel::restore(const std::shared_ptr<const DecodeResult>& result)
{
    if (!result || !analysis_) return false;
    const int bins = analysis_->bins(), repeats = analysis_->repeats();
    if (result->predicted.size() != result->testRepeats.size() * std::size_t(bins)) return false;
    for (const std::vector<int>* set : {&result->trainRepeats, &result->testRepeats})
        for (int r : *set)
            if (r < 0 || r >= repeats) return false;
    for (std::size_t i = 0; i < result->truth.size(); ++i)
        if (result->truth[i] != analysis_->frameOf(int(i % std::size_t(bins)))) return false;
    resultAnalysis_ = analysis_;
    show(result);
    return true;
}

bool DecoderPanel::restoreSweep(const std::shared_ptr<const SweepResult>& sweep)
{
    if (!sweep || !analysis_) return false;
    for (const std::vector<int>* set : {&sweep->options.trainRepeats, &sweep->options.testRepeats})
        for (int r : *set)
            if (r < 0 || r >= analysis_->repeats()) return false;
    sweepAnalysis_ = analysis_;
    showSweep(sweep);
    return true;
}

void DecoderPanel::showSweep(const std::shared_ptr<const SweepResult>& sweep)
{
    sweep_ = sweep;
    const QString parameter = sweep->parameter == kSweepComponents
                                  ? tr("principal components")
                                  : QString::fromStdString(sweep->parameter);
    sweepChart_->setSweep(sweep->points, sweep->chance, parameter, sweep->logScale);
    markStale();
    Q_EMIT swept();
}

QString DecoderPanel::describe(const DecodeOptions& o) const
{
    QString text;
    try {
        text = tr(frameDecoder(o.decoder).title.c_str());
    } catch (const Error&) {
        text = QString::fromStdString(o.decoder);
    }
    QStringList parameters;
    for (const auto& [name, value] : o.parameters.numbers)
        parameters
            << QStringLiteral("%1 %2").arg(QString::fromStdString(name)).arg(value, 0, 'g', 4);
    for (const auto& [name, value] : o.parameters.choices)
        parameters << QStringLiteral("%1 %2").arg(QString::fromStdString(name),
                                                  QString::fromStdString(value));
    if (!parameters.isEmpty())
        text += QStringLiteral(" (") + parameters.join(QStringLiteral(", ")) + ")";
    const QString f = QString::fromStdString(o.features);
    text += tr(" on %1").arg(f == QLatin1String("raw") ? tr("the responses of every unit")
                             : f.startsWith(QLatin1String("pca:"))
                                 ? tr("the first %1 principal components").arg(f.mid(4))
                                 : tr("the embedding %1").arg(f));
    if (!o.trainRepeats.empty())
        text += tr("; trained on repeats %1, tested on %2")
                    .arg(QString::fromStdString(formatRepeatList(o.trainRepeats)),
                         QString::fromStdString(formatRepeatList(o.testRepeats)));
    return text;
}

void DecoderPanel::markStale()
{
    // The settings as set now against those that made what is shown: the decoder, its parameters
    // (those the form sets) and the features.
    const DecodeOptions now = options();
    auto same = [&now](const DecodeOptions& made) {
        if (made.decoder != now.decoder || made.features != now.features) return false;
        for (const auto& [name, value] : now.parameters.numbers)
            if (made.parameters.numbers.count(name) && made.parameters.numbers.at(name) != value)
                return false;
        for (const auto& [name, value] : now.parameters.choices)
            if (made.parameters.choices.count(name) && made.parameters.choices.at(name) != value)
                return false;
        return true;
    };
    const QString stale = tr("<b>Stale</b> (the settings above have changed since): ");
    if (result_) {
        const bool current = same(result_->options);
        madeBy_->setText((current ? tr("Results of ") : stale) +
                         describe(result_->options).toHtmlEscaped());
        madeBy_->setStyleSheet(current ? QString() : QStringLiteral("color: #a04000;"));
        madeBy_->show();
        table_->setEnabled(current);
        chart_->setEnabled(current);
    }
    if (sweep_) {
        const bool current = same(sweep_->options);
        sweepMadeBy_->setText((current ? tr("Sweep of ") : stale) +
                              describe(sweep_->options).toHtmlEscaped());
        sweepMadeBy_->setStyleSheet(current ? QString() : QStringLiteral("color: #a04000;"));
    } else {
        sweepMadeBy_->setText(tr("No sweep yet."));
    }
}

void DecoderPanel::show(const std::shared_ptr<const DecodeResult>& r)
{
    result_ = r;
    const FrameScores* columns[4] = {&r->test, &r->train, &r->chance,
                                     r->shuffles ? &r->shuffleMean : nullptr};
    for (int c = 0; c < 4; ++c)
        for (int row = 0; row < 5; ++row) {
            QString text = QStringLiteral("–");
            if (columns[c]) {
                const double v[5] = {columns[c]->r2, columns[c]->mae, columns[c]->rmse,
                                     columns[c]->accuracy, columns[c]->within};
                text = row == 1 || row == 2 ? QString::number(v[row], 'f', 1)
                                            : QString::number(v[row], 'f', 3);
            }
            table_->setItem(row, c, new QTableWidgetItem(text));
        }
    summary_->setText(
        tr("%1 features; trained on %2 repeat(s), tested on %3. %4")
            .arg(r->featureDims)
            .arg(r->trainRepeats.size())
            .arg(r->testRepeats.size())
            .arg(r->shuffles ? tr("%1 of %2 shuffles reached the real within-1-s accuracy.")
                                   .arg(int(std::lround(r->shuffleBeatFraction * r->shuffles)))
                                   .arg(r->shuffles)
                             : QString()));
    QList<QPointF> pts;
    int maxFrame = 1;
    for (std::size_t i = 0; i < r->truth.size(); ++i) {
        pts.append(QPointF(r->truth[i], r->predicted[i]));
        maxFrame = std::max(maxFrame, r->truth[i]);
    }
    points_->replace(pts);
    diagonal_->replace({QPointF(0, 0), QPointF(maxFrame, maxFrame)});
    auto* ax = qobject_cast<QValueAxis*>(chart_->chart()->axes(Qt::Horizontal).first());
    auto* ay = qobject_cast<QValueAxis*>(chart_->chart()->axes(Qt::Vertical).first());
    applyNiceScale(ax, 0, maxFrame);
    applyNiceScale(
        ay, std::min(0.0, *std::min_element(r->predicted.begin(), r->predicted.end())),
        std::max(double(maxFrame), *std::max_element(r->predicted.begin(), r->predicted.end())));

    std::vector<FrameStripItem> items;
    const auto& movie = analysis_ ? analysis_->pre.recording.movie : std::nullopt;
    const int frames = analysis_ ? analysis_->pre.recording.frames() : 1;
    auto image = [&](int f) {
        if (!movie || f < 0 || f >= movie->frames) return QImage();
        return QImage(movie->frame(f), movie->width, movie->height, movie->width,
                      QImage::Format_Grayscale8)
            .copy();
    };
    for (std::size_t i = 0; i < std::min<std::size_t>(r->truth.size(), 60); ++i) {
        const int truth = r->truth[i];
        const int decoded = std::clamp(int(std::lround(r->predicted[i])), 0, frames - 1);
        items.push_back({image(truth), image(decoded),
                         tr("%1 → %2\nerror %3").arg(truth).arg(decoded).arg(decoded - truth)});
    }
    strip_->setItems(items);
    colourButton_->setEnabled(true);
    Q_EMIT decoded(r);
    markStale();
}

}  // namespace neurolens
