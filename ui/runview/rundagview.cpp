// SPDX-License-Identifier: Apache-2.0
#include "runview/rundagview.h"

#include "layout/graphlayout.h"
#include "runview/rungroupitem.h"
#include "runview/runtaskitem.h"

#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QPainterPath>
#include <QTimer>
#include <QWheelEvent>

#include <functional>
#include <map>
#include <set>
#include <utility>

namespace pw {

namespace {

bool isGroupKind(const std::string &kind)
{
    return kind == "dag" || kind == "loop" || kind == "iteration";
}

// The task's members and siblings, by id, in the run's order.
struct Tree {
    std::map<std::string, std::vector<const TaskRecord *>> children; // "" = root
    std::map<std::string, const TaskRecord *> byId;

    explicit Tree(const RunGraph &run)
    {
        for (const TaskRecord &t : run.tasks)
            byId[t.id] = &t;
        for (const TaskRecord &t : run.tasks)
            children[byId.count(t.parent) ? t.parent : std::string()].push_back(&t);
    }
    bool isCluster(const TaskRecord &t) const { return isGroupKind(t.kind) && children.count(t.id); }
    const std::vector<const TaskRecord *> &membersOf(const std::string &id) const
    {
        static const std::vector<const TaskRecord *> none;
        auto it = children.find(id);
        return it == children.end() ? none : it->second;
    }
    // Where an edge into (entries) or out of (exits) a frame attaches for
    // ranking: the members that wait for no sibling, or that no sibling waits for.
    void ends(const TaskRecord &t, bool entries, std::vector<std::string> &out) const
    {
        if (!isCluster(t)) {
            out.push_back(t.id);
            return;
        }
        const auto &members = membersOf(t.id);
        std::set<std::string> waitedFor;
        for (const TaskRecord *m : members)
            waitedFor.insert(m->dependsOn.begin(), m->dependsOn.end());
        std::size_t before = out.size();
        for (const TaskRecord *m : members)
            if (entries ? m->dependsOn.empty() : !waitedFor.count(m->id))
                ends(*m, entries, out);
        if (out.size() == before)
            for (const TaskRecord *m : members)
                ends(*m, entries, out);
    }
};

// An edge as a curve along the flow plus its arrowhead (filled separately:
// filling the curve itself would close it into a wedge).
struct EdgeShape {
    QPainterPath curve;
    QPolygonF head;
};

EdgeShape edgeShape(const QRectF &from, const QRectF &to, bool leftToRight)
{
    // a is the source's exit point, b the target's entry point.
    const QPointF a =
        leftToRight ? QPointF(from.right(), from.center().y()) : QPointF(from.center().x(), from.bottom());
    const QPointF b = leftToRight ? QPointF(to.left(), to.center().y()) : QPointF(to.center().x(), to.top());
    const QPointF along = leftToRight ? QPointF(1, 0) : QPointF(0, 1);
    const QPointF across = leftToRight ? QPointF(0, 1) : QPointF(1, 0);
    const qreal gap = leftToRight ? b.x() - a.x() : b.y() - a.y();
    const qreal d = std::max<qreal>(30, gap / 2);
    EdgeShape e;
    e.curve.moveTo(a);
    e.curve.cubicTo(a + along * d, b - along * d, b - along * 7);
    e.head << b << b - along * 9 - across * 4.5 << b - along * 9 + across * 4.5;
    return e;
}

} // namespace

RunDagView::~RunDagView()
{
    disconnect(scene(), nullptr, this, nullptr);
}

RunDagView::RunDagView(QWidget *parent) : QGraphicsView(parent)
{
    setScene(new QGraphicsScene(this));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setBackgroundBrush(QColor(0xfa, 0xfa, 0xfb));
    setAlignment(Qt::AlignCenter);
    connect(scene(), &QGraphicsScene::selectionChanged, this, &RunDagView::onSelectionChanged);

    m_tick = new QTimer(this);
    m_tick->setInterval(120);
    connect(m_tick, &QTimer::timeout, this, &RunDagView::onTick);

    // New tasks (loop iterations) arrive in bursts; lay out once per burst.
    m_relayout = new QTimer(this);
    m_relayout->setSingleShot(true);
    m_relayout->setInterval(150);
    connect(m_relayout, &QTimer::timeout, this, &RunDagView::rebuild);
}

QString RunDagView::structureOf(const RunGraph &run) const
{
    QString s = QString::fromStdString(run.id) + '|';
    for (const TaskRecord &t : run.tasks)
        s += QString::fromStdString(t.id) + ',';
    return s;
}

void RunDagView::noteStates(const RunGraph &before)
{
    // m_index still indexes `before`: a look-up per task, not a search.
    const bool sameRun = before.id == m_run.id;
    for (const TaskRecord &t : m_run.tasks) {
        const auto old = sameRun ? m_index.find(t.id) : m_index.end();
        const TaskRecord *was = old != m_index.end() ? &before.tasks[old->second] : nullptr;
        if (!was || was->state != t.state)
            emit taskStateChanged(QString::fromStdString(t.id), t.state);
    }
    m_index.clear();
    for (std::size_t i = 0; i < m_run.tasks.size(); ++i)
        m_index.emplace(m_run.tasks[i].id, i);
}

void RunDagView::setRun(const RunGraph &run)
{
    if (run.id != m_run.id)
        m_userZoomed = false;
    const RunGraph before = std::exchange(m_run, run);
    noteStates(before);
    const QString structure = structureOf(run);
    if (structure != m_structure) {
        m_structure = structure;
        rebuild();
        return;
    }
    for (const TaskRecord &t : m_run.tasks) {
        const QString id = QString::fromStdString(t.id);
        if (RunTaskItem *n = m_nodes.value(id))
            n->setRecord(t);
        if (RunGroupItem *g = m_groups.value(id))
            g->setRecord(t);
    }
    onTick();
}

void RunDagView::updateTask(const TaskRecord &task)
{
    const auto at = m_index.find(task.id);
    if (at != m_index.end()) {
        TaskRecord &t = m_run.tasks[at->second];
        if (t.state != task.state)
            emit taskStateChanged(QString::fromStdString(task.id), task.state);
        t = task;
    } else {
        m_index.emplace(task.id, m_run.tasks.size());
        m_run.tasks.push_back(task);
        emit taskStateChanged(QString::fromStdString(task.id), task.state);
        m_structure = structureOf(m_run);
        m_relayout->start();
        return;
    }
    const QString id = QString::fromStdString(task.id);
    if (RunTaskItem *n = m_nodes.value(id))
        n->setRecord(task);
    else if (RunGroupItem *g = m_groups.value(id))
        g->setRecord(task);
    else if (isGroupKind(task.kind)) // a group that just got members, or lost its frame
        m_relayout->start();
    if (task.state == TaskState::Running && !m_tick->isActive())
        m_tick->start();
}

void RunDagView::clear()
{
    m_run = RunGraph{};
    m_index.clear();
    m_structure.clear();
    m_nodes.clear();
    m_groups.clear();
    scene()->clear();
    m_tick->stop();
}

void RunDagView::rebuild()
{
    const QString selected = selectedTask();
    m_rebuilding = true;
    m_nodes.clear();
    m_groups.clear();
    scene()->clear();

    const Tree tree(m_run);
    LayoutRequest request;
    for (const TaskRecord &t : m_run.tasks) {
        const std::string parent = tree.byId.count(t.parent) ? t.parent : std::string();
        if (tree.isCluster(t))
            request.clusters.push_back({t.id, parent});
        else
            request.nodes.push_back({t.id, RunTaskItem::kWidth, RunTaskItem::kHeight, parent});
    }
    std::set<std::pair<std::string, std::string>> seen;
    for (const TaskRecord &t : m_run.tasks) {
        for (const std::string &dep : t.dependsOn) {
            auto from = tree.byId.find(dep);
            if (from == tree.byId.end())
                continue;
            std::vector<std::string> sources, targets;
            tree.ends(*from->second, false, sources);
            tree.ends(t, true, targets);
            for (const std::string &s : sources)
                for (const std::string &d : targets)
                    if (s != d && seen.insert({s, d}).second)
                        request.edges.push_back({s, d});
        }
    }
    // Long chains read better top to bottom in a wide view and left to right
    // in a tall one: take the direction that shows the nodes largest.
    const QSizeF view = viewport()->size();
    LayoutResult result;
    bool leftToRight = true;
    qreal bestScale = -1;
    for (auto direction : {LayoutRequest::Direction::LeftToRight, LayoutRequest::Direction::TopToBottom}) {
        request.direction = direction;
        request.rankSpacing = direction == LayoutRequest::Direction::LeftToRight ? 70 : 45;
        auto layout = layoutGraph(request);
        LayoutResult candidate = layout.ok() ? std::move(layout).value() : rankedLayout(request);
        QRectF box;
        for (const auto &[id, p] : candidate.nodes)
            box |= QRectF(p.x, p.y, RunTaskItem::kWidth, RunTaskItem::kHeight);
        for (const auto &[id, c] : candidate.clusters)
            box |= QRectF(c.x, c.y, c.width, c.height);
        const qreal scale = std::min<qreal>({1.0, view.width() / std::max<qreal>(1, box.width() + 60),
                                             view.height() / std::max<qreal>(1, box.height() + 60)});
        if (scale > bestScale + 0.02) { // ties keep left to right, the canvas's direction
            bestScale = scale;
            result = std::move(candidate);
            leftToRight = direction == LayoutRequest::Direction::LeftToRight;
        }
    }
    m_leftToRight = leftToRight;

    std::map<std::string, QRectF> rects;
    for (const TaskRecord &t : m_run.tasks) {
        const QString id = QString::fromStdString(t.id);
        if (tree.isCluster(t)) {
            auto c = result.clusters.find(t.id);
            if (c == result.clusters.end())
                continue;
            const QRectF frame(c->second.x, c->second.y, c->second.width, c->second.height);
            auto *g = new RunGroupItem(t, frame);
            scene()->addItem(g);
            m_groups.insert(id, g);
            rects[t.id] = frame;
        } else {
            auto p = result.nodes.find(t.id);
            if (p == result.nodes.end())
                continue;
            auto *n = new RunTaskItem(t);
            n->setPos(p->second.x, p->second.y);
            scene()->addItem(n);
            m_nodes.insert(id, n);
            rects[t.id] = n->sceneBoundingRect().adjusted(2, 2, -2, -2);
        }
    }
    // Edges are drawn between what the user sees: into and out of frames.
    const QColor edgeColor(0x7a, 0x80, 0x8c);
    for (const TaskRecord &t : m_run.tasks) {
        for (const std::string &dep : t.dependsOn) {
            auto a = rects.find(dep), b = rects.find(t.id);
            if (a == rects.end() || b == rects.end())
                continue;
            const EdgeShape shape = edgeShape(a->second, b->second, leftToRight);
            scene()->addPath(shape.curve, QPen(edgeColor, 1.4), Qt::NoBrush)->setZValue(1);
            scene()->addPolygon(shape.head, QPen(edgeColor, 1), QBrush(edgeColor))->setZValue(1);
        }
    }
    const QRectF bounds = scene()->itemsBoundingRect().adjusted(-30, -30, 30, 30);
    scene()->setSceneRect(bounds);
    m_rebuilding = false;
    if (!selected.isEmpty())
        selectTask(selected);
    if (!m_userZoomed)
        fitAll();
    onTick();
}

void RunDagView::fitAll()
{
    if (scene()->items().isEmpty())
        return;
    fitInView(sceneRect(), Qt::KeepAspectRatio);
    // Never magnify a small graph beyond its natural size: text stays crisp.
    if (transform().m11() > 1.0)
        setTransform(QTransform());
}

QString RunDagView::selectedTask() const
{
    for (QGraphicsItem *item : scene()->selectedItems()) {
        if (item->type() == RunTaskItem::Type)
            return static_cast<RunTaskItem *>(item)->taskId();
        if (item->type() == RunGroupItem::Type)
            return static_cast<RunGroupItem *>(item)->taskId();
    }
    return {};
}

void RunDagView::selectTask(const QString &taskId)
{
    if (taskId == selectedTask())
        return;
    // Asked for, not clicked: no taskSelected for the steps in between.
    const bool wasRebuilding = std::exchange(m_rebuilding, true);
    scene()->clearSelection();
    QGraphicsItem *item = m_nodes.value(taskId);
    if (!item)
        item = m_groups.value(taskId);
    if (item) {
        item->setSelected(true);
        ensureVisible(item, 20, 20);
    }
    m_rebuilding = wasRebuilding;
}

void RunDagView::onSelectionChanged()
{
    if (m_rebuilding)
        return;
    emit taskSelected(selectedTask()); // empty: a click beside the tasks, the run itself
}

void RunDagView::onTick()
{
    m_phase = std::fmod(m_phase + 0.08, 1.0);
    bool running = false;
    for (RunTaskItem *n : std::as_const(m_nodes)) {
        if (n->state() == TaskState::Running) {
            n->tick(m_phase);
            running = true;
        }
    }
    if (running && !m_tick->isActive())
        m_tick->start();
    else if (!running)
        m_tick->stop();
}

void RunDagView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (!m_userZoomed)
        fitAll();
}

void RunDagView::wheelEvent(QWheelEvent *event)
{
    if (!(event->modifiers() & Qt::ControlModifier)) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    const qreal factor = event->angleDelta().y() > 0 ? 1.15 : 1 / 1.15;
    scale(factor, factor);
    m_userZoomed = true;
}

} // namespace pw
