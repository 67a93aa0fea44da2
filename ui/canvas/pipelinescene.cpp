// SPDX-License-Identifier: Apache-2.0
#include "canvas/pipelinescene.h"

#include "canvas/autolayout.h"
#include "canvas/edgeitem.h"
#include "canvas/groupframeitem.h"
#include "canvas/portitem.h"
#include "canvas/taskitem.h"
#include "document/commands/bindingcommands.h"
#include "document/commands/groupcommands.h"
#include "document/commands/layoutcommands.h"
#include "layout/graphlayout.h"
#include "validate/connection.h"

#include <QApplication>
#include <QCursor>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <functional>

namespace pw {

namespace {

std::string ss(const QString &s)
{
    return s.toStdString();
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

void forEachOutputRef(const Binding &b, const std::function<void(const Binding &)> &visit)
{
    if (b.kind == Binding::Kind::TaskOutput)
        visit(b);
    for (const Binding &o : b.options)
        forEachOutputRef(o, visit);
}

} // namespace

PipelineScene::PipelineScene(PipelineDocument *doc, QObject *parent) : QGraphicsScene(parent), m_doc(doc)
{
    // Large scenes: a BSP index deep enough for thousands of items.
    setItemIndexMethod(BspTreeIndex);
    connect(doc, &PipelineDocument::documentReset, this, &PipelineScene::rebuild);
    connect(doc, &PipelineDocument::taskAdded, this, [this](const QString &id) {
        addTaskItem(id);
        rebuildIncomingEdges(id);
        // Tasks that already named this one (undo of a delete) get their edges back.
        for (const Task &t : m_doc->graph().tasks) {
            bool refers = std::find(t.after.begin(), t.after.end(), ss(id)) != t.after.end();
            for (const auto &[name, b] : t.arguments)
                forEachOutputRef(b, [&](const Binding &r) { refers = refers || r.task == ss(id); });
            if (refers && qs(t.id) != id)
                rebuildIncomingEdges(t);
        }
        updateFrames();
    });
    connect(doc, &PipelineDocument::taskRemoved, this, [this](const QString &id) {
        removeTaskItem(id);
        updateFrames();
    });
    connect(doc, &PipelineDocument::taskChanged, this, [this](const QString &id) {
        refreshTask(id);
        updateFrames();
    });
    connect(doc, &PipelineDocument::taskMoved, this, [this](const QString &id) {
        if (TaskItem *item = m_tasks.value(id))
            item->setPos(defaultPosition(id));
        updateFrames();
    });
    connect(doc, &PipelineDocument::groupAdded, this, [this](const QString &id) {
        addGroupItem(id);
        updateFrames();
    });
    connect(doc, &PipelineDocument::groupRemoved, this, [this](const QString &id) {
        removeGroupItem(id);
        updateFrames();
    });
    connect(doc, &PipelineDocument::groupChanged, this, [this](const QString &id) {
        if (GroupFrameItem *g = m_groups.value(id); g && m_doc->group(id))
            g->update(*m_doc->group(id));
        updateFrames();
    });
    connect(doc, &PipelineDocument::groupMoved, this, [this](const QString &) { updateFrames(); });
    rebuild();
}

QList<EdgeItem *> PipelineScene::edges() const
{
    QList<EdgeItem *> all;
    for (const auto &list : m_incoming)
        all += list;
    return all;
}

QStringList PipelineScene::selectedTaskIds() const
{
    QStringList ids;
    // Document order, so copy/paste and delete are deterministic.
    for (const Task &t : m_doc->graph().tasks)
        if (TaskItem *item = m_tasks.value(qs(t.id)); item && item->isSelected())
            ids << item->taskId();
    return ids;
}

QStringList PipelineScene::selectedGroupIds() const
{
    QStringList ids;
    for (const Group &g : m_doc->graph().groups)
        if (GroupFrameItem *item = m_groups.value(qs(g.id)); item && item->isSelected())
            ids << item->groupId();
    return ids;
}

QList<EdgeItem *> PipelineScene::selectedEdges() const
{
    QList<EdgeItem *> result;
    for (QGraphicsItem *item : selectedItems())
        if (item->type() == EdgeItem::Type)
            result << static_cast<EdgeItem *>(item);
    return result;
}

void PipelineScene::selectTask(const QString &id)
{
    clearSelection();
    if (TaskItem *item = m_tasks.value(id)) {
        item->setSelected(true);
        // Scroll only when the task is out of sight: a task just dropped
        // under the cursor stays there, and so does everything else.
        for (QGraphicsView *v : views()) {
            const QRectF seen = v->mapToScene(v->viewport()->rect()).boundingRect();
            if (!seen.intersects(item->sceneBoundingRect()))
                v->centerOn(item);
        }
    }
}

void PipelineScene::selectAll()
{
    // One selection area, so views hear of the change once rather than once
    // per item (thousands of inspector refreshes on a large pipeline).
    QPainterPath everything;
    everything.addRect(itemsBoundingRect().adjusted(-1, -1, 1, 1));
    setSelectionArea(everything, Qt::ReplaceSelection, Qt::IntersectsItemBoundingRect);
}

void PipelineScene::selectGroup(const QString &id)
{
    clearSelection();
    if (GroupFrameItem *item = m_groups.value(id))
        item->setSelected(true);
}

void PipelineScene::rebuild()
{
    m_connecting = false;
    m_pendingEdge = nullptr;
    // Deselect while the items live: clear() deleting a selected item emits
    // selectionChanged, and its listeners would read m_tasks' deleted items.
    clearSelection();
    clear();
    m_groupEdges.clear();
    m_tasks.clear();
    m_groups.clear();
    m_incoming.clear();
    m_outgoing.clear();
    m_fallback.clear();

    // Tasks the layout section does not place (imports, hand-written files)
    // get a computed position; it becomes part of the document only when the
    // user moves them or runs auto-layout.
    const Pipeline &p = m_doc->pipeline();
    bool missing = false;
    for (const Task &t : p.root.tasks)
        missing = missing || !p.layout.tasks.count(t.id);
    if (missing) {
        const LayoutRequest request = pipelineLayoutRequest(
            p, [&p](const Task &t) { return TaskItem::heightFor(p.component(t.component)); });
        auto laid = layoutGraph(request);
        if (laid.ok())
            for (const auto &[id, pt] : laid->nodes)
                m_fallback.insert(qs(id), QPointF(pt.x, pt.y));
    }
    // Straight from the model's list: looking each task up by id again
    // would make a 10,000-task open quadratic.
    for (const Task &t : p.root.tasks)
        addTaskItem(t);
    for (const Task &t : p.root.tasks)
        rebuildIncomingEdges(t, false);
    for (const Task &t : p.root.tasks)
        updateConnectedMarks(t);
    for (const Group &g : p.root.groups)
        addGroupItem(qs(g.id));
    updateFrames();
}

QPointF PipelineScene::defaultPosition(const QString &id) const
{
    if (auto pos = m_doc->taskPosition(id))
        return QPointF(pos->x, pos->y);
    return m_fallback.value(id, QPointF(0, 0));
}

void PipelineScene::addTaskItem(const QString &id)
{
    if (const Task *t = m_doc->task(id))
        addTaskItem(*t);
}

void PipelineScene::addTaskItem(const Task &t)
{
    const QString id = qs(t.id);
    if (m_tasks.contains(id))
        return;
    auto *item = new TaskItem(t, m_doc->pipeline().component(t.component));
    if (!m_doc->taskPosition(id) && !m_fallback.contains(id)) {
        const QRectF used = itemsBoundingRect();
        m_fallback.insert(id, used.isEmpty() ? QPointF(0, 0) : QPointF(used.left(), used.bottom() + 60));
    }
    item->setPos(defaultPosition(id));
    m_tasks.insert(id, item);
    addItem(item);
}

void PipelineScene::removeTaskItem(const QString &id)
{
    removeIncomingEdges(id);
    // Edges from this task stay in their consumers' lists until those change;
    // hide them so nothing points at a node that is gone.
    for (EdgeItem *e : m_outgoing.value(id))
        e->setVisible(false);
    delete m_tasks.take(id);
    m_fallback.remove(id);
}

void PipelineScene::refreshTask(const QString &id)
{
    TaskItem *item = m_tasks.value(id);
    const Task *t = m_doc->task(id);
    if (!item || !t)
        return;
    item->update(*t, m_doc->pipeline().component(t->component));
    rebuildIncomingEdges(*t);
    for (EdgeItem *e : m_outgoing.value(id))
        updateEdgeGeometry(e);
}

void PipelineScene::removeIncomingEdges(const QString &taskId)
{
    const QList<EdgeItem *> old = m_incoming.take(taskId);
    for (EdgeItem *e : old) {
        auto &out = m_outgoing[e->fromTask()];
        out.removeAll(e);
        const QString producer = e->fromTask();
        delete e;
        updateConnectedMarks(producer);
    }
}

void PipelineScene::rebuildIncomingEdges(const QString &taskId)
{
    if (const Task *t = m_doc->task(taskId))
        rebuildIncomingEdges(*t);
    else
        removeIncomingEdges(taskId);
}

void PipelineScene::rebuildIncomingEdges(const Task &t, bool marks)
{
    const QString taskId = qs(t.id);
    removeIncomingEdges(taskId);
    TaskItem *consumer = m_tasks.value(taskId);
    if (!consumer)
        return;
    QList<EdgeItem *> list;
    QSet<QString> producers;
    for (const auto &[input, b] : t.arguments) {
        forEachOutputRef(b, [&](const Binding &r) {
            const QString from = qs(r.task);
            TaskItem *producer = m_tasks.value(from);
            PortItem *port = producer ? producer->output(qs(r.name)) : nullptr;
            auto *e = new EdgeItem(from, qs(r.name), taskId, qs(input),
                                   port ? port->color() : QApplication::palette().color(QPalette::Mid));
            list << e;
            producers << from;
        });
    }
    for (const TaskId &up : t.after) {
        list << new EdgeItem(qs(up), {}, taskId, {}, QApplication::palette().color(QPalette::Mid));
        producers << qs(up);
    }
    for (EdgeItem *e : list) {
        addItem(e);
        m_outgoing[e->fromTask()] << e;
        updateEdgeGeometry(e);
    }
    m_incoming.insert(taskId, list);
    if (!marks)
        return;
    updateConnectedMarks(t);
    for (const QString &p : producers)
        updateConnectedMarks(p);
}

void PipelineScene::updateEdgeGeometry(EdgeItem *e)
{
    TaskItem *from = m_tasks.value(e->fromTask());
    TaskItem *to = m_tasks.value(e->toTask());
    if (!from || !to) {
        e->setVisible(false);
        return;
    }
    if (e->isOrdering()) {
        e->setEnds(from->orderOut(), to->orderIn());
        e->setVisible(true);
        return;
    }
    PortItem *out = from->output(e->output());
    PortItem *in = to->input(e->input());
    e->setVisible(out && in);
    if (out && in)
        e->setEnds(out->anchor(), in->anchor());
}

void PipelineScene::updateConnectedMarks(const QString &taskId)
{
    if (const Task *t = m_doc->task(taskId))
        updateConnectedMarks(*t);
}

void PipelineScene::updateConnectedMarks(const Task &t)
{
    const QString taskId = qs(t.id);
    TaskItem *item = m_tasks.value(taskId);
    if (!item)
        return;
    QSet<QString> usedOutputs;
    for (EdgeItem *e : m_outgoing.value(taskId))
        usedOutputs << e->output();
    for (PortItem *p : item->ports()) {
        if (p->direction() == PortItem::Direction::Input)
            p->setConnected(t.arguments.count(ss(p->name())) > 0);
        else
            p->setConnected(usedOutputs.contains(p->name()));
    }
}

void PipelineScene::addGroupItem(const QString &id)
{
    const Group *g = m_doc->group(id);
    if (!g || m_groups.contains(id))
        return;
    auto *item = new GroupFrameItem(*g);
    m_groups.insert(id, item);
    addItem(item);
}

void PipelineScene::removeGroupItem(const QString &id)
{
    delete m_groups.take(id);
}

void PipelineScene::updateGroupInputEdges()
{
    qDeleteAll(m_groupEdges);
    m_groupEdges.clear();
    for (const Group &g : m_doc->graph().groups) {
        GroupFrameItem *frame = m_groups.value(qs(g.id));
        for (const Binding *b : frame ? groupTaskInputs(g) : std::vector<const Binding *>{}) {
            TaskItem *producer = m_tasks.value(qs(b->task));
            if (!producer)
                continue;
            PortItem *port = b->kind == Binding::Kind::TaskOutput ? producer->output(qs(b->name)) : nullptr;
            auto *e = new EdgeItem(qs(b->task), port ? qs(b->name) : QString(), {}, {},
                                   port ? port->color() : QApplication::palette().color(QPalette::Mid));
            e->setFlag(QGraphicsItem::ItemIsSelectable, false); // edited in the group's inspector
            e->setToolTip(tr("%1 reads %2").arg(frame->groupId(), qs(b->task)));
            const QRectF f = frame->frame();
            e->setEnds(port ? port->anchor() : producer->orderOut(),
                       QPointF(f.left(), f.top() + GroupFrameItem::kHeader / 2));
            addItem(e);
            m_groupEdges << e;
        }
    }
}

void PipelineScene::updateFrames()
{
    if (m_groups.isEmpty()) {
        updateGroupInputEdges();
        return;
    }
    const Graph &graph = m_doc->graph();
    // Depth first, so inner frames are sized before the frames around them.
    QHash<QString, int> depth;
    for (const Group &g : graph.groups)
        depth.insert(qs(g.id), int(graph.groupChain(g.id).size()) - 1);
    QList<GroupFrameItem *> frames = m_groups.values();
    std::sort(frames.begin(), frames.end(), [&](GroupFrameItem *a, GroupFrameItem *b) {
        return depth.value(a->groupId()) > depth.value(b->groupId());
    });
    QHash<QString, QRectF> content;
    for (const Task &t : graph.tasks) {
        if (t.group.empty())
            continue;
        if (TaskItem *item = m_tasks.value(qs(t.id)))
            content[qs(t.group)] |= item->sceneBoundingRect().adjusted(2, 2, -2, -2);
    }
    for (GroupFrameItem *f : frames) {
        f->setDepth(depth.value(f->groupId()));
        QRectF inner = content.value(f->groupId());
        QRectF frame;
        if (inner.isNull()) {
            // An empty frame keeps its stored place so tasks can be dropped in.
            const auto pos = m_doc->groupPosition(f->groupId());
            frame = pos ? QRectF(pos->x, pos->y, 260, 140)
                        : (f->frame().isNull() ? QRectF(0, -200, 260, 140) : f->frame());
        } else {
            frame = inner.adjusted(-GroupFrameItem::kPadding, -GroupFrameItem::kPadding - GroupFrameItem::kHeader,
                                   GroupFrameItem::kPadding, GroupFrameItem::kPadding);
        }
        f->setFrame(frame);
        if (!f->parentId().isEmpty())
            content[f->parentId()] |= frame;
    }
    updateGroupInputEdges();
}

QString PipelineScene::frameAt(const QPointF &scenePos, const QString &ignore) const
{
    GroupFrameItem *best = nullptr;
    for (GroupFrameItem *f : m_groups) {
        if (f->groupId() == ignore || !f->frame().contains(scenePos))
            continue;
        if (!best || f->depth() > best->depth())
            best = f;
    }
    return best ? best->groupId() : QString();
}

void PipelineScene::taskItemMoved(TaskItem *item)
{
    const QString id = item->taskId();
    for (EdgeItem *e : m_incoming.value(id))
        updateEdgeGeometry(e);
    for (EdgeItem *e : m_outgoing.value(id))
        updateEdgeGeometry(e);
}

void PipelineScene::taskItemResized(TaskItem *item)
{
    taskItemMoved(item);
    updateFrames();
}

void PipelineScene::setProblemMarks(const QHash<QString, int> &severityByTask)
{
    for (TaskItem *item : std::as_const(m_tasks)) {
        const int s = severityByTask.value(item->taskId(), -1);
        item->setMark(s == 0 ? TaskItem::Mark::Error : s == 1 ? TaskItem::Mark::Warning : TaskItem::Mark::None);
    }
}

PortItem *PipelineScene::connectSource() const
{
    TaskItem *t = m_tasks.value(m_connectTask);
    if (!t)
        return nullptr;
    return m_connectFromOutput ? t->output(m_connectPort) : t->input(m_connectPort);
}

void PipelineScene::highlightCompatible(bool on)
{
    PortItem *src = connectSource();
    for (TaskItem *t : std::as_const(m_tasks)) {
        for (PortItem *p : t->ports()) {
            bool match = false;
            if (on && src && p->taskId() != src->taskId() && p->direction() != src->direction()) {
                match = src->direction() == PortItem::Direction::Output ? isAssignable(src->portType(), p->portType())
                                                                        : isAssignable(p->portType(), src->portType());
            }
            p->setHighlight(match);
        }
    }
}

void PipelineScene::beginConnection(PortItem *port, const QPointF &scenePos)
{
    m_connecting = true;
    m_connectTask = port->taskId();
    m_connectPort = port->name();
    m_connectFromOutput = port->direction() == PortItem::Direction::Output;
    delete m_pendingEdge;
    m_pendingEdge = addPath(QPainterPath(), QPen(port->color(), 2, Qt::DashLine));
    m_pendingEdge->setZValue(10);
    QPainterPath path(port->anchor());
    path.lineTo(scenePos);
    m_pendingEdge->setPath(path);
    highlightCompatible(true);
}

void PipelineScene::finishConnection(const QPointF &scenePos)
{
    PortItem *src = connectSource();
    highlightCompatible(false);
    delete m_pendingEdge;
    m_pendingEdge = nullptr;
    m_connecting = false;
    if (!src)
        return;
    PortItem *target = nullptr;
    TaskItem *node = nullptr;
    for (QGraphicsItem *item : items(scenePos)) {
        if (item->type() == PortItem::Type && item != src) {
            target = static_cast<PortItem *>(item);
            break;
        }
        if (item->type() == TaskItem::Type && !node)
            node = static_cast<TaskItem *>(item);
    }
    if (!target && node && node->taskId() != src->taskId()) {
        // Dropped on a node's body: take its first free port that fits.
        const Task *t = m_doc->task(node->taskId());
        for (PortItem *p : node->ports()) {
            if (p->direction() == src->direction())
                continue;
            const bool fits = src->direction() == PortItem::Direction::Output
                                  ? isAssignable(src->portType(), p->portType()) && t &&
                                        !t->arguments.count(ss(p->name()))
                                  : isAssignable(p->portType(), src->portType());
            if (fits) {
                target = p;
                break;
            }
        }
        if (!target) {
            const QString reason = tr("'%1' has no free port that accepts %2").arg(node->label(),
                                                                                     qs(src->portType().displayName()));
            QToolTip::showText(QCursor::pos(), reason);
            emit connectionRefused(reason);
            return;
        }
    }
    if (target)
        connectPorts(src, target);
}

QString PipelineScene::connectPorts(PortItem *a, PortItem *b)
{
    QString reason;
    if (a->direction() == b->direction()) {
        reason = a->direction() == PortItem::Direction::Output ? tr("Connect an output to an input, not to another output")
                                                               : tr("Connect an input to an output, not to another input");
    } else {
        PortItem *out = a->direction() == PortItem::Direction::Output ? a : b;
        PortItem *in = out == a ? b : a;
        reason = qs(connectionProblem(m_doc->pipeline(), m_doc->graph(), ss(out->taskId()), ss(out->name()),
                                      ss(in->taskId()), ss(in->name())));
        if (reason.isEmpty()) {
            auto *cmd = new SetArgumentCommand(m_doc, in->taskId(), in->name(),
                                               Binding::taskOutput(ss(out->taskId()), ss(out->name())));
            if (cmd->isNoOp())
                delete cmd;
            else
                m_doc->undoStack()->push(cmd);
            emit connectionMade(in->taskId(), in->name());
            return {};
        }
    }
    QToolTip::showText(QCursor::pos(), reason);
    emit connectionRefused(reason);
    return reason;
}

bool PipelineScene::startFrameDrag(const QPointF &scenePos)
{
    const QList<QGraphicsItem *> hit = items(scenePos);
    auto *frame = hit.isEmpty() ? nullptr : qgraphicsitem_cast<GroupFrameItem *>(hit.front());
    if (!frame || scenePos.y() > frame->frame().top() + GroupFrameItem::kHeader)
        return false; // only the title bar drags; the body keeps rubber-band selection
    const std::string group = ss(frame->groupId());
    const Graph &root = m_doc->graph();
    FrameDrag drag{scenePos, {}};
    for (const Task &t : root.tasks) {
        const auto chain = root.groupChain(t.group);
        const bool inside = std::any_of(chain.begin(), chain.end(), [&](const Group *g) { return g->id == group; });
        if (TaskItem *item = m_tasks.value(qs(t.id)); inside && item)
            drag.members.insert(item, item->pos());
    }
    if (drag.members.isEmpty())
        return false;
    m_frameDrag = std::move(drag);
    return true;
}

void PipelineScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && !m_connecting && startFrameDrag(event->scenePos())) {
        event->accept();
        return;
    }
    QGraphicsScene::mousePressEvent(event);
}

void PipelineScene::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    if (m_frameDrag) {
        const QPointF delta = event->scenePos() - m_frameDrag->start;
        for (auto it = m_frameDrag->members.cbegin(); it != m_frameDrag->members.cend(); ++it)
            it.key()->setPos(it.value() + delta);
        event->accept();
        return;
    }
    if (m_connecting && m_pendingEdge) {
        if (PortItem *src = connectSource()) {
            const QPointF a = src->anchor(), b = event->scenePos();
            const qreal dx = std::max<qreal>(40, std::abs(b.x() - a.x()) / 2) * (m_connectFromOutput ? 1 : -1);
            QPainterPath path(a);
            path.cubicTo(a + QPointF(dx, 0), b - QPointF(dx, 0), b);
            m_pendingEdge->setPath(path);
        }
        event->accept();
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void PipelineScene::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    if (m_frameDrag) {
        // The tasks travel with their frame: their groups stay as they are.
        m_frameDrag.reset();
        commitDrag(false);
        event->accept();
        return;
    }
    if (m_connecting) {
        finishConnection(event->scenePos());
        QGraphicsScene::mouseReleaseEvent(event);
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton)
        commitDrag();
}

void PipelineScene::commitDrag(bool regroup)
{
    std::map<QString, MoveItemsCommand::Move> moves;
    QHash<QString, QStringList> regroupTasks; // new group -> tasks
    for (TaskItem *item : std::as_const(m_tasks)) {
        const QString id = item->taskId();
        const QPointF now(std::round(item->pos().x()), std::round(item->pos().y()));
        const QPointF before = defaultPosition(id);
        if (now == before) {
            item->setPos(before);
            continue;
        }
        const auto old = m_doc->taskPosition(id);
        moves[id] = {old, Layout::Point{now.x(), now.y()}};
        const Task *t = m_doc->task(id);
        const QString group = frameAt(item->sceneBoundingRect().center(), {});
        if (regroup && t && group != qs(t->group))
            regroupTasks[group] << id;
    }
    if (moves.empty())
        return;
    QUndoStack *stack = m_doc->undoStack();
    stack->beginMacro(moves.size() == 1 ? tr("Move %1").arg(moves.begin()->first) : tr("Move %1 tasks").arg(moves.size()));
    stack->push(new MoveItemsCommand(m_doc, std::move(moves), {}, tr("Move")));
    for (auto it = regroupTasks.cbegin(); it != regroupTasks.cend(); ++it)
        stack->push(new SetTaskGroupCommand(m_doc, it.value(), it.key()));
    stack->endMacro();
}

void PipelineScene::drawBackground(QPainter *painter, const QRectF &rect)
{
    const QPalette pal = QApplication::palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    painter->fillRect(rect, dark ? QColor(0x1e, 0x22, 0x28) : QColor(0xf7, 0xf8, 0xfa));
    const qreal lod = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    if (lod < 0.4)
        return;
    // A dot grid gives a sense of scale and motion when panning.
    const qreal step = 40;
    QColor dot = dark ? QColor(0x3a, 0x40, 0x4a) : QColor(0xd5, 0xd9, 0xe0);
    painter->setPen(QPen(dot, 2));
    QVector<QPointF> points;
    for (qreal x = std::floor(rect.left() / step) * step; x < rect.right(); x += step)
        for (qreal y = std::floor(rect.top() / step) * step; y < rect.bottom(); y += step)
            points << QPointF(x, y);
    painter->drawPoints(points.constData(), int(points.size()));
}

} // namespace pw
