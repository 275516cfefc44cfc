#include "TrainingForms.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>

#include <algorithm>

namespace neurolens {

CebraForm::CebraForm(QWidget* parent) : QWidget(parent)
{
    architecture_ = new QComboBox(this);
    for (const CebraArchitectureSpec& a : cebraArchitectures()) {
        architecture_->addItem(QString::fromStdString(a.title), QString::fromStdString(a.name));
        architecture_->setItemData(architecture_->count() - 1, QString::fromStdString(a.help),
                                   Qt::ToolTipRole);
    }
    architecture_->setToolTip(tr("The encoder network (hover an entry for what it sees)"));
    conditional_ = new QComboBox(this);
    conditional_->setToolTip(
        tr("How positives are drawn: a time offset later (CEBRA-Time), the same frame in another "
           "repeat, or the nearest per-frame image features or behaviour (running speed, pupil "
           "area: per sample) by CEBRA's time_delta"));
    dims_ = new QSpinBox(this);
    dims_->setRange(1, 4096);
    dims_->setValue(32);
    dims_->setToolTip(tr("Output dimensions (the paper: up to 128)"));
    iterations_ = new QSpinBox(this);
    iterations_->setRange(1, 10000000);
    iterations_->setSingleStep(500);
    iterations_->setValue(2000);
    iterations_->setToolTip(tr("Training steps (the paper: 10 000); the charts update every 100"));
    batch_ = new QSpinBox(this);
    batch_->setRange(2, 100000);
    batch_->setValue(512);
    lr_ = new QDoubleSpinBox(this);
    lr_->setDecimals(5);
    lr_->setRange(1e-6, 1);
    lr_->setValue(3e-4);
    temperature_ = new QDoubleSpinBox(this);
    temperature_->setDecimals(3);
    temperature_->setRange(0.001, 100);
    temperature_->setValue(1);
    learnable_ = new QCheckBox(tr("learnable (down to 0.1)"), this);
    timeOffset_ = new QSpinBox(this);
    timeOffset_->setRange(1, 10000);
    timeOffset_->setValue(1);
    shuffles_ = new QSpinBox(this);
    shuffles_->setRange(0, 20);
    shuffles_->setValue(2);
    shuffles_->setToolTip(tr(
        "After the model, train it again on frame labels circularly shifted per training repeat (a "
        "fresh "
        "shift per run) and decode it the same way: a score these controls reach is not evidence"));
    timeOnly_ = new QCheckBox(tr("Time-only CEBRA baseline"), this);
    timeOnly_->setChecked(true);
    timeOnly_->setToolTip(
        tr("The unsupervised CEBRA-Time with the same architecture and split, as a baseline"));
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Architecture:"), architecture_);
    form->addRow(tr("Conditional:"), conditional_);
    form->addRow(tr("Output dims:"), dims_);
    form->addRow(tr("Steps:"), iterations_);
    form->addRow(tr("Batch:"), batch_);
    form->addRow(tr("Learning rate:"), lr_);
    form->addRow(tr("Temperature:"), temperature_);
    form->addRow(QString(), learnable_);
    form->addRow(tr("Time offset:"), timeOffset_);
    form->addRow(tr("Shuffled runs:"), shuffles_);
    form->addRow(QString(), timeOnly_);
    setAnalysis(nullptr);
}

void CebraForm::setAnalysis(const AnalysisPtr& analysis)
{
    const QString previous = conditional_->currentData().toString();
    conditional_->clear();
    conditional_->addItem(tr("Time (CEBRA-Time)"), QStringLiteral("time"));
    conditional_->addItem(tr("Frame ID"), QStringLiteral("frame"));
    for (const auto& [title, name] : imageFeatureChoices(analysis))
        conditional_->addItem(title, name);
    for (const auto& [title, name] : behaviourChoices(analysis)) conditional_->addItem(title, name);
    conditional_->setCurrentIndex(std::max(0, conditional_->findData(previous)));
}

QString CebraForm::conditionalName() const
{
    return conditional_->currentData().toString();
}

CebraOptions CebraForm::options(std::uint64_t seed, const RepeatSplit& split) const
{
    CebraOptions o;
    o.architecture = cebraArchitecture(architecture_->currentData().toString().toStdString());
    o.output = dims_->value();
    o.hidden = std::max(2, std::max(o.output, 32));
    o.iterations = iterations_->value();
    o.batchSize = batch_->value();
    o.learningRate = lr_->value();
    o.temperature = temperature_->value();
    o.learnableTemperature = learnable_->isChecked();
    o.timeOffset = timeOffset_->value();
    o.seed = seed;
    // A kNN score on the validation repeats at about ten points of the run (epochs are 100 steps).
    o.validateEvery = std::max(1, (o.iterations + 999) / 1000);
    o.split = split;
    parseCebraConditional(conditionalName().toStdString(), o);
    return o;
}

CebraControlOptions CebraForm::controls(std::uint64_t seed, int threads) const
{
    CebraControlOptions c;
    c.shuffles = shuffles_->value();
    c.timeOnly = timeOnly_->isChecked();
    c.seed = seed;
    c.threads = threads;
    return c;
}

QString CebraForm::describe(const Analysis& analysis, const CebraOptions& o) const
{
    return tr("CEBRA %1 on %2 units × %3 samples; conditional %4, %5 dims, %6 steps")
        .arg(architecture_->currentData().toString())
        .arg(analysis.pre.recording.responses.units())
        .arg(analysis.pre.recording.responses.samples())
        .arg(conditional_->currentText())
        .arg(o.output)
        .arg(o.iterations);
}

}  // namespace neurolens
