/* taskbench: asv's graph page made to read right, as a flot plugin (asv 0.6 offers no hook).

   - A numeric parameter spanning decades (task counts 1 ... 100,000) is drawn on a log axis
     with its own values as ticks: asv draws parameters on a linear axis, where 1 ... 10,000
     all land on x = 0 beside 100,000.
   - The legend lists only series with data, in natural order (3.8 before 3.10), labels
     without what every line shares ("python-3.13; count-100000" becomes "3.13" when every
     line is at 100,000), and sits beside the plot rather than over it.

   It acts on asv's main graph only (#main-graph), reading the state asv keeps in the
   address's fragment (the benchmark, x-axis), and changes flot's options before flot draws:
   asv's own code is untouched. */
(function ($) {
    "use strict";

    var DECADES = 2;  /* a log axis from a range of 10^2 up */

    function current_state() {
        var info = $.asv.parse_hash_string(window.location.hash);
        var benchmark = $.asv.main_json.benchmarks[info.location[0]];
        var x_axis = (info.params["x-axis"] || [])[0];
        return {benchmark: benchmark, x_axis: x_axis};
    }

    /* The values of the x-axis parameter, when they are all positive numbers over decades. */
    function log_axis_values(state) {
        if (!state.benchmark || !state.x_axis) {
            return null;
        }
        var k = state.benchmark.param_names.indexOf(state.x_axis);
        if (k < 0) {
            return null;
        }
        var values = state.benchmark.params[k].map($.asv.convert_benchmark_param_value);
        var positive = values.every(function (v) { return typeof v === "number" && v > 0; });
        if (!positive) {
            return null;
        }
        values.sort(function (a, b) { return a - b; });
        var low = values[0], high = values[values.length - 1];
        return high / low >= Math.pow(10, DECADES) ? values : null;
    }

    function use_log_axis(axis, values, name) {
        axis.transform = function (v) { return Math.log(v) / Math.LN10; };
        axis.inverseTransform = function (v) { return Math.pow(10, v); };
        axis.ticks = values;
        axis.tickFormatter = function (v) { return Number(v).toLocaleString("en-US"); };
        if (axis.min === null || axis.min === undefined) {  /* else asv's zoom set them */
            axis.min = values[0] / 2;
            axis.max = values[values.length - 1] * 2;
        }
        axis.axisLabel = name + " (log scale)";
    }

    function has_data(series) {
        return series.data.some(function (point) {
            return point[1] !== null && point[1] !== undefined;
        });
    }

    /* "count-100000; env-PYTHON_JIT-1; python-3.15-debian" -> parts, readable. */
    function parts_of(label) {
        return String(label).split("; ");
    }

    function readable(part) {
        var env = part.match(/^env-([^-]+)-(.*)$/);
        if (env) {
            return env[1] + "=" + env[2];
        }
        return part.replace(/^python-/, "").replace(/^([a-z_]+)-/, "$1 ");
    }

    function natural_compare(a, b) {
        return String(a.label).localeCompare(String(b.label), "en", {numeric: true});
    }

    function legend_box() {
        var box = $("#taskbench-legend");
        if (!box.length) {
            /* beside the plot: asv's plot area gives up the box's width */
            var plot_area = $("#main-graph").parent();
            plot_area.css("right", "210px");
            box = $('<div id="taskbench-legend"></div>').css({
                position: "absolute", top: plot_area.css("top"), right: 0, width: "200px",
                bottom: plot_area.css("bottom"), overflow: "auto", "font-size": "12px"
            });
            plot_area.parent().append(box);
        }
        return box;
    }

    function fit_legend(plot, legend) {
        var asv_formatter = legend.labelFormatter;
        legend.container = legend_box();
        legend.sorted = natural_compare;
        legend.labelFormatter = function (label, series) {
            var labelled = plot.getData().filter(function (s) { return s.label && has_data(s); });
            if (!has_data(series)) {
                return "";  /* flot leaves a series out of the legend when this is empty */
            }
            var shared = parts_of(labelled[0].label).filter(function (part) {
                return labelled.every(function (s) { return parts_of(s.label).includes(part); });
            });
            var own = parts_of(label).filter(function (part) {
                return labelled.length === 1 || !shared.includes(part);
            });
            var text = own.map(readable).join(" ");
            return asv_formatter ? asv_formatter(text, series) : text;
        };
    }

    function processOptions(plot, options) {
        if (plot.getPlaceholder().attr("id") !== "main-graph" || !$.asv || !$.asv.main_json) {
            return;
        }
        var state = current_state();
        var values = log_axis_values(state);
        if (values) {
            use_log_axis(options.xaxes[0], values, state.x_axis);
        }
        fit_legend(plot, options.legend);
    }

    $.plot.plugins.push({
        init: function (plot) { plot.hooks.processOptions.push(processOptions); },
        options: {},
        name: "taskbench-graphs",
        version: "1.0"
    });
})(jQuery);
