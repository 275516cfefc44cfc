#include "TrainingForms.h"

#include "neurolens/features/GaborFeatures.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>

namespace neurolens {

std::vector<std::pair<QString, QString>> imageFeatureChoices(const AnalysisPtr& analysis)
{
    std::vector<std::pair<QString, QString>> out;
    if (!analysis) return out;
    const Recording& rec = analysis->pre.recording;
    for (const auto& [name, f] : rec.features)
        out.emplace_back(QObject::tr("Image features: %1").arg(QString::fromStdString(name)),
                         QString::fromStdString("features:" + name));
    if (rec.movie && !rec.features.count(kGaborFeatures))
        out.emplace_back(QObject::tr("Image features: built-in Gabor energy"),
                         QStringLiteral("features:") + kGaborFeatures);
    return out;
}

std::vector<std::pair<QString, QString>> behaviourChoices(const AnalysisPtr& analysis)
{
    std::vector<std::pair<QString, QString>> out;
    if (!analysis) return out;
    QStringList all;
    for (const auto& [name, values] : analysis->pre.recording.behaviour) {
        const QString n = QString::fromStdString(name);
        out.emplace_back(QObject::tr("Behaviour: %1").arg(QString(n).replace('_', ' ')),
                         QStringLiteral("behaviour:") + n);
        all << n;
    }
    if (all.size() > 1)
        out.emplace_back(QObject::tr("Behaviour: all (%1)").arg(all.join(QStringLiteral(", "))),
                         QStringLiteral("behaviour:") + all.join(','));
    return out;
}

VaeForm::VaeForm(QWidget* parent) : QWidget(parent)
{
    guidance_ = new QComboBox(this);
    guidance_->setToolTip(
        tr("A head on the latent mean: none; frame ID (a classifier over the movie's frames, "
           "cross-entropy); or image features (regression onto their first 32 PCs, MSE)"));
    latent_ = new QSpinBox(this);
    latent_->setRange(1, 4096);
    latent_->setValue(128);
    latent_->setToolTip(tr("Latent dimensions (the report: 128, as CEBRA's)"));
    epochs_ = new QSpinBox(this);
    epochs_->setRange(1, 100000);
    epochs_->setValue(200);
    epochs_->setToolTip(tr("Passes over the training repeats (the report: 200)"));
    beta_ = new QDoubleSpinBox(this);
    beta_->setDecimals(3);
    beta_->setRange(0, 100);
    beta_->setValue(0.05);
    beta_->setToolTip(tr("Weight of the KL term (the report's best: 0.05)"));
    batch_ = new QSpinBox(this);
    batch_->setRange(1, 100000);
    batch_->setValue(128);
    batch_->setToolTip(tr("Mini-batch size"));
    lr_ = new QDoubleSpinBox(this);
    lr_->setDecimals(5);
    lr_->setRange(1e-6, 1);
    lr_->setSingleStep(1e-4);
    lr_->setValue(1e-3);
    lr_->setToolTip(tr("Adam learning rate"));
    weight_ = new QDoubleSpinBox(this);
    weight_->setRange(0, 1000);
    weight_->setValue(1);
    weight_->setToolTip(tr("Weight of the guidance loss"));
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Guidance:"), guidance_);
    form->addRow(tr("Latent:"), latent_);
    form->addRow(tr("Epochs:"), epochs_);
    form->addRow(tr("Beta:"), beta_);
    form->addRow(tr("Batch:"), batch_);
    form->addRow(tr("Learning rate:"), lr_);
    form->addRow(tr("Guidance weight:"), weight_);
    setAnalysis(nullptr);
}

void VaeForm::setAnalysis(const AnalysisPtr& analysis)
{
    const QString previous = guidance_->currentData().toString();
    const QSignalBlocker block(guidance_);
    guidance_->clear();
    guidance_->addItem(tr("None"), QStringLiteral("none"));
    guidance_->addItem(tr("Frame ID"), QStringLiteral("frame"));
    for (const auto& [title, name] : imageFeatureChoices(analysis)) guidance_->addItem(title, name);
    guidance_->setCurrentIndex(std::max(0, guidance_->findData(previous)));
}

QString VaeForm::guidanceName() const
{
    return guidance_->currentData().toString();
}

VaeOptions VaeForm::options(std::uint64_t seed) const
{
    VaeOptions o;
    o.latent = latent_->value();
    o.epochs = epochs_->value();
    o.beta = beta_->value();
    o.batchSize = batch_->value();
    o.learningRate = lr_->value();
    o.guidanceWeight = weight_->value();
    o.seed = seed;
    const QString g = guidanceName();
    if (g == QLatin1String("frame"))
        o.guidance = VaeOptions::Guidance::Frame;
    else if (g.startsWith(QLatin1String("features:"))) {
        o.guidance = VaeOptions::Guidance::Features;
        o.features = g.mid(9).toStdString();
    }
    return o;
}

QString VaeForm::describe(const Analysis& analysis) const
{
    const VaeOptions o = options(0);
    return tr("VAE on %1 units × %2 samples; guidance %3, latent %4, β %5, %6 epochs")
        .arg(analysis.pre.recording.responses.units())
        .arg(analysis.pre.recording.responses.samples())
        .arg(guidance_->currentText())
        .arg(o.latent)
        .arg(o.beta)
        .arg(o.epochs);
}

}  // namespace neurolens
