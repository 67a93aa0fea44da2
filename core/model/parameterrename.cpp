// SPDX-License-Identifier: Apache-2.0
#include "model/parameterrename.h"

namespace pw {

namespace {

bool renameIn(Binding &b, const std::string &from, const std::string &to)
{
    bool changed = false;
    if (b.kind == Binding::Kind::Parameter && b.name == from) {
        b.name = to;
        changed = true;
    }
    for (Binding &o : b.options)
        changed = renameIn(o, from, to) || changed;
    return changed;
}

// Resource fields may carry KFP's `{{param.NAME}}` placeholder instead of a quantity.
bool renameInText(std::string &text, const std::string &from, const std::string &to)
{
    const std::string placeholder = "{{param." + from + "}}";
    bool changed = false;
    for (std::size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at)) {
        const std::string replacement = "{{param." + to + "}}";
        text.replace(at, placeholder.size(), replacement);
        at += replacement.size();
        changed = true;
    }
    return changed;
}

} // namespace

bool renameParameterReferences(Task &task, const std::string &from, const std::string &to)
{
    bool changed = false;
    auto visit = [&](Binding &b) { changed = renameIn(b, from, to) || changed; };
    for (auto &[_, b] : task.arguments)
        visit(b);
    ExecutionSettings &s = task.settings;
    if (s.nodeSelectorJson)
        visit(*s.nodeSelectorJson);
    for (Binding &b : s.tolerationJson)
        visit(b);
    for (Binding &b : s.nodeAffinityJson)
        visit(b);
    for (ObjectRef &ref : s.secrets)
        visit(ref.name);
    for (ObjectRef &ref : s.configMaps)
        visit(ref.name);
    for (Binding &b : s.imagePullSecrets)
        visit(b);
    for (PvcMount &m : s.volumes)
        visit(m.claimName);
    Resources &r = s.resources;
    for (std::string *text : {&r.cpuRequest, &r.cpuLimit, &r.memoryRequest, &r.memoryLimit, &r.acceleratorType,
                              &r.acceleratorCount})
        changed = renameInText(*text, from, to) || changed;
    return changed;
}

bool renameParameterReferences(Group &group, const std::string &from, const std::string &to)
{
    bool changed = false;
    if (group.condition) {
        changed = renameIn(group.condition->lhs, from, to) || changed;
        changed = renameIn(group.condition->rhs, from, to) || changed;
    }
    changed = renameIn(group.loop.items, from, to) || changed;
    return changed;
}

bool renameParameterReferences(Graph &graph, const std::string &from, const std::string &to)
{
    bool changed = false;
    for (Task &t : graph.tasks)
        changed = renameParameterReferences(t, from, to) || changed;
    for (Group &g : graph.groups)
        changed = renameParameterReferences(g, from, to) || changed;
    for (auto &[_, b] : graph.outputs)
        changed = renameIn(b, from, to) || changed;
    return changed;
}

} // namespace pw
