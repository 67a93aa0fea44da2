// SPDX-License-Identifier: Apache-2.0
// A live run of a generated 10,000-task pipeline (unless told otherwise) in
// the run view's graph and timeline, fed the way the run workspace feeds them:
// the whole run once, then every state change as it arrives (each task goes
// running, then succeeded), with the graph updating that one task and the
// timeline taking the run again. Times the first layout and frame, the state
// changes per second with a repaint every 100 changes (what a watch stream
// delivers between two frames), and a full refresh of an unchanged run (a
// poll). Run offscreen or under Xvfb:
//   QT_QPA_PLATFORM=offscreen bench_runview [tasks] [--changes N]
#include "runview/rundagview.h"
#include "runview/runtimeline.h"
#include "runview/webenginesetup.h"

#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>

namespace {

// Ten tasks wide; each waits for two tasks of the layer before, like the
// studio benchmark's pipeline.
pw::RunGraph generateRun(int tasks)
{
    pw::RunGraph run;
    run.id = "bench-run";
    run.name = "bench";
    run.state = pw::RunState::Running;
    run.createdMs = 1'700'000'000'000;
    for (int i = 0; i < tasks; ++i) {
        pw::TaskRecord t;
        t.id = "task-" + std::to_string(i);
        t.name = t.id;
        t.kind = "container";
        if (i >= 10) {
            const int prev = (i / 10 - 1) * 10;
            t.dependsOn = {"task-" + std::to_string(prev + i % 10),
                           "task-" + std::to_string(prev + (i + 1) % 10)};
        }
        run.tasks.push_back(std::move(t));
    }
    return run;
}

double elapsedMs(QElapsedTimer &t)
{
    const double v = double(t.nsecsElapsed()) / 1e6;
    t.restart();
    return v;
}

} // namespace

int main(int argc, char **argv)
{
    pw::prepareWebEngine();
    QApplication app(argc, argv);
    int tasks = 10000, changes = 4000;
    for (int i = 1; i < argc; ++i) {
        const QString a = QString::fromLocal8Bit(argv[i]);
        if (a == "--changes" && i + 1 < argc)
            changes = QString::fromLocal8Bit(argv[++i]).toInt();
        else if (a.toInt() > 0)
            tasks = a.toInt();
    }
    pw::RunGraph run = generateRun(tasks);

    pw::RunDagView dag;
    dag.resize(1200, 800);
    dag.show();
    pw::RunTimeline timeline;
    timeline.resize(1200, 400);
    QApplication::processEvents();

    QElapsedTimer step;
    step.start();
    dag.setRun(run);
    timeline.setRun(run);
    dag.viewport()->repaint();
    const double first = elapsedMs(step);
    std::fprintf(stderr, "first layout and frame: %.0f ms (%lld nodes)\n", first,
                 static_cast<long long>(dag.nodeIds().size()));

    // State changes: running then succeeded, task by task, as a watch
    // reports them; a frame after every 100 changes.
    changes = std::min(changes, 2 * tasks);
    std::int64_t clock = run.createdMs;
    QElapsedTimer part;
    double graphMs = 0, timelineMs = 0;
    for (int c = 0; c < changes; ++c) {
        pw::TaskRecord &t = run.tasks[std::size_t(c / 2)];
        clock += 10;
        if (c % 2 == 0) {
            t.state = pw::TaskState::Running;
            t.startedMs = clock;
        } else {
            t.state = pw::TaskState::Succeeded;
            t.finishedMs = clock;
        }
        part.start();
        dag.updateTask(t);
        graphMs += elapsedMs(part);
        timeline.setRun(run);
        timelineMs += elapsedMs(part);
        if (c % 100 == 99) {
            QApplication::processEvents();
            dag.viewport()->repaint();
            graphMs += elapsedMs(part);
        }
        if (c == 199) { // stop early when the changes cannot keep up at all
            const double soFar = double(step.nsecsElapsed()) / 1e6;
            if (soFar > 60'000) {
                changes = 200;
                break;
            }
        }
    }
    const double live = elapsedMs(step);
    std::fprintf(stderr, "%d state changes: %.0f ms (graph with its frames %.0f ms, timeline %.0f ms)\n",
                 changes, live, graphMs, timelineMs);

    const int polls = 5;
    for (int i = 0; i < polls; ++i) {
        dag.setRun(run);
        timeline.setRun(run);
        dag.viewport()->repaint();
    }
    const double poll = elapsedMs(step) / polls;

    std::printf(
        "| tasks | first layout + frame | state changes | per change: graph + frames | per change: timeline |"
        " changes per second | full refresh (poll) |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|---:|\n");
    std::printf("| %d | %.0f ms | %d in %.0f ms | %.3f ms | %.2f ms | %.0f | %.0f ms |\n", tasks, first,
                changes, live, graphMs / changes, timelineMs / changes, changes / (live / 1000), poll);
    return dag.nodeIds().size() == tasks ? 0 : 1;
}
