// SPDX-License-Identifier: Apache-2.0
#include "canvas/autolayout.h"

#include "canvas/pipelinescene.h"
#include "canvas/taskitem.h"
#include "document/commands/layoutcommands.h"

#include <QCoreApplication>

#include <cmath>
#include <functional>

namespace pw {

QUndoCommand *makeAutoLayoutCommand(PipelineScene *scene, LayoutRequest::Direction direction)
{
    PipelineDocument *doc = scene->document();
    const Pipeline &p = doc->pipeline();
    LayoutRequest request;
    request.direction = direction;
    request.nodeSpacing = direction == LayoutRequest::Direction::LeftToRight ? 36 : 40;
    request.rankSpacing = direction == LayoutRequest::Direction::LeftToRight ? 90 : 70;
    for (const Group &g : p.root.groups)
        request.clusters.push_back({g.id, g.parent});
    for (const Task &t : p.root.tasks) {
        const TaskItem *item = scene->taskItem(QString::fromStdString(t.id));
        const double height = item ? item->boundingRect().height() - 4 : 60;
        request.nodes.push_back({t.id, TaskItem::kWidth, height, t.group});
    }
    std::function<void(const Binding &, const std::string &)> addEdges = [&](const Binding &b, const std::string &to) {
        if (b.kind == Binding::Kind::TaskOutput && p.root.task(b.task))
            request.edges.push_back({b.task, to});
        for (const Binding &o : b.options)
            addEdges(o, to);
    };
    for (const Task &t : p.root.tasks) {
        for (const auto &[name, b] : t.arguments)
            addEdges(b, t.id);
        for (const TaskId &up : t.after)
            if (p.root.task(up))
                request.edges.push_back({up, t.id});
    }
    auto laid = layoutGraph(request);
    if (!laid.ok())
        return nullptr;
    std::map<QString, MoveItemsCommand::Move> moves;
    for (const auto &[id, pt] : laid->nodes) {
        const QString qid = QString::fromStdString(id);
        const Layout::Point to{std::round(pt.x), std::round(pt.y)};
        const auto from = doc->taskPosition(qid);
        if (!from || !(*from == to))
            moves[qid] = {from, to};
    }
    std::map<QString, MoveItemsCommand::Move> groupMoves;
    for (const auto &[id, r] : laid->clusters) {
        const QString qid = QString::fromStdString(id);
        const Layout::Point to{std::round(r.x), std::round(r.y)};
        const auto from = doc->groupPosition(qid);
        if (!from || !(*from == to))
            groupMoves[qid] = {from, to};
    }
    if (moves.empty() && groupMoves.empty())
        return nullptr;
    return new MoveItemsCommand(doc, std::move(moves), std::move(groupMoves),
                                QCoreApplication::translate("pw::Commands", "Auto layout"));
}

} // namespace pw
