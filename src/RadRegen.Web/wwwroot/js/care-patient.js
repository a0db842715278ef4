// Patient page: each method's dose interval (floating bar) and estimate (point), from the canvas's
// data-chart attribute; the same numbers are in the table beside it. No inline script (CSP).
(function () {
    "use strict";
    // Phones (issue 17 item 6): the canvases' desktop ratios (300:110, 300:70) leave a chart 80–130 px
    // high at 390 px wide; a narrow screen gets taller charts. Undefined keeps the canvas's ratio.
    var phoneRatio = window.matchMedia && window.matchMedia("(max-width: 575.98px)").matches ? 1.3 : undefined;
    var m = document.getElementById("metrepol-chart");
    if (m && typeof Chart !== "undefined") {
        var g = JSON.parse(m.getAttribute("data-chart") || "{}");
        var line = function (label, data, colour, dash) {
            return { label: label, data: data, borderColor: colour, backgroundColor: colour, stepped: true, borderDash: dash || [], pointRadius: 3 };
        };
        new Chart(m, {
            type: "line",
            data: {
                labels: (g.days || []).map(function (d) { return "day " + d; }),
                datasets: [
                    line("RC", g.rc, "#212529"),
                    line("N", g.n, "#6f42c1", [4, 3]),
                    line("H", g.h, "#dc3545", [4, 3]),
                    line("C", g.c, "#fd7e14", [4, 3]),
                    line("G", g.g, "#198754", [4, 3])
                ]
            },
            options: { animation: false, responsive: true, aspectRatio: phoneRatio, scales: { y: { min: 0, max: 4, ticks: { stepSize: 1 }, title: { display: true, text: "degree / RC" } } } }
        });
    }
    var canvas = document.getElementById("dose-chart");
    if (!canvas || typeof Chart === "undefined") {
        return;
    }
    var d = JSON.parse(canvas.getAttribute("data-chart") || "{}");
    var methods = d.methods || [];
    var bars = methods.map(function (_, i) {
        var lo = d.lower[i], hi = d.upper[i];
        return lo === null || hi === null ? null : [lo, hi];
    });
    new Chart(canvas, {
        type: "bar",
        data: {
            labels: methods,
            datasets: [
                { type: "bar", label: "interval (Gy)", data: bars, backgroundColor: "rgba(13, 110, 253, 0.25)", borderColor: "#0d6efd", borderWidth: 1 },
                { type: "line", label: "estimate (Gy)", data: d.estimate, showLine: false, pointRadius: 5, pointStyle: "rectRot", borderColor: "#dc3545", backgroundColor: "#dc3545" }
            ]
        },
        options: {
            animation: false,
            indexAxis: "y",
            responsive: true,
            aspectRatio: phoneRatio,
            scales: { x: { title: { display: true, text: "dose (Gy)" }, min: 0 } }
        }
    });
})();
