// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/pipelinedocument.h"

#include <QUndoCommand>

#include <map>

namespace pw {

// Moves tasks and group frames. Touches only the layout section, so the
// pipeline's meaning never changes by moving. Keyboard nudges of the same
// selection merge; drags and auto-layout are one step each.
class MoveItemsCommand final : public QUndoCommand {
public:
    using Point = Layout::Point;
    struct Move {
        std::optional<Point> from;
        std::optional<Point> to;
    };
    MoveItemsCommand(PipelineDocument *doc, std::map<QString, Move> tasks, std::map<QString, Move> groups,
                     const QString &text, bool nudge = false, QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    PipelineDocument *m_doc;
    std::map<QString, Move> m_tasks, m_groups;
    bool m_nudge;
};

} // namespace pw
