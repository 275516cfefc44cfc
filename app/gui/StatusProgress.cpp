#include "StatusProgress.h"

#include "JobRunner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>

namespace neurolens {

StatusProgress::StatusProgress(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    label_ = new QLabel(this);
    label_->setMinimumWidth(180);
    bar_ = new QProgressBar(this);
    bar_->setRange(0, 1000);
    bar_->setMaximumWidth(200);
    bar_->setTextVisible(true);
    bar_->setFormat(QStringLiteral("%p%"));
    cancel_ = new QToolButton(this);
    cancel_->setText(tr("Cancel"));
    cancel_->setToolTip(tr("Stop this computation (Esc)"));
    cancel_->setShortcut(Qt::Key_Escape);
    layout->addWidget(label_);
    layout->addWidget(bar_);
    layout->addWidget(cancel_);
    showTimer_ = new QTimer(this);
    showTimer_->setSingleShot(true);
    showTimer_->setInterval(150);
    connect(showTimer_, &QTimer::timeout, this, [this] { setVisible(active_ != nullptr); });
    connect(cancel_, &QToolButton::clicked, this, [this] {
        if (active_) active_->cancel();
    });
    hide();
}

void StatusProgress::track(JobRunner& runner)
{
    connect(&runner, &JobRunner::started, this, [this, r = &runner](const QString&) {
        active_ = r;
        bar_->setValue(0);
        label_->clear();
        if (!isVisible()) showTimer_->start();
    });
    connect(&runner, &JobRunner::progress, this,
            [this, r = &runner](double fraction, const QString& message) {
                if (active_ != r) return;
                bar_->setValue(int(1000 * fraction));
                label_->setText(message);
            });
    connect(&runner, &JobRunner::idle, this, [this, r = &runner] {
        if (active_ == r) active_ = nullptr;
        refresh();
    });
}

void StatusProgress::refresh()
{
    if (active_) return;
    showTimer_->stop();
    hide();
}

}  // namespace neurolens
