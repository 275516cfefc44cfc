#pragma once
// The form under the embedding view's toolbar for a method that is computed on request (t-SNE,
// factor analysis, and whatever the registry lists next): the input (responses, first K PCs or a
// stored embedding), the method's parameters (built from the registry), Run, Pause/Resume (for
// methods that stream their layout) and Cancel, and a status line.

#include "neurolens/data/Recording.h"
#include "neurolens/embed/EmbeddingMethod.h"

#include <QWidget>

#include <map>
#include <string>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace neurolens {

class ParameterForm;

class MethodControls : public QWidget {
    Q_OBJECT
public:
    explicit MethodControls(QWidget* parent = nullptr);

    // Shows the parameters of the registered method `name` (each method keeps its own values).
    void setMethod(const std::string& name);
    const std::string& method() const { return method_; }
    // Offers the stored embeddings of `recording` as inputs (keeps the current choice when it
    // remains).
    void setInputs(const Recording* recording);
    QString input() const;
    // The request the form describes; dims come from the view.
    EmbeddingRequest request(int dims) const;
    // The parameters of the method shown.
    ParameterForm* form() const;
    void setRunning(bool running, bool paused);
    void setStatus(const QString& text);
    QString status() const;
    QPushButton* runButton() const { return run_; }
    QPushButton* pauseButton() const { return pause_; }
    QPushButton* cancelButton() const { return cancel_; }

Q_SIGNALS:
    void runRequested();
    void pauseToggled(bool pause);
    void cancelRequested();

private:
    std::string method_;
    std::map<std::string, ParameterForm*> forms_;
    QStackedWidget* pages_ = nullptr;
    QComboBox* input_ = nullptr;
    QSpinBox* pcs_ = nullptr;
    QPushButton* run_ = nullptr;
    QPushButton* pause_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QLabel* status_ = nullptr;
};

}  // namespace neurolens
