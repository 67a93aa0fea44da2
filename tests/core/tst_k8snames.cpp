// SPDX-License-Identifier: Apache-2.0
#include "validate/rules.h"
#include "validate/validator.h"

#include <QtTest>

using namespace pw;

class TestK8sNames final : public QObject {
    Q_OBJECT

private slots:
    void sanitize_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        // Expected values follow KFP's re.sub('-+', '-', re.sub('[^-0-9a-z]+', '-',
        // name.lower())).strip('-').
        QTest::newRow("spaces and punctuation") << "Train Model!"
                                                << "train-model";
        QTest::newRow("underscore") << "my_component"
                                    << "my-component";
        QTest::newRow("already clean") << "print-op-2"
                                       << "print-op-2";
        QTest::newRow("upper case") << "ABC"
                                    << "abc";
        QTest::newRow("leading and trailing dashes") << "--abc--"
                                                     << "abc";
        QTest::newRow("dash runs collapse") << "a--b"
                                            << "a-b";
        QTest::newRow("mixed run") << "a_-_b"
                                   << "a-b";
        QTest::newRow("digits only") << "123"
                                     << "123";
        QTest::newRow("dots and slashes") << "a.b/c"
                                          << "a-b-c";
        QTest::newRow("comma and space") << "Hello, World 2"
                                         << "hello-world-2";
        QTest::newRow("non-ascii is one run") << QString::fromUtf8("na\xc3\xafve") << "na-ve";
        QTest::newRow("nothing left") << "!!!"
                                      << "";
        QTest::newRow("empty") << ""
                               << "";
    }
    void sanitize()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(sanitizeK8sName(input.toStdString())), expected);
    }

    void validName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("simple") << "train-model" << true;
        QTest::newRow("digits") << "step-2" << true;
        QTest::newRow("one char") << "a" << true;
        QTest::newRow("63 chars") << QString(63, 'a') << true;
        QTest::newRow("64 chars") << QString(64, 'a') << false;
        QTest::newRow("upper") << "Train" << false;
        QTest::newRow("leading dash") << "-a" << false;
        QTest::newRow("trailing dash") << "a-" << false;
        QTest::newRow("underscore") << "a_b" << false;
        QTest::newRow("dot") << "a.b" << false;
        QTest::newRow("empty") << "" << false;
    }
    void validName()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(isValidK8sName(name.toStdString()), valid);
    }

    void labels_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("validKey");
        QTest::newRow("plain") << "team" << true;
        QTest::newRow("prefixed") << "cloud.google.com/gke-nodepool" << true;
        QTest::newRow("upper and underscore") << "My_Label.v1" << true;
        QTest::newRow("bad prefix") << "Cloud.Google/x" << false;
        QTest::newRow("empty name") << "example.com/" << false;
        QTest::newRow("two slashes") << "a/b/c" << false;
        QTest::newRow("space") << "my label" << false;
    }
    void labels()
    {
        QFETCH(QString, key);
        QFETCH(bool, validKey);
        QCOMPARE(isValidLabelKey(key.toStdString()), validKey);
        QVERIFY(isValidLabelValue(""));
        QVERIFY(!isValidLabelValue("-x"));
        QVERIFY(isValidDnsSubdomain("warehouse.credentials-1"));
        QVERIFY(!isValidDnsSubdomain("Warehouse"));
    }

    void quantity_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<double>("value"); // checked when valid
        QTest::newRow("integer") << "2" << true << 2.0;
        QTest::newRow("milli") << "500m" << true << 0.5;
        QTest::newRow("decimal") << "1.5" << true << 1.5;
        QTest::newRow("leading dot") << ".5" << true << 0.5;
        QTest::newRow("trailing dot") << "5." << true << 5.0;
        QTest::newRow("Gi") << "4Gi" << true << 4.0 * 1024 * 1024 * 1024;
        QTest::newRow("fractional Gi") << "0.5Gi" << true << 512.0 * 1024 * 1024;
        QTest::newRow("Ki") << "1Ki" << true << 1024.0;
        QTest::newRow("k") << "2k" << true << 2000.0;
        QTest::newRow("M") << "129M" << true << 129e6;
        QTest::newRow("exponent") << "129e6" << true << 129e6;
        QTest::newRow("upper exponent") << "1E3" << true << 1000.0;
        QTest::newRow("negative exponent") << "5e-1" << true << 0.5;
        QTest::newRow("exa") << "2E" << true << 2e18;
        QTest::newRow("nano") << "100n" << true << 100e-9;
        QTest::newRow("signed") << "+1" << true << 1.0;
        QTest::newRow("negative") << "-1" << true << -1.0;
        QTest::newRow("empty") << "" << false << 0.0;
        QTest::newRow("word") << "abc" << false << 0.0;
        QTest::newRow("GB") << "1GB" << false << 0.0;
        QTest::newRow("lower gi") << "1gi" << false << 0.0;
        QTest::newRow("upper K") << "1K" << false << 0.0;
        QTest::newRow("suffix only") << "Mi" << false << 0.0;
        QTest::newRow("space") << "1 Gi" << false << 0.0;
        QTest::newRow("two dots") << "1.5.5" << false << 0.0;
        QTest::newRow("bare exponent") << "1e" << false << 0.0;
        QTest::newRow("exponent sign only") << "1e+" << false << 0.0;
        QTest::newRow("double sign") << "--1" << false << 0.0;
        QTest::newRow("dot only") << "." << false << 0.0;
    }
    void quantity()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(double, value);
        QCOMPARE(isValidQuantity(text.toStdString()), valid);
        if (valid) {
            const auto parsed = parseQuantity(text.toStdString());
            QVERIFY(parsed);
            QVERIFY2(qAbs(double(*parsed) - value) <= qAbs(value) * 1e-12,
                     qPrintable(QString::number(double(*parsed))));
        }
    }

    void cron_data()
    {
        QTest::addColumn<QString>("expr");
        QTest::addColumn<bool>("valid");
        QTest::newRow("daily at midnight") << "0 0 * * *" << true;
        QTest::newRow("every 15 minutes") << "*/15 * * * *" << true;
        QTest::newRow("seconds field") << "0 0 9 * * MON-FRI" << true;
        QTest::newRow("question mark") << "0 30 2 1 JAN,JUL ?" << true;
        QTest::newRow("lower-case day") << "5 4 * * sun" << true;
        QTest::newRow("range with step") << "0 0 1-5/2 * *" << true;
        QTest::newRow("value with step") << "5/10 * * * *" << true;
        QTest::newRow("sunday as 7") << "0 0 * * 7" << true;
        QTest::newRow("extra spaces") << "  0  0 * * *  " << true;
        QTest::newRow("@daily") << "@daily" << true;
        QTest::newRow("@hourly") << "@hourly" << true;
        QTest::newRow("@annually") << "@annually" << true;
        QTest::newRow("@every") << "@every 1h30m" << true;
        QTest::newRow("zone prefix") << "CRON_TZ=Asia/Tokyo 0 9 * * *" << true;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("four fields") << "* * * *" << false;
        QTest::newRow("seven fields") << "* * * * * * *" << false;
        QTest::newRow("minute 60") << "60 * * * *" << false;
        QTest::newRow("hour 24") << "* 24 * * *" << false;
        QTest::newRow("day 0") << "* * 0 * *" << false;
        QTest::newRow("month 13") << "* * * 13 *" << false;
        QTest::newRow("step 0") << "*/0 * * * *" << false;
        QTest::newRow("reversed range") << "5-1 * * * *" << false;
        QTest::newRow("question in minutes") << "? * * * *" << false;
        QTest::newRow("month name in hours") << "0 JAN * * *" << false;
        QTest::newRow("unknown macro") << "@weekdays" << false;
        QTest::newRow("@every without duration") << "@every" << false;
        QTest::newRow("@every in days") << "@every 1d" << false;
        QTest::newRow("@every zero") << "@every 0s" << false;
        QTest::newRow("unknown zone") << "CRON_TZ=Mars/Base 0 * * * *" << false;
        QTest::newRow("letters") << "a b c d e" << false;
        QTest::newRow("empty list item") << "1,,2 * * * *" << false;
    }
    void cron()
    {
        QFETCH(QString, expr);
        QFETCH(bool, valid);
        QCOMPARE(isValidCron(expr.toStdString()), valid);
    }

    void timeZones_data()
    {
        QTest::addColumn<QString>("zone");
        QTest::addColumn<bool>("known");
        QTest::newRow("Tokyo") << "Asia/Tokyo" << true;
        QTest::newRow("UTC") << "UTC" << true;
        QTest::newRow("Berlin") << "Europe/Berlin" << true;
        QTest::newRow("Etc offset") << "Etc/GMT+9" << true;
        QTest::newRow("typo") << "Asia/Tokio" << false;
        QTest::newRow("area only") << "Asia" << false;
        QTest::newRow("dash instead of slash") << "Asia-Tokyo" << false;
        QTest::newRow("path escape") << "../../etc/passwd" << false;
        QTest::newRow("posix mirror") << "posix/Asia/Tokyo" << false;
        QTest::newRow("table file") << "zone.tab" << false;
        QTest::newRow("empty") << "" << false;
    }
    void timeZones()
    {
        QFETCH(QString, zone);
        QFETCH(bool, known);
        QCOMPARE(isKnownTimeZone(zone.toStdString()), known);
    }

    void strftime()
    {
        QVERIFY(checkStrftimeFormat("%Y%m%d").empty());
        QVERIFY(checkStrftimeFormat("%Y-%m-%dT%H:%M:%S%z").empty());
        QVERIFY(checkStrftimeFormat("run-%-d").empty());
        QVERIFY(checkStrftimeFormat("100%%").empty());
        QVERIFY(checkStrftimeFormat("%Q").find("'%Q'") != std::string::npos);
        QVERIFY(!checkStrftimeFormat("%Y%").empty());
    }

    void durations()
    {
        QCOMPARE(parseDurationSeconds("30m"), std::optional<long long>(1800));
        QCOMPARE(parseDurationSeconds("1h30m"), std::optional<long long>(5400));
        QCOMPARE(parseDurationSeconds("45s"), std::optional<long long>(45));
        QCOMPARE(parseDurationSeconds("2d"), std::optional<long long>(172800));
        QVERIFY(!parseDurationSeconds(""));
        QVERIFY(!parseDurationSeconds("10"));
        QVERIFY(!parseDurationSeconds("m"));
        QCOMPARE(parseDurationSeconds("0s"), std::optional<long long>(0));
        QVERIFY(!parseDurationSeconds("1.5h"));
    }
};

QTEST_GUILESS_MAIN(TestK8sNames)
#include "tst_k8snames.moc"
