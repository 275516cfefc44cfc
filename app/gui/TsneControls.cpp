#include "TsneControls.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace neurolens {

TsneControls::TsneControls(QWidget* parent) : QWidget(parent)
{
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    input_ = new QComboBox(this);
    input_->setToolTip(tr("What t-SNE embeds: the analysed responses, their first K principal components, or a stored embedding"));
    pcs_ = new QSpinBox(this);
    pcs_->setRange(2, 2000);
    pcs_->setValue(50);
    pcs_->setPrefix(tr("K = "));
    perplexity_ = new QDoubleSpinBox(this);
    perplexity_->setRange(2, 500);
    perplexity_->setDecimals(1);
    perplexity_->setValue(30);
    perplexity_->setToolTip(tr("Effective number of neighbours each sample keeps (scikit-learn's default: 30)"));
    iterations_ = new QSpinBox(this);
    iterations_->setRange(260, 100000);
    iterations_->setSingleStep(250);
    iterations_->setValue(1000);
    iterations_->setToolTip(tr("Gradient-descent iterations; the first 250 exaggerate the attraction"));
    run_ = new QPushButton(tr("Run"), this);
    run_->setToolTip(tr("Start t-SNE with these settings (the layout is shown while it optimises)"));
    pause_ = new QPushButton(tr("Pause"), this);
    pause_->setCheckable(true);
    cancel_ = new QPushButton(tr("Cancel"), this);
    status_ = new QLabel(this);
    row->addWidget(new QLabel(tr("Input:"), this));
    row->addWidget(input_);
    row->addWidget(pcs_);
    row->addSpacing(8);
    row->addWidget(new QLabel(tr("Perplexity:"), this));
    row->addWidget(perplexity_);
    row->addWidget(new QLabel(tr("Iterations:"), this));
    row->addWidget(iterations_);
    row->addWidget(run_);
    row->addWidget(pause_);
    row->addWidget(cancel_);
    row->addWidget(status_, 1);
    setInputs(nullptr);
    setRunning(false, false);

    connect(run_, &QPushButton::clicked, this, &TsneControls::runRequested);
    connect(pause_, &QPushButton::toggled, this, [this](bool on) {
        pause_->setText(on ? tr("Resume") : tr("Pause"));
        Q_EMIT pauseToggled(on);
    });
    connect(cancel_, &QPushButton::clicked, this, &TsneControls::cancelRequested);
    connect(input_, &QComboBox::currentIndexChanged, this,
            [this] { pcs_->setVisible(input_->currentData().toString() == QLatin1String("pca")); });
}

void TsneControls::setInputs(const Recording* recording)
{
    const QString previous = input_->currentData().toString();
    const QSignalBlocker block(input_);
    input_->clear();
    input_->addItem(tr("Responses"), QStringLiteral("raw"));
    input_->addItem(tr("First K PCs"), QStringLiteral("pca"));
    if (recording)
        for (const auto& [name, e] : recording->results)
            input_->addItem(tr("Embedding: %1").arg(QString::fromStdString(name)), QString::fromStdString(name));
    input_->setCurrentIndex(std::max(0, input_->findData(previous)));
    pcs_->setVisible(input_->currentData().toString() == QLatin1String("pca"));
}

QString TsneControls::input() const
{
    const QString v = input_->currentData().toString();
    return v == QLatin1String("pca") ? QStringLiteral("pca:%1").arg(pcs_->value()) : v;
}

TsneOptions TsneControls::options(int dims) const
{
    TsneOptions o;
    o.dims = dims;
    o.perplexity = perplexity_->value();
    o.iterations = iterations_->value();
    return o;
}

void TsneControls::setRunning(bool running, bool paused)
{
    pause_->setEnabled(running);
    cancel_->setEnabled(running);
    if (!running || pause_->isChecked() != paused) {
        const QSignalBlocker block(pause_);
        pause_->setChecked(running && paused);
        pause_->setText(running && paused ? tr("Resume") : tr("Pause"));
    }
}

void TsneControls::setStatus(const QString& text) { status_->setText(text); }

QString TsneControls::status() const { return status_->text(); }

}  // namespace neurolens
