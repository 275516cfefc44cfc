#pragma once
// Which repeats train, validate and test: three fields ("0-6", "7,8", "9"; empty: the default, as
// neurolens-cli's --train-repeats, --validation-repeats and --test-repeats) and a line saying the
// split they resolve to, or why they do not. Shared by every panel that fits or trains.

#include "neurolens/data/Recording.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <QWidget>

#include <optional>

class QLabel;
class QLineEdit;

namespace neurolens {

class RepeatSplitEditor : public QWidget {
    Q_OBJECT
public:
    explicit RepeatSplitEditor(QWidget* parent = nullptr);
    // The recording's repeat count (0: none loaded).
    void setRepeats(int repeats);
    bool valid() const;
    // The resolved split; throws UsageError when the fields do not make one.
    RepeatSplit split() const;
    QLineEdit* train() const { return train_; }
    QLineEdit* validation() const { return validation_; }
    QLineEdit* test() const { return test_; }
    QLabel* summary() const { return summary_; }

Q_SIGNALS:
    void changed();

private:
    void update();

    int repeats_ = 0;
    QLineEdit *train_ = nullptr, *validation_ = nullptr, *test_ = nullptr;
    QLabel* summary_ = nullptr;
};

// The split a stored model's embedding was trained on (its params' "split"), so that decoding or
// aligning it tests on the same held-out repeats; none for embeddings without one (PCA, t-SNE,
// files).
std::optional<RepeatSplit> storedSplit(const Embedding& embedding);

}  // namespace neurolens
