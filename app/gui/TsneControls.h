#pragma once
// The small t-SNE form under the embedding view's toolbar: the input (responses, first K PCs or a
// stored embedding), perplexity and iterations, Run, Pause/Resume and Cancel, and a status line.

#include "neurolens/data/Recording.h"
#include "neurolens/embed/Tsne.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace neurolens {

class TsneControls : public QWidget {
    Q_OBJECT
public:
    explicit TsneControls(QWidget* parent = nullptr);

    // Offers the stored embeddings of `recording` as inputs (keeps the current choice when it remains).
    void setInputs(const Recording* recording);
    QString input() const;
    // The options of the form; dims come from the view.
    TsneOptions options(int dims) const;
    void setRunning(bool running, bool paused);
    void setStatus(const QString& text);
    QString status() const;
    QPushButton* runButton() const { return run_; }
    QPushButton* pauseButton() const { return pause_; }
    QPushButton* cancelButton() const { return cancel_; }
    QDoubleSpinBox* perplexity() const { return perplexity_; }
    QSpinBox* iterations() const { return iterations_; }

Q_SIGNALS:
    void runRequested();
    void pauseToggled(bool pause);
    void cancelRequested();

private:
    QComboBox* input_ = nullptr;
    QSpinBox* pcs_ = nullptr;
    QDoubleSpinBox* perplexity_ = nullptr;
    QSpinBox* iterations_ = nullptr;
    QPushButton* run_ = nullptr;
    QPushButton* pause_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QLabel* status_ = nullptr;
};

}  // namespace neurolens
