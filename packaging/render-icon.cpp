// SPDX-License-Identifier: Apache-2.0
// pw_render_icon SVG SIZE PNG: renders SVG into a SIZE x SIZE PNG with a
// transparent background. A build-time helper for packaging/: the hicolor PNG
// sizes are drawn from the one SVG we maintain, so they never drift from it.
// Not installed.
//
// Painting an SVG into a QImage needs no windowing system, so a QCoreApplication
// is enough: no platform plugin, no display, nothing printed during the build.
#include <QCoreApplication>
#include <QImage>
#include <QPainter>
#include <QString>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);

    if (argc != 4) {
        std::fprintf(stderr, "usage: %s SVG SIZE PNG\n", argv[0]);
        return 2;
    }
    const QString svg = QString::fromLocal8Bit(argv[1]);
    const QString png = QString::fromLocal8Bit(argv[3]);
    bool ok = false;
    const int size = QString::fromLocal8Bit(argv[2]).toInt(&ok);
    if (!ok || size < 1 || size > 4096) {
        std::fprintf(stderr, "%s: SIZE must be a number of pixels from 1 to 4096, not '%s'\n", argv[0], argv[2]);
        return 2;
    }

    QSvgRenderer renderer(svg);
    if (!renderer.isValid()) {
        std::fprintf(stderr, "%s: cannot read SVG '%s'\n", argv[0], qPrintable(svg));
        return 1;
    }
    renderer.setAspectRatioMode(Qt::KeepAspectRatio);

    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    // 96 dpi, whatever the machine: the same SVG always gives the same bytes.
    image.setDotsPerMeterX(3780);
    image.setDotsPerMeterY(3780);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        renderer.render(&painter, QRectF(0, 0, size, size));
    }
    if (!image.convertToFormat(QImage::Format_ARGB32).save(png, "PNG")) {
        std::fprintf(stderr, "%s: cannot write '%s'\n", argv[0], qPrintable(png));
        return 1;
    }
    return 0;
}
