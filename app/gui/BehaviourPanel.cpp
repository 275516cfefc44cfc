#include "BehaviourPanel.h"

#include "RepeatSplitEditor.h"

#include "neurolens/preprocess/RepeatSplit.h"

#include "neurolens/widgets/FittedStack.h"
#include "neurolens/widgets/NiceAxis.h"
#include "neurolens/widgets/ParameterForm.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace neurolens {

BehaviourPanel::BehaviourPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    behaviour_ = new QComboBox(this);
    behaviour_->setToolTip(tr("The recording's behaviour series, one value per bin"));
    model_ = new QComboBox(this);
    parameterPages_ = new FittedStack(this);
    for (const BehaviourRegressorSpec& b : behaviourRegressors()) {
        model_->addItem(tr(b.title.c_str()), QString::fromStdString(b.name));
        model_->setItemData(model_->count() - 1, QString::fromStdString(b.help), Qt::ToolTipRole);
        parameterPages_->addWidget(new ParameterForm(b.parameters, parameterPages_));
    }
    choose_ = new QCheckBox(tr("Choose it automatically"), this);
    choose_->setChecked(true);
    choose_->setToolTip(
        tr("Tries the regression's usual values, fitted on all training repeats but the last and "
           "scored "
           "on the last one; the test repeat takes no part"));
    features_ = new QComboBox(this);
    pcs_ = new QSpinBox(this);
    pcs_->setRange(1, 5000);
    pcs_->setValue(32);
    pcs_->setPrefix(tr("K = "));
    auto* featureRow = new QHBoxLayout;
    featureRow->addWidget(features_, 1);
    featureRow->addWidget(pcs_);
    shuffles_ = new QSpinBox(this);
    shuffles_->setRange(0, 1000);
    shuffles_->setValue(5);
    shuffles_->setToolTip(
        tr("Shuffle controls: each training repeat's behaviour circularly "
           "shifted, the regression refitted and tested on the true one"));
    run_ = new QPushButton(tr("Decode the behaviour"), this);
    form->addRow(tr("Behaviour:"), behaviour_);
    form->addRow(tr("Model:"), model_);
    form->addRow(parameterPages_);
    form->addRow(QString(), choose_);
    form->addRow(tr("Features:"), featureRow);
    form->addRow(tr("Shuffles:"), shuffles_);
    form->addRow(run_);
    layout->addLayout(form);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);

    table_ = new QTableWidget(4, 4, this);
    table_->setHorizontalHeaderLabels({tr("test"), tr("train"), tr("chance"), tr("shuffled")});
    table_->setVerticalHeaderLabels({tr("R²"), tr("correlation"), tr("MAE"), tr("RMSE")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setMaximumHeight(table_->verticalHeader()->length() +
                             table_->horizontalHeader()->height() + 6);
    layout->addWidget(table_);

    auto* chart = new QChart;
    chart->setTitle(tr("Decoded and true behaviour (test repeat)"));
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart_ = new QChartView(chart, this);
    chart_->setRenderHint(QPainter::Antialiasing);
    chart_->setMinimumHeight(220);
    layout->addWidget(chart_, 1);

    connect(model_, &QComboBox::currentIndexChanged, this, [this](int index) {
        parameterPages_->setCurrentIndex(index);
        updateControls();
    });
    connect(features_, &QComboBox::currentIndexChanged, this, [this] { updateControls(); });
    connect(choose_, &QCheckBox::toggled, this, [this] { updateControls(); });
    connect(run_, &QPushButton::clicked, this, &BehaviourPanel::run);
    connect(&runner_, &JobRunner::finished, this, [this](const QString&, const JobResult& r) {
        if (!sameData(jobAnalysis_, analysis_)) return;  // made for other samples: dropped
        resultAnalysis_ = jobAnalysis_;
        show(std::static_pointer_cast<const BehaviourDecodeResult>(r));
    });
    connect(&runner_, &JobRunner::failed, this,
            [this](const QString&, const QString& message) { Q_EMIT failed(message); });
    setAnalysis(nullptr);
}

void BehaviourPanel::updateControls()
{
    pcs_->setVisible(features_->currentData().toString() == QLatin1String("pca"));
    // The tuned parameter's field is what the checkbox replaces.
    const BehaviourRegressorSpec& spec =
        behaviourRegressor(model_->currentData().toString().toStdString());
    if (auto* form = static_cast<ParameterForm*>(parameterPages_->currentWidget()))
        if (QWidget* field = form->field(spec.tuned)) field->setEnabled(!choose_->isChecked());
    choose_->setText(tr("Choose %1 automatically").arg(QString::fromStdString(spec.tuned)));
    run_->setEnabled(analysis_ && behaviour_->count() > 0);
    if (!analysis_)
        summary_->setText(tr("Open a recording to decode its behaviour."));
    else if (behaviour_->count() == 0)
        summary_->setText(
            tr("This recording has no behaviour. NWB files bring running speed and pupil area; "
               "convert --behaviour NAME=/path reads any other series."));
    else if (!result_)
        summary_->setText(
            tr("Train on all repeats but the last (or an embedding's own split), "
               "test on the last."));
    else
        summary_->setText(resultText_);
}

void BehaviourPanel::setAnalysis(AnalysisPtr analysis)
{
    analysis_ = std::move(analysis);
    // A result made on other samples is not this analysis': cleared, not shown as if it were.
    if (result_ && !sameData(resultAnalysis_, analysis_)) {
        result_.reset();
        resultAnalysis_.reset();
        table_->clearContents();
        chart_->chart()->removeAllSeries();
        for (QAbstractAxis* a : chart_->chart()->axes()) chart_->chart()->removeAxis(a);
    }
    const QString previousBehaviour = behaviour_->currentData().toString();
    const QString previousFeatures = features_->currentData().toString();
    behaviour_->clear();
    features_->clear();
    features_->addItem(tr("Responses (all units)"), QStringLiteral("raw"));
    features_->addItem(tr("First K principal components"), QStringLiteral("pca"));
    if (analysis_) {
        for (const auto& [name, values] : analysis_->pre.recording.behaviour)
            behaviour_->addItem(QString::fromStdString(name).replace('_', ' '),
                                QString::fromStdString(name));
        for (const auto& [name, e] : analysis_->pre.recording.results)
            features_->addItem(tr("Embedding: %1").arg(QString::fromStdString(name)),
                               QString::fromStdString(name));
    }
    behaviour_->setCurrentIndex(std::max(0, behaviour_->findData(previousBehaviour)));
    features_->setCurrentIndex(std::max(0, features_->findData(previousFeatures)));
    updateControls();
}

BehaviourDecodeOptions BehaviourPanel::options() const
{
    BehaviourDecodeOptions o;
    o.behaviour = behaviour_->currentData().toString().toStdString();
    o.model = model_->currentData().toString().toStdString();
    const BehaviourRegressorSpec& spec = behaviourRegressor(o.model);
    o.parameters = static_cast<ParameterForm*>(parameterPages_->currentWidget())->values();
    if (choose_->isChecked()) {
        o.parameters.numbers.erase(spec.tuned);
        o.parameters.choices.erase(spec.tuned);
    }
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

void BehaviourPanel::run()
{
    if (!analysis_ || !run_->isEnabled()) return;
    const AnalysisPtr analysis = analysis_;
    jobAnalysis_ = analysis_;
    const BehaviourDecodeOptions o = options();
    runner_.start(QStringLiteral("behaviour decoding"),
                  [analysis, o](Progress& progress) -> JobResult {
                      return std::make_shared<const BehaviourDecodeResult>(
                          decodeBehaviour(analysis->pre.recording, o, progress));
                  });
}

void BehaviourPanel::show(const std::shared_ptr<const BehaviourDecodeResult>& r)
{
    result_ = r;
    const auto cell = [&](int row, int col, double v, bool present = true) {
        table_->setItem(
            row, col,
            new QTableWidgetItem(present && std::isfinite(v) ? QString::number(v, 'f', 3)
                                                             : QStringLiteral("–")));
    };
    const BehaviourScores* columns[] = {&r->test, &r->train, &r->chance, &r->shuffleMean};
    for (int c = 0; c < 4; ++c) {
        const bool present = c < 3 || r->shuffles > 0;
        cell(0, c, columns[c]->r2, present);
        cell(1, c, columns[c]->pearson, present);
        cell(2, c, columns[c]->mae, present);
        cell(3, c, columns[c]->rmse, present);
    }
    const BehaviourDecodeOptions& o = r->options;
    const BehaviourRegressorSpec& spec = behaviourRegressor(o.model);
    QString text =
        tr("%1 by %2 (%3%4) on %5 (%6 dims); trained on repeats %7, tested on %8 (%9 samples with "
           "the behaviour known).")
            .arg(QString::fromStdString(o.behaviour).replace('_', ' '),
                 QString::fromStdString(spec.title),
                 QString::fromStdString(o.parameters.describe(spec.parameters)),
                 r->tuned.empty() ? QString() : tr(", chosen on the last training repeat"),
                 QString::fromStdString(o.features))
            .arg(r->featureDims)
            .arg(QString::fromStdString(formatRepeatList(r->trainRepeats)),
                 QString::fromStdString(formatRepeatList(r->testRepeats)))
            .arg(r->test.samples);
    if (r->shuffles > 0)
        text += tr(" %1 of %2 shuffles reached the real R².")
                    .arg(int(std::lround(r->shuffleBeatFraction * r->shuffles)))
                    .arg(r->shuffles);
    resultText_ = text;
    summary_->setText(text);

    // The first test repeat: true (grey) and decoded, against time in the repeat.
    QChart* chart = chart_->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* a : chart->axes()) chart->removeAxis(a);
    const int bins = resultAnalysis_ ? resultAnalysis_->bins() : int(r->truth.size());
    const double rate = resultAnalysis_ ? resultAnalysis_->pre.recording.responses.binRateHz() : 1;
    auto* truth = new QLineSeries;
    truth->setName(tr("true"));
    truth->setPen(QPen(QColor(110, 110, 110), 1.5));
    auto* guess = new QLineSeries;
    guess->setName(tr("decoded"));
    guess->setPen(QPen(QColor(31, 119, 180), 1.5));
    double lo = INFINITY, hi = -INFINITY;
    for (int b = 0; b < std::min<int>(bins, int(r->truth.size())); ++b) {
        const double t = b / rate;
        if (std::isfinite(r->truth[std::size_t(b)])) {
            truth->append(t, r->truth[std::size_t(b)]);
            lo = std::min(lo, r->truth[std::size_t(b)]);
            hi = std::max(hi, r->truth[std::size_t(b)]);
        }
        guess->append(t, r->predicted[std::size_t(b)]);
        lo = std::min(lo, r->predicted[std::size_t(b)]);
        hi = std::max(hi, r->predicted[std::size_t(b)]);
    }
    chart->addSeries(truth);
    chart->addSeries(guess);
    auto* ax = new QValueAxis;
    ax->setTitleText(tr("time in the repeat (s)"));
    applyNiceScale(ax, 0, bins / rate);
    auto* ay = new QValueAxis;
    ay->setTitleText(QString::fromStdString(o.behaviour).replace('_', ' '));
    if (lo < hi) applyNiceScale(ay, lo, hi);
    chart->addAxis(ax, Qt::AlignBottom);
    chart->addAxis(ay, Qt::AlignLeft);
    for (QLineSeries* s : {truth, guess}) {
        s->attachAxis(ax);
        s->attachAxis(ay);
    }
    Q_EMIT decoded();
}

}  // namespace neurolens
