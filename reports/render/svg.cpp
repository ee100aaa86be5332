#include "reports/render/svg.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "reports/render/format.hpp"

namespace besrig::report::svg {
namespace {

constexpr double k_w = 900, k_h = 300;
constexpr double k_left = 58, k_right = 18, k_top = 22, k_bottom = 46;

std::string num(double v) { return fixed(v, 1); }

// A "nice" tick step (1, 2, 5 × 10^k) giving about `ticks` intervals.
double nice_step(double range, int ticks) {
    if (range <= 0) return 1;
    const double raw = range / ticks;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / mag;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

int decimals_for(double step) { return step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3; }

struct Frame {
    double x0, x1, y0, y1;
    double px(double x) const { return k_left + (x - x0) / (x1 - x0 == 0 ? 1 : x1 - x0) * (k_w - k_left - k_right); }
    double py(double y) const { return k_h - k_bottom - (y - y0) / (y1 - y0 == 0 ? 1 : y1 - y0) * (k_h - k_top - k_bottom); }
};

void open_svg(std::ostringstream& o, const std::string& id, const std::string& kind, const std::string& title,
              const std::string& desc, double height) {
    o << "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " << num(k_w)
      << " " << num(height) << "\" data-chart=\"" << xml_escape(id) << "\" data-kind=\"" << kind
      << "\" aria-labelledby=\"" << xml_escape(id) << "-title " << xml_escape(id) << "-desc\">\n"
      << "<title id=\"" << xml_escape(id) << "-title\">" << xml_escape(title) << "</title>\n"
      << "<desc id=\"" << xml_escape(id) << "-desc\">" << xml_escape(desc) << "</desc>\n";
}

void close_svg(std::ostringstream& o, const std::string& legend) {
    o << "</svg>\n";
    if (!legend.empty()) o << "<figcaption>" << legend << "</figcaption>\n";
    o << "</figure>\n";
}

std::string marker_shape(std::size_t i, double x, double y, const std::string& c) {
    std::ostringstream o;
    switch (i % 3) {
        case 0: o << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"3.2\" fill=\"" << c << "\"/>"; break;
        case 1:
            o << "<rect x=\"" << num(x - 3) << "\" y=\"" << num(y - 3) << "\" width=\"6\" height=\"6\" fill=\"" << c
              << "\"/>";
            break;
        default:
            o << "<path d=\"M" << num(x) << " " << num(y - 4) << " L" << num(x + 4) << " " << num(y + 3) << " L"
              << num(x - 4) << " " << num(y + 3) << " Z\" fill=\"" << c << "\"/>";
    }
    return o.str();
}

std::string legend_item(std::size_t i, const std::string& label) {
    return "<span class=\"key\"><svg width=\"28\" height=\"10\" aria-hidden=\"true\"><line x1=\"0\" y1=\"5\" x2=\"28\" "
           "y2=\"5\" stroke=\"" + colour(i) + "\" stroke-width=\"3\"" +
           (dash(i).empty() ? "" : " stroke-dasharray=\"" + dash(i) + "\"") + "/></svg> " + xml_escape(label) +
           "</span> ";
}

std::string severity_colour(const std::string& s) {
    return s == "fail" ? "#D55E00" : s == "warn" ? "#E69F00" : s == "change" ? "#CC79A7" : "#666666";
}

void y_axis(std::ostringstream& o, const Frame& f, const std::string& label) {
    const double step = nice_step(f.y1 - f.y0, 5);
    const int dec = decimals_for(step);
    o << "<g class=\"axis\">\n";
    for (double y = std::ceil(f.y0 / step) * step; y <= f.y1 + step * 1e-6; y += step) {
        o << "<line x1=\"" << num(k_left) << "\" x2=\"" << num(k_w - k_right) << "\" y1=\"" << num(f.py(y))
          << "\" y2=\"" << num(f.py(y)) << "\" class=\"grid\"/>"
          << "<text x=\"" << num(k_left - 6) << "\" y=\"" << num(f.py(y) + 4) << "\" text-anchor=\"end\">"
          << fixed(y, dec) << "</text>\n";
    }
    o << "<text x=\"14\" y=\"" << num((k_top + k_h - k_bottom) / 2) << "\" transform=\"rotate(-90 14 "
      << num((k_top + k_h - k_bottom) / 2) << ")\" text-anchor=\"middle\">" << xml_escape(label) << "</text>\n";
    o << "</g>\n";
}

}  // namespace

std::string colour(std::size_t i) {
    static const char* k[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"};
    return k[i % 7];
}

std::string dash(std::size_t i) {
    static const char* k[] = {"", "6 3", "2 2", "8 3 2 3"};
    return k[i % 4];
}

std::string render(const LineChart& c) {
    Frame f{0, 1, 0, 1};
    bool any = false;
    for (const auto& s : c.series)
        for (const auto& p : s.points) {
            if (!any) f = {p.x, p.x, p.y, p.y};
            any = true;
            f.x0 = std::min(f.x0, p.x);
            f.x1 = std::max(f.x1, p.x);
            f.y1 = std::max({f.y1, p.y, p.hi.value_or(p.y)});
            f.y0 = std::min({f.y0, p.y, p.lo.value_or(p.y)});
        }
    for (const auto& b : c.bands) {
        f.x0 = std::min(f.x0, b.from);
        f.x1 = std::max(f.x1, b.to);
    }
    if (!c.x_tick_labels.empty()) {
        f.x0 = -0.5;
        f.x1 = static_cast<double>(c.x_tick_labels.size()) - 0.5;
    }
    f.y0 = c.y_min.value_or(std::min(0.0, f.y0));
    f.y1 = c.y_max.value_or(f.y1 <= f.y0 ? f.y0 + 1 : f.y1 + (f.y1 - f.y0) * 0.08);
    if (c.reference) {
        f.y0 = std::min(f.y0, *c.reference);
        f.y1 = std::max(f.y1, *c.reference);
    }
    std::ostringstream o;
    open_svg(o, c.id, "line", c.title, c.desc, k_h);
    y_axis(o, f, c.y_label);
    o << "<g class=\"bands\">\n";
    for (std::size_t i = 0; i < c.bands.size(); ++i) {
        const auto& b = c.bands[i];
        o << "<rect x=\"" << num(f.px(b.from)) << "\" y=\"" << num(k_top) << "\" width=\""
          << num(std::max(0.0, f.px(b.to) - f.px(b.from))) << "\" height=\"" << num(k_h - k_top - k_bottom)
          << "\" class=\"band" << (i % 2) << "\"/>"
          << "<text x=\"" << num((f.px(b.from) + f.px(b.to)) / 2) << "\" y=\"" << num(k_top - 6)
          << "\" text-anchor=\"middle\" class=\"bandlabel\">" << xml_escape(b.label) << "</text>\n";
    }
    o << "</g>\n";
    // x axis
    o << "<g class=\"axis\">\n";
    if (!c.x_tick_labels.empty()) {
        const std::size_t every = std::max<std::size_t>(1, c.x_tick_labels.size() / 10);
        for (std::size_t i = 0; i < c.x_tick_labels.size(); i += every)
            o << "<text x=\"" << num(f.px(static_cast<double>(i))) << "\" y=\"" << num(k_h - k_bottom + 16)
              << "\" text-anchor=\"middle\">" << xml_escape(c.x_tick_labels[i]) << "</text>\n";
    } else {
        const double step = nice_step(f.x1 - f.x0, 8);
        for (double x = std::ceil(f.x0 / step) * step; x <= f.x1 + 1e-9; x += step)
            o << "<text x=\"" << num(f.px(x)) << "\" y=\"" << num(k_h - k_bottom + 16) << "\" text-anchor=\"middle\">"
              << fixed(x, decimals_for(step)) << "</text>\n";
    }
    o << "<text x=\"" << num((k_left + k_w - k_right) / 2) << "\" y=\"" << num(k_h - 8)
      << "\" text-anchor=\"middle\">" << xml_escape(c.x_label) << "</text>\n</g>\n";
    if (c.reference)
        o << "<line class=\"reference\" x1=\"" << num(k_left) << "\" x2=\"" << num(k_w - k_right) << "\" y1=\""
          << num(f.py(*c.reference)) << "\" y2=\"" << num(f.py(*c.reference)) << "\"/>\n";
    std::string legend;
    for (std::size_t i = 0; i < c.series.size(); ++i) {
        const auto& s = c.series[i];
        const auto col = colour(i);
        o << "<g data-series=\"" << xml_escape(s.id) << "\" aria-label=\"" << xml_escape(s.label) << "\">\n";
        if (c.lines && s.points.size() > 1) {
            o << "<polyline fill=\"none\" stroke=\"" << col << "\" stroke-width=\"1.8\""
              << (dash(i).empty() ? "" : " stroke-dasharray=\"" + dash(i) + "\"") << " points=\"";
            for (const auto& p : s.points) o << num(f.px(p.x)) << "," << num(f.py(p.y)) << " ";
            o << "\"/>\n";
        }
        for (const auto& p : s.points) {
            if (p.lo && p.hi)
                o << "<line x1=\"" << num(f.px(p.x)) << "\" x2=\"" << num(f.px(p.x)) << "\" y1=\"" << num(f.py(*p.lo))
                  << "\" y2=\"" << num(f.py(*p.hi)) << "\" stroke=\"" << col << "\" stroke-width=\"1.5\"/>";
            if (!c.lines || !p.note.empty()) {
                o << "<g>" << marker_shape(i, f.px(p.x), f.py(p.y), col);
                if (!p.note.empty()) o << "<title>" << xml_escape(p.note) << "</title>";
                o << "</g>";
            }
        }
        o << "\n</g>\n";
        legend += legend_item(i, s.label);
    }
    o << "<g class=\"markers\">\n";
    for (const auto& m : c.markers) {
        const auto col = severity_colour(m.severity);
        o << "<g class=\"marker\" data-severity=\"" << xml_escape(m.severity) << "\"><line x1=\"" << num(f.px(m.x))
          << "\" x2=\"" << num(f.px(m.x)) << "\" y1=\"" << num(k_top) << "\" y2=\"" << num(k_h - k_bottom)
          << "\" stroke=\"" << col << "\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/>"
          << "<path d=\"M" << num(f.px(m.x) - 5) << " " << num(k_top) << " L" << num(f.px(m.x) + 5) << " "
          << num(k_top) << " L" << num(f.px(m.x)) << " " << num(k_top + 8) << " Z\" fill=\"" << col << "\"/>"
          << "<title>" << xml_escape(m.label) << "</title></g>\n";
    }
    o << "</g>\n";
    if (!c.markers.empty()) legend += "<span class=\"key\">▼ dashed: kernel events / change points</span>";
    close_svg(o, legend);
    return o.str();
}

std::string render(const BarChart& c) {
    double y1 = 0;
    for (const auto& s : c.series)
        for (std::size_t g = 0; g < s.values.size(); ++g)
            if (g < s.present.size() && s.present[g]) y1 = std::max({y1, s.values[g].y, s.values[g].hi.value_or(0)});
    Frame f{0, 1, 0, y1 <= 0 ? 1 : y1 * 1.12};
    std::ostringstream o;
    open_svg(o, c.id, "bar", c.title, c.desc, k_h);
    y_axis(o, f, c.y_label);
    const double plot_w = k_w - k_left - k_right;
    const double group_w = plot_w / static_cast<double>(std::max<std::size_t>(1, c.groups.size()));
    const double bar_w = group_w * 0.7 / static_cast<double>(std::max<std::size_t>(1, c.series.size()));
    for (std::size_t g = 0; g < c.groups.size(); ++g)
        o << "<text x=\"" << num(k_left + group_w * (static_cast<double>(g) + 0.5)) << "\" y=\""
          << num(k_h - k_bottom + 16) << "\" text-anchor=\"middle\" class=\"axis\">" << xml_escape(c.groups[g].label)
          << "</text>\n";
    std::string legend;
    for (std::size_t i = 0; i < c.series.size(); ++i) {
        const auto& s = c.series[i];
        const auto col = colour(i);
        o << "<g data-series=\"" << xml_escape(s.id) << "\" aria-label=\"" << xml_escape(s.label) << "\">\n";
        for (std::size_t g = 0; g < c.groups.size() && g < s.values.size(); ++g) {
            if (g >= s.present.size() || !s.present[g]) continue;
            const auto& p = s.values[g];
            const double x = k_left + group_w * static_cast<double>(g) + group_w * 0.15 + bar_w * static_cast<double>(i);
            o << "<g><rect x=\"" << num(x) << "\" y=\"" << num(f.py(p.y)) << "\" width=\"" << num(bar_w - 2)
              << "\" height=\"" << num(f.py(0) - f.py(p.y)) << "\" fill=\"" << col << "\""
              << (i % 2 ? " fill-opacity=\"0.85\" stroke=\"#000\" stroke-width=\"0.6\"" : "") << "/>";
            if (p.lo && p.hi) {
                const double cx = x + (bar_w - 2) / 2;
                o << "<path d=\"M" << num(cx) << " " << num(f.py(*p.lo)) << " V" << num(f.py(*p.hi)) << " M"
                  << num(cx - 5) << " " << num(f.py(*p.lo)) << " H" << num(cx + 5) << " M" << num(cx - 5) << " "
                  << num(f.py(*p.hi)) << " H" << num(cx + 5) << "\" stroke=\"#000\" stroke-width=\"1.4\" fill=\"none\"/>";
            }
            o << "<title>" << xml_escape(p.note) << "</title></g>\n";
        }
        o << "</g>\n";
        legend += legend_item(i, s.label);
    }
    legend += "<span class=\"key\">whiskers: min..max over the repetitions</span>";
    close_svg(o, legend);
    return o.str();
}

std::string render(const TimelineChart& c) {
    const double lane_h = 26;
    const double h = k_top + k_bottom + lane_h * static_cast<double>(std::max<std::size_t>(1, c.lanes.size()));
    const double x1 = c.x_max <= 0 ? 1 : c.x_max;
    auto px = [&](double x) { return k_left + 30 + x / x1 * (k_w - k_left - 30 - k_right); };
    std::ostringstream o;
    open_svg(o, c.id, "timeline", c.title, c.desc, h);
    for (std::size_t l = 0; l < c.lanes.size(); ++l) {
        const double y = k_top + lane_h * (static_cast<double>(l) + 0.5);
        o << "<g data-series=\"" << xml_escape(c.lanes[l]) << "\"><text x=\"" << num(k_left + 24) << "\" y=\""
          << num(y + 4) << "\" text-anchor=\"end\">" << xml_escape(c.lanes[l]) << "</text><line x1=\""
          << num(px(0)) << "\" x2=\"" << num(px(x1)) << "\" y1=\"" << num(y) << "\" y2=\"" << num(y)
          << "\" class=\"grid\"/>\n";
        for (const auto& it : c.items) {
            if (it.lane != c.lanes[l]) continue;
            o << "<g class=\"event\" data-severity=\"" << xml_escape(it.severity) << "\">"
              << "<path d=\"M" << num(px(it.x)) << " " << num(y - 7) << " L" << num(px(it.x) + 7) << " " << num(y)
              << " L" << num(px(it.x)) << " " << num(y + 7) << " L" << num(px(it.x) - 7) << " " << num(y)
              << " Z\" fill=\"" << severity_colour(it.severity) << "\"/><title>" << xml_escape(it.text)
              << "</title></g>\n";
        }
        o << "</g>\n";
    }
    const double step = nice_step(x1, 8);
    for (double x = 0; x <= x1 + 1e-9; x += step)
        o << "<text class=\"axis\" x=\"" << num(px(x)) << "\" y=\"" << num(h - k_bottom + 16)
          << "\" text-anchor=\"middle\">+" << fixed(x, 0) << " s</text>\n";
    close_svg(o, "<span class=\"key\">◆ orange-red: failure · amber: warning · grey: notice (hover for the text)</span>");
    return o.str();
}

}  // namespace besrig::report::svg
