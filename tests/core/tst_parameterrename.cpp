// SPDX-License-Identifier: Apache-2.0
#include "model/parameterrename.h"

#include <QtTest>

using namespace pw;

class TstParameterRename final : public QObject {
    Q_OBJECT

private slots:
    void everyReferenceFollows()
    {
        Graph g;
        Task t;
        t.id = "train";
        t.arguments["lr"] = Binding::parameter("rate");
        Binding text;
        text.kind = Binding::Kind::Template;
        text.options = {Binding::constant("rate="), Binding::parameter("rate")};
        t.arguments["label"] = text;
        t.arguments["other"] = Binding::parameter("rates"); // a longer name is not the same parameter
        t.settings.resources.memoryLimit = "{{param.rate}}";
        t.settings.resources.cpuLimit = "{{param.rates}}";
        ObjectRef secret;
        secret.name = Binding::parameter("rate");
        t.settings.secrets.push_back(secret);
        g.tasks.push_back(t);
        Group loop;
        loop.id = "each";
        loop.kind = Group::Kind::Loop;
        loop.loop.items = Binding::parameter("rate");
        g.groups.push_back(loop);
        Group cond;
        cond.id = "big";
        cond.condition = Condition{Binding::parameter("rate"), ">", Binding::constant(1)};
        g.groups.push_back(cond);
        g.outputs["out"] = Binding::parameter("rate");

        QVERIFY(renameParameterReferences(g, "rate", "lr"));
        const Task &r = g.tasks.front();
        QVERIFY(r.arguments.at("lr") == Binding::parameter("lr"));
        QVERIFY(r.arguments.at("label").options.at(1) == Binding::parameter("lr"));
        QVERIFY(r.arguments.at("other") == Binding::parameter("rates"));
        QCOMPARE(r.settings.resources.memoryLimit, std::string("{{param.lr}}"));
        QCOMPARE(r.settings.resources.cpuLimit, std::string("{{param.rates}}"));
        QVERIFY(r.settings.secrets.front().name == Binding::parameter("lr"));
        QVERIFY(g.groups[0].loop.items == Binding::parameter("lr"));
        QVERIFY(g.groups[1].condition->lhs == Binding::parameter("lr"));
        QVERIFY(g.outputs.at("out") == Binding::parameter("lr"));
        QVERIFY(!renameParameterReferences(g, "rate", "lr")); // nothing left to rename
    }
};

QTEST_GUILESS_MAIN(TstParameterRename)
#include "tst_parameterrename.moc"
