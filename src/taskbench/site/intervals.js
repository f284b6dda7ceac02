/* taskbench: asv's graphs with the interval of every point drawn as an error bar.

   asv 0.6 stores each figure's 99% confidence interval of the median but draws none.
   taskbench.site.intervals appends the interval's bounds to every point of asv's graph
   files ([revision, value, low, high]); this file passes them through asv's own
   filter_graph_data (by filtering the bounds the same way as the values) and tells flot's
   error-bar plugin to draw them. Points without an interval get bars of zero length. An
   empty graph file is an empty series. */
(function ($) {
    "use strict";

    function column(raw, index) {
        return raw.map(function (point) {
            return [point[0], point.length > index ? point[index] : null];
        });
    }

    function distance(from, to) {
        return (from === null || from === undefined || to === null || to === undefined)
            ? 0 : Math.abs(to - from);
    }

    $(document).ready(function () {
        var original = $.asv.filter_graph_data;
        $.asv.filter_graph_data = function (raw, x_axis, other_indices, params) {
            if (!raw.length) {
                /* asv writes [] for an interpreter without a single value of a benchmark
                   (PyPy has no tracemalloc), and its own filter then reads raw[-1][1]
                   when a parameter is the x-axis: a TypeError. No points: no series. */
                return [];
            }
            var series = original(raw, x_axis, other_indices, params);
            if (!raw.length || raw[0].length < 4) {
                return series;
            }
            var lows = original(column(raw, 2), x_axis, other_indices, params);
            var highs = original(column(raw, 3), x_axis, other_indices, params);
            return series.map(function (point, k) {
                var low = lows[k] ? lows[k][1] : null;
                var high = highs[k] ? highs[k][1] : null;
                return [point[0], point[1], distance(low, point[1]), distance(point[1], high)];
            });
        };
    });

    function processRawData(plot, series) {
        if (series.data.length && series.data[0].length === 4) {
            series.points.errorbars = "y";
            series.points.yerr = {err: "y", show: true, asymmetric: true, upperCap: "-",
                                  lowerCap: "-", color: null, radius: 4};
        }
    }

    $.plot.plugins.push({
        init: function (plot) { plot.hooks.processRawData.push(processRawData); },
        options: {},
        name: "taskbench-intervals",
        version: "1.0"
    });
})(jQuery);
