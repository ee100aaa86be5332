// Inline SVG charts generated in C++ for the self-contained HTML reports: no
// JavaScript, no fonts or files fetched, printable. Each chart is a <figure>
// holding an <svg role="img"> with <title> and <desc> (screen readers, and
// the tests' hooks), and every data series is a <g data-series="..."> so a
// test can count series without parsing geometry. Colours are Okabe-Ito
// (safe for the common colour-vision deficiencies); series also differ by
// dash pattern and marker shape so a grey printout still tells them apart.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace besrig::report::svg {

// Okabe-Ito colour by series index.
std::string colour(std::size_t i);
// A dash pattern by series index ("" = solid).
std::string dash(std::size_t i);

struct Point {
    double x = 0, y = 0;
    std::optional<double> lo, hi;  // an interval drawn as a whisker
    std::string note;               // a <title> tooltip for the point
};

struct Series {
    std::string id;     // data-series value
    std::string label;  // legend text
    std::vector<Point> points;
};

struct Marker {
    double x = 0;
    std::string label;     // tooltip and short text
    std::string severity;  // fail | warn | info | change
};

struct Band {  // a labelled x range (profile steps, nights)
    double from = 0, to = 0;
    std::string label;
};

struct LineChart {
    std::string id;  // data-chart value and element id prefix
    std::string title, desc;
    std::string x_label, y_label;
    std::vector<Series> series;
    std::vector<Marker> markers;
    std::vector<Band> bands;
    std::optional<double> y_min, y_max;  // fixed axis range (default: from the data, from 0)
    std::optional<double> reference;     // a horizontal reference line (e.g. ratio 1.0)
    std::vector<std::string> x_tick_labels;  // when set, ticks at x = 0, 1, 2, ... with these labels
    bool lines = true;                    // false: points only
};

struct BarGroup {
    std::string label;  // x category (a profile step)
};

struct BarSeries {
    std::string id, label;
    std::vector<Point> values;  // one per group (x ignored); y NaN-free; missing = no bar
    std::vector<bool> present;
};

struct BarChart {
    std::string id, title, desc, y_label;
    std::vector<BarGroup> groups;
    std::vector<BarSeries> series;
};

struct TimelineItem {
    double x = 0;
    std::string lane;      // e.g. "rep 1"
    std::string text;
    std::string severity;  // fail | warn | info
};

struct TimelineChart {
    std::string id, title, desc;
    double x_max = 0;
    std::vector<std::string> lanes;
    std::vector<TimelineItem> items;
};

std::string render(const LineChart& c);
std::string render(const BarChart& c);
std::string render(const TimelineChart& c);

}  // namespace besrig::report::svg
