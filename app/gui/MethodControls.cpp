#include "MethodControls.h"

#include "neurolens/widgets/ParameterForm.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace neurolens {

MethodControls::MethodControls(QWidget* parent) : QWidget(parent)
{
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    auto* row = new QHBoxLayout;
    input_ = new QComboBox(this);
    input_->setToolTip(
        tr("What the method embeds: the analysed responses, their first K principal components, or "
           "a stored embedding"));
    pcs_ = new QSpinBox(this);
    pcs_->setRange(2, 2000);
    pcs_->setValue(50);
    pcs_->setPrefix(tr("K = "));
    run_ = new QPushButton(tr("Run"), this);
    run_->setToolTip(tr("Compute the embedding with these settings"));
    pause_ = new QPushButton(tr("Pause"), this);
    pause_->setCheckable(true);
    cancel_ = new QPushButton(tr("Cancel"), this);
    status_ = new QLabel(this);
    row->addWidget(new QLabel(tr("Input:"), this));
    row->addWidget(input_);
    row->addWidget(pcs_);
    row->addSpacing(8);
    row->addWidget(run_);
    row->addWidget(pause_);
    row->addWidget(cancel_);
    row->addWidget(status_, 1);
    column->addLayout(row);
    pages_ = new QStackedWidget(this);
    for (const EmbeddingSpec& m : embeddingMethods()) {
        auto* form = new ParameterForm(m.parameters, pages_, Qt::Horizontal);
        pages_->addWidget(form);
        forms_[m.name] = form;
    }
    column->addWidget(pages_);
    setInputs(nullptr);
    setRunning(false, false);

    connect(run_, &QPushButton::clicked, this, &MethodControls::runRequested);
    connect(pause_, &QPushButton::toggled, this, [this](bool on) {
        pause_->setText(on ? tr("Resume") : tr("Pause"));
        Q_EMIT pauseToggled(on);
    });
    connect(cancel_, &QPushButton::clicked, this, &MethodControls::cancelRequested);
    connect(input_, &QComboBox::currentIndexChanged, this,
            [this] { pcs_->setVisible(input_->currentData().toString() == QLatin1String("pca")); });
}

void MethodControls::setMethod(const std::string& name)
{
    const auto it = forms_.find(name);
    if (it == forms_.end()) return;
    method_ = name;
    pages_->setCurrentWidget(it->second);
    pages_->setVisible(!it->second->specs().empty());
    pause_->setVisible(embeddingMethod(name).streams);
    run_->setToolTip(tr("Compute %1 with these settings")
                         .arg(QString::fromStdString(embeddingMethod(name).title)));
}

ParameterForm* MethodControls::form() const
{
    return static_cast<ParameterForm*>(pages_->currentWidget());
}

void MethodControls::setInputs(const Recording* recording)
{
    const QString previous = input_->currentData().toString();
    const QSignalBlocker block(input_);
    input_->clear();
    input_->addItem(tr("Responses"), QStringLiteral("raw"));
    input_->addItem(tr("First K PCs"), QStringLiteral("pca"));
    if (recording)
        for (const auto& [name, e] : recording->results)
            input_->addItem(tr("Embedding: %1").arg(QString::fromStdString(name)),
                            QString::fromStdString(name));
    input_->setCurrentIndex(std::max(0, input_->findData(previous)));
    pcs_->setVisible(input_->currentData().toString() == QLatin1String("pca"));
}

QString MethodControls::input() const
{
    const QString v = input_->currentData().toString();
    return v == QLatin1String("pca") ? QStringLiteral("pca:%1").arg(pcs_->value()) : v;
}

EmbeddingRequest MethodControls::request(int dims) const
{
    EmbeddingRequest r;
    r.dims = dims;
    if (const auto it = forms_.find(method_); it != forms_.end())
        r.parameters = it->second->values();
    return r;
}

void MethodControls::setRunning(bool running, bool paused)
{
    run_->setEnabled(true);
    pause_->setEnabled(running);
    cancel_->setEnabled(running);
    if (!running || pause_->isChecked() != paused) {
        const QSignalBlocker block(pause_);
        pause_->setChecked(running && paused);
        pause_->setText(running && paused ? tr("Resume") : tr("Pause"));
    }
}

void MethodControls::setStatus(const QString& text)
{
    status_->setText(text);
}

QString MethodControls::status() const
{
    return status_->text();
}

}  // namespace neurolens
