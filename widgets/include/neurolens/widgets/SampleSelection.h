#pragma once
// The one selection shared by every view: a sample is (repeat, bin) of the analysed responses; the
// movie frame follows from the stimulus table. Views set it and listen to it; it emits only on
// change.

#include <QObject>

namespace neurolens {

struct Sample {
    int repeat = -1;
    int bin = -1;
    bool valid() const { return repeat >= 0 && bin >= 0; }
    bool operator==(const Sample& o) const { return repeat == o.repeat && bin == o.bin; }
    bool operator!=(const Sample& o) const { return !(*this == o); }
};

class SampleSelection : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    Sample current() const { return current_; }
    void select(const Sample& sample);
    void clear() { select(Sample{}); }

Q_SIGNALS:
    void changed(const neurolens::Sample& sample);

private:
    Sample current_;
};

}  // namespace neurolens
