#include "RepeatSplitEditor.h"

#include "neurolens/data/Error.h"

#include <QGridLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>

namespace neurolens {

RepeatSplitEditor::RepeatSplitEditor(QWidget* parent) : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(4);
    auto field = [this](const QString& tip) {
        auto* edit = new QLineEdit(this);
        edit->setToolTip(tip);
        edit->setMinimumWidth(40);
        connect(edit, &QLineEdit::textChanged, this, [this] { update(); });
        return edit;
    };
    train_ =
        field(tr("Training repeats, e.g. 0-6 (empty: every repeat neither validation nor test)"));
    validation_ =
        field(tr("Validation repeats, or none; they choose the kNN's k and the step or epoch to "
                 "keep (empty: the two "
                 "before the test repeat, none when training repeats are listed)"));
    test_ = field(tr("Test repeats: nothing of them trains or chooses anything (empty: the last)"));
    // Titles above the fields: three labelled fields side by side do not fit a laptop's dock.
    grid->addWidget(new QLabel(tr("train"), this), 0, 0);
    grid->addWidget(train_, 1, 0);
    grid->addWidget(new QLabel(tr("validation"), this), 0, 1);
    grid->addWidget(validation_, 1, 1);
    grid->addWidget(new QLabel(tr("test"), this), 0, 2);
    grid->addWidget(test_, 1, 2);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    grid->addWidget(summary_, 2, 0, 1, 3);
    update();
}

void RepeatSplitEditor::setRepeats(int repeats)
{
    repeats_ = repeats;
    update();
}

RepeatSplit RepeatSplitEditor::split() const
{
    if (repeats_ < 2) throw UsageError("a split needs a recording with at least 2 repeats");
    return RepeatSplit::resolve(repeats_, train_->text().trimmed().toStdString(),
                                validation_->text().trimmed().toStdString(),
                                test_->text().trimmed().toStdString());
}

bool RepeatSplitEditor::valid() const
{
    try {
        split();
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

void RepeatSplitEditor::update()
{
    if (repeats_ == 0) {
        summary_->setText(tr("no recording"));
    } else {
        try {
            const RepeatSplit s = split();
            train_->setPlaceholderText(QString::fromStdString(formatRepeatList(s.train)));
            validation_->setPlaceholderText(QString::fromStdString(formatRepeatList(s.validation)));
            test_->setPlaceholderText(QString::fromStdString(formatRepeatList(s.test)));
            summary_->setStyleSheet(QString());
            summary_->setText(tr("%1; the test repeat(s) never train or choose")
                                  .arg(QString::fromStdString(s.describe())));
        } catch (const std::exception& e) {
            summary_->setStyleSheet(QStringLiteral("color: #b00020"));
            summary_->setText(QString::fromUtf8(e.what()));
        }
    }
    Q_EMIT changed();
}

std::optional<RepeatSplit> storedSplit(const Embedding& embedding)
{
    const QJsonObject split = QJsonDocument::fromJson(QByteArray::fromStdString(embedding.params))
                                  .object()
                                  .value(QStringLiteral("split"))
                                  .toObject();
    if (split.isEmpty()) return std::nullopt;
    auto list = [&](const char* key) {
        std::vector<int> out;
        for (const auto& v : split.value(QLatin1String(key)).toArray()) out.push_back(v.toInt());
        return out;
    };
    RepeatSplit s{list("train"), list("validation"), list("test")};
    if (s.train.empty() || s.test.empty()) return std::nullopt;
    return s;
}

}  // namespace neurolens
