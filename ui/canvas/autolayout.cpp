// SPDX-License-Identifier: Apache-2.0
#include "canvas/autolayout.h"

#include "canvas/pipelinescene.h"
#include "canvas/taskitem.h"
#include "document/commands/layoutcommands.h"

#include <QCoreApplication>

#include <cmath>
#include <functional>
#include <map>

namespace pw {

std::vector<const Binding *> groupTaskInputs(const Group &group)
{
    std::vector<const Binding *> inputs;
    auto take = [&](const Binding &b) {
        if ((b.kind == Binding::Kind::TaskOutput || b.kind == Binding::Kind::TaskStatus) && !b.task.empty())
            inputs.push_back(&b);
    };
    if (group.kind == Group::Kind::Loop)
        take(group.loop.items);
    if (group.condition) {
        take(group.condition->lhs);
        take(group.condition->rhs);
    }
    return inputs;
}

LayoutRequest pipelineLayoutRequest(const Pipeline &p, const std::function<double(const Task &)> &height)
{
    return graphLayoutRequest(
        p.root, [&height](const Task &t) { return std::pair<double, double>(TaskItem::kWidth, height(t)); });
}

LayoutRequest graphLayoutRequest(const Graph &graph,
                                 const std::function<std::pair<double, double>(const Task &)> &size)
{
    LayoutRequest request;
    for (const Group &g : graph.groups)
        request.clusters.push_back({g.id, g.parent});
    for (const Task &t : graph.tasks) {
        const auto [width, height] = size(t);
        request.nodes.push_back({t.id, width, height, t.group});
    }
    std::function<void(const Binding &, const std::string &)> addEdges = [&](const Binding &b,
                                                                             const std::string &to) {
        if (b.kind == Binding::Kind::TaskOutput && graph.task(b.task))
            request.edges.push_back({b.task, to});
        for (const Binding &o : b.options)
            addEdges(o, to);
    };
    // Members of each group, nested ones included, for the group input edges.
    std::map<std::string, std::vector<std::string>> members;
    for (const Task &t : graph.tasks) {
        for (const auto &[name, b] : t.arguments)
            addEdges(b, t.id);
        for (const TaskId &up : t.after)
            if (graph.task(up))
                request.edges.push_back({up, t.id});
        for (const Group *g : graph.groupChain(t.group))
            members[g->id].push_back(t.id);
    }
    for (const Group &g : graph.groups) {
        // A branch's test decides every branch of its if/elif/else chain
        // (an else runs because the tests before it failed).
        const Group *chain = graph.group(g.parent);
        const std::string &reader = chain && chain->kind == Group::Kind::Branches ? chain->id : g.id;
        for (const Binding *b : groupTaskInputs(g))
            if (graph.task(b->task))
                for (const std::string &member : members[reader])
                    if (member != b->task)
                        request.edges.push_back({b->task, member});
    }
    return request;
}

QUndoCommand *makeAutoLayoutCommand(PipelineScene *scene, LayoutRequest::Direction direction)
{
    PipelineDocument *doc = scene->document();
    LayoutRequest request = pipelineLayoutRequest(doc->pipeline(), [scene](const Task &t) {
        const TaskItem *item = scene->taskItem(QString::fromStdString(t.id));
        return item ? item->boundingRect().height() - 4 : 60.0;
    });
    request.direction = direction;
    request.nodeSpacing = direction == LayoutRequest::Direction::LeftToRight ? 36 : 40;
    request.rankSpacing = direction == LayoutRequest::Direction::LeftToRight ? 90 : 70;
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
