"""sweep_chart.py — the body-size sweep as an inline SVG line chart.

The chart shows the per-instance saving (y, percent) against the body size
(x, one evenly spaced step per measured size, since the sizes grow
geometrically and include 0), with the claim's band shaded.
Self-contained SVG (no script, no external font), so footprint.html still
renders offline.
"""

# One colour per series, none of them in heaptag diff's palette, so the
# screenshot test can tell the sweep's lines from the diff's bars.
COLOURS = ["#1b6ca8", "#d95f02", "#c2185b", "#2e7d32", "#7b1fa2", "#8d6e63"]
BAND_FILL = "#fff3bf"
W, H = 1040, 380
LEFT, RIGHT, TOP, BOTTOM = 70, 300, 30, 60


def _esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def size_label(b):
    if b >= 1024 and b % 1024 == 0:
        return "%d KiB" % (b // 1024)
    return "%d B" % b


def svg(sizes, series, band, title):
    """sizes: body sizes in bytes; series: [(label, [percent or None per
    size])]; band: (low, high) percent.  Returns the <svg> element."""
    vals = [v for _, ys in series for v in ys if v is not None] + list(band)
    lo = min(0.0, min(vals))
    hi = max(100.0, max(vals))
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(i):
        return LEFT + (pw * i / (len(sizes) - 1) if len(sizes) > 1 else pw / 2)

    def y(v):
        return TOP + ph * (hi - v) / (hi - lo)

    o = ['<svg class="sweep" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">'
         % (W, H, W, H, _esc(title))]
    o.append('<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"/>'
             % (LEFT, y(band[1]), pw, y(band[0]) - y(band[1]), BAND_FILL))
    o.append('<text x="%d" y="%.1f" font-size="11" fill="#8a6d00">band %g..%g%%</text>'
             % (LEFT + pw + 6, (y(band[0]) + y(band[1])) / 2 + 4, band[0], band[1]))
    for v in range(int(lo // 20 * 20), int(hi) + 1, 20):
        o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e4e7eb"/>'
                 '<text x="%d" y="%.1f" font-size="11" fill="#7b8794" text-anchor="end">%d%%</text>'
                 % (LEFT, y(v), LEFT + pw, y(v), LEFT - 8, y(v) + 4, v))
    for i, b in enumerate(sizes):
        o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e4e7eb"/>'
                 '<text x="%.1f" y="%d" font-size="11" fill="#52606d" text-anchor="middle">%s</text>'
                 % (x(i), TOP, x(i), TOP + ph, x(i), TOP + ph + 16, size_label(b)))
    o.append('<text x="%.1f" y="%d" font-size="12" fill="#323f4b" text-anchor="middle">'
             'response body size</text>' % (LEFT + pw / 2, TOP + ph + 36))
    o.append('<text x="16" y="%.1f" font-size="12" fill="#323f4b" text-anchor="middle" '
             'transform="rotate(-90 16 %.1f)">saving per instance</text>' % (TOP + ph / 2, TOP + ph / 2))
    for k, (label, ys) in enumerate(series):
        c = COLOURS[k % len(COLOURS)]
        dash = ' stroke-dasharray="7 4"' if "payload" in label else ""
        pts = ["%.1f,%.1f" % (x(i), y(v)) for i, v in enumerate(ys) if v is not None]
        o.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="3"%s/>'
                 % (" ".join(pts), c, dash))
        for i, v in enumerate(ys):
            if v is not None:
                o.append('<circle cx="%.1f" cy="%.1f" r="4.5" fill="%s"><title>%s, %s: %.1f%%</title></circle>'
                         % (x(i), y(v), c, _esc(label), size_label(sizes[i]), v))
        ly = TOP + 20 + 22 * k
        o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"%s/>'
                 '<text x="%d" y="%d" font-size="12" fill="#323f4b">%s</text>'
                 % (LEFT + pw + 6, ly, LEFT + pw + 30, ly, c, dash, LEFT + pw + 36, ly + 4, _esc(label)))
    o.append("</svg>")
    return "\n".join(o)
