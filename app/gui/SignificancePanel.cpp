#include "SignificancePanel.h"

#include "RepeatSplitEditor.h"
#include "TrainingForms.h"

#include "neurolens/features/GaborFeatures.h"
#include "neurolens/widgets/NiceAxis.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QValueAxis>

#include <map>

namespace neurolens {
namespace {

struct Look {
    const char* key;
    const char* title;
    QColor colour;
    bool dashed;
};

const std::vector<Look>& looks()
{
    static const std::vector<Look> l{{"cebra", "CEBRA", QColor(214, 39, 40), false},
                                     {"cebra_shuffled", "shuffled", QColor(255, 127, 14), true},
                                     {"knn_1frame", "kNN 33 ms", QColor(190, 160, 230), false},
                                     {"knn_10frame", "kNN 330 ms", QColor(148, 103, 189), false},
                                     {"bayes_1frame", "Bayes 33 ms", QColor(120, 200, 120), false},
                                     {"bayes_10frame", "Bayes 330 ms", QColor(44, 160, 44), false}};
    return l;
}

}  // namespace

SignificancePanel::SignificancePanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    units_ = new QLineEdit(QStringLiteral("10,30,100,300,all"), this);
    units_->setToolTip(
        tr("Numbers of neurons, drawn at random for each seed; 'all' for every analysed unit"));
    seeds_ = new QSpinBox(this);
    seeds_->setRange(1, 20);
    seeds_->setValue(3);
    seeds_->setToolTip(
        tr("Draws of the neurons (and CEBRA seeds) per count: the mean and spread over them"));
    steps_ = new QSpinBox(this);
    steps_->setRange(10, 1000000);
    steps_->setSingleStep(500);
    steps_->setValue(1000);
    steps_->setToolTip(
        tr("CEBRA training steps per model (offset10, 32 hidden units and outputs)"));
    conditional_ = new QComboBox(this);
    conditional_->setToolTip(tr(
        "CEBRA's labels; the control trains the same model on labels shifted per training repeat"));
    split_ = new RepeatSplitEditor(this);
    run_ = new QPushButton(tr("Compute the curve"), this);
    form->addRow(tr("Neurons:"), units_);
    form->addRow(tr("Draws:"), seeds_);
    form->addRow(tr("CEBRA steps:"), steps_);
    form->addRow(tr("CEBRA labels:"), conditional_);
    form->addRow(tr("Repeats:"), split_);
    form->addRow(run_);
    layout->addLayout(form);
    summary_ = new QLabel(tr("Is CEBRA's frame decoding more than the population already tells? "
                             "CEBRA against the same model "
                             "trained on shuffled labels and the paper's kNN and Bayes baselines, "
                             "on the test repeat, for "
                             "growing numbers of neurons."),
                          this);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    auto* chart = new QChart;
    chart->setTitle(tr("Within 1 s on the test repeat<br>against the number of neurons"));
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->legend()->setAlignment(Qt::AlignRight);  // a column: the dock is narrow
    chart_ = new QChartView(chart, this);
    chart_->setRenderHint(QPainter::Antialiasing);
    chart_->setMinimumHeight(260);
    layout->addWidget(chart_, 1);

    connect(run_, &QPushButton::clicked, this, &SignificancePanel::run);
    connect(split_, &RepeatSplitEditor::changed, this, &SignificancePanel::updateButtons);
    connect(&runner_, &JobRunner::finished, this, [this](const QString&, const JobResult& r) {
        if (sameData(jobAnalysis_, analysis_))
            show(std::static_pointer_cast<const SignificanceResult>(r));
    });
    connect(&runner_, &JobRunner::failed, this,
            [this](const QString&, const QString& message) { Q_EMIT failed(message); });
    connect(&runner_, &JobRunner::idle, this, &SignificancePanel::updateButtons);
    setAnalysis(nullptr);
}

void SignificancePanel::setAnalysis(AnalysisPtr analysis)
{
    if (!sameData(analysis, analysis_) && result_) {
        result_.reset();
        chart_->chart()->removeAllSeries();
        for (QAbstractAxis* a : chart_->chart()->axes()) chart_->chart()->removeAxis(a);
    }
    analysis_ = std::move(analysis);
    split_->setRepeats(analysis_ ? analysis_->pre.recording.responses.repeats() : 0);
    const QString previous = conditional_->currentData().toString();
    conditional_->clear();
    conditional_->addItem(tr("Frame ID"), QStringLiteral("frame"));
    for (const auto& [title, name] : imageFeatureChoices(analysis_))
        conditional_->addItem(title, name);
    for (const auto& [title, name] : behaviourChoices(analysis_))
        conditional_->addItem(title, name);
    conditional_->setCurrentIndex(std::max(0, conditional_->findData(previous)));
    updateButtons();
}

void SignificancePanel::updateButtons()
{
    run_->setEnabled(analysis_ && split_->valid() && !runner_.busy());
}

void SignificancePanel::run()
{
    if (!analysis_ || !split_->valid()) return;
    SignificanceOptions o = SignificanceOptions::defaults();
    try {
        o.units = parseUnitCounts(units_->text().trimmed().toStdString());
        parseCebraConditional(conditional_->currentData().toString().toStdString(), o.cebra);
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
        return;
    }
    o.seeds = seeds_->value();
    o.cebra.iterations = steps_->value();
    o.split = split_->split();
    const AnalysisPtr analysis = analysis_;
    jobAnalysis_ = analysis_;
    runner_.start(QStringLiteral("significance"), [analysis, o](Progress& progress) -> JobResult {
        Recording rec = analysis->pre.recording;
        attachBuiltinFeatures(rec, o.cebra.features);
        return std::make_shared<const SignificanceResult>(significanceCurve(rec, o, progress));
    });
    updateButtons();
}

void SignificancePanel::show(const std::shared_ptr<const SignificanceResult>& r)
{
    result_ = r;
    QChart* chart = chart_->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* a : chart->axes()) chart->removeAxis(a);
    auto* x = new QLogValueAxis;
    x->setTitleText(tr("neurons"));
    x->setLabelFormat(QStringLiteral("%d"));
    x->setBase(10);
    x->setMinorTickCount(8);
    auto* y = new QValueAxis;
    y->setTitleText(tr("within 1 s"));
    applyNiceScale(y, 0, 1);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double lo = 0, hi = 0;
    std::map<std::string, double> best;  // each method's score at the largest count
    for (const Look& look : looks()) {
        auto* line = new QLineSeries;
        line->setName(tr(look.title));
        QPen pen(look.colour, 2);
        if (look.dashed) pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        auto* runs = new QScatterSeries;
        runs->setMarkerSize(5);
        runs->setColor(look.colour);
        runs->setBorderColor(look.colour);
        for (const CurvePoint& p : r->curve)
            if (p.method == look.key) {
                line->append(p.units, p.mean);
                for (double v : p.runs) runs->append(p.units, v);
                lo = lo == 0 ? p.units : std::min<double>(lo, p.units);
                hi = std::max<double>(hi, p.units);
                best[look.key] = p.mean;
            }
        if (line->count() == 0) {
            delete line;
            delete runs;
            continue;
        }
        for (QAbstractSeries* s :
             {static_cast<QAbstractSeries*>(line), static_cast<QAbstractSeries*>(runs)}) {
            chart->addSeries(s);
            s->attachAxis(x);
            s->attachAxis(y);
        }
        chart->legend()->markers(runs).first()->setVisible(false);
    }
    if (hi > 0) {
        auto* chance = new QLineSeries;
        chance->setName(tr("chance"));
        chance->setPen(QPen(QColor(120, 120, 120), 1.5, Qt::DashLine));
        chance->append(lo, r->chanceWithin);
        chance->append(hi, r->chanceWithin);
        chart->addSeries(chance);
        chance->attachAxis(x);
        chance->attachAxis(y);
        x->setRange(lo / 1.3, hi * 1.3);
    }
    const double cebra = best.count("cebra") ? best["cebra"] : 0;
    double baseline = 0;
    std::string baselineName;
    for (const char* k : {"knn_1frame", "knn_10frame", "bayes_1frame", "bayes_10frame"})
        if (best.count(k) && best[k] > baseline) baseline = best[k], baselineName = k;
    summary_->setText(tr("%1 neurons, %2; in %3 s. With every neuron CEBRA decodes %4 of the test "
                         "frames within 1 s, "
                         "shuffled-label CEBRA %5, the best population baseline (%6) %7, chance "
                         "%8: CEBRA %9 the baselines "
                         "on held-out data here.")
                          .arg(r->unitsAvailable)
                          .arg(QString::fromStdString(r->split.describe()))
                          .arg(r->seconds, 0, 'f', 0)
                          .arg(cebra, 0, 'f', 3)
                          .arg(best.count("cebra_shuffled")
                                   ? QString::number(best["cebra_shuffled"], 'f', 3)
                                   : tr("not run"))
                          .arg(QString::fromStdString(baselineName))
                          .arg(baseline, 0, 'f', 3)
                          .arg(r->chanceWithin, 0, 'f', 3)
                          .arg(cebra > baseline ? tr("beats") : tr("does not beat")));
    Q_EMIT computed();
}

}  // namespace neurolens
