#pragma once
// A one-line label that never widens its window: text longer than the room it is given ends in
// "…", and the whole text is its tooltip.

#include <QFrame>
#include <QString>

namespace neurolens {

class ElidedLabel : public QFrame {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);
    void setText(const QString& text);
    // The tooltip, when it should say more than the text (default: the text).
    void setFullText(const QString& text);
    QString text() const { return text_; }
    // The text as drawn at the current width.
    QString shownText() const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString text_;
};

}  // namespace neurolens
