// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <QColor>
#include <QRectF>
#include <QString>

class QPainter;

namespace pw {

// One look per task and run state, shared by the DAG, the timeline, the runs
// list and the task header, so a state reads the same everywhere. States are
// told apart by glyph as well as colour, for colour-blind users and greyscale
// screenshots.
class RunStateStyle final {
public:
    static QColor color(TaskState s);
    static QColor color(RunState s);
    // A pale tint of color(), for node fills behind dark text.
    static QColor fill(TaskState s);
    static QString text(TaskState s);
    static QString text(RunState s);
    // Draws the state's glyph inside `r`; `phase` (0..1) turns the running spinner.
    static void paintGlyph(QPainter *p, const QRectF &r, TaskState s, qreal phase = 0);
    static TaskState asTaskState(RunState s);
};

QString toQString(std::string_view s);

} // namespace pw
