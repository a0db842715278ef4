// Incident dashboard charts (Chart.js from npm). The numbers come from each canvas's data-chart
// attribute; the same numbers are in the page's cards and table. No inline script (CSP: script-src 'self').
(function () {
    "use strict";
    if (typeof Chart === "undefined") {
        return;
    }
    var colours = { red: "#dc3545", yellow: "#ffc107", green: "#198754", undetermined: "#6c757d" };

    var timeline = document.getElementById("timeline-chart");
    if (timeline) {
        var t = JSON.parse(timeline.getAttribute("data-chart") || "{}");
        var datasets = [{
            type: "line", label: "registered", data: t.registered || [], borderColor: "#0d6efd", backgroundColor: "#0d6efd", pointRadius: 2, yAxisID: "y"
        }];
        Object.keys(t.assessed || {}).forEach(function (colour) {
            datasets.push({
                type: "bar", label: "assessed " + colour, data: t.assessed[colour], backgroundColor: colours[colour] || "#adb5bd", stack: "assessed", yAxisID: "y"
            });
        });
        new Chart(timeline, {
            data: { labels: t.labels || [], datasets: datasets },
            options: {
                animation: false,
                responsive: true,
                scales: {
                    x: { stacked: true, title: { display: true, text: t.binHours === 24 ? "day (UTC)" : "hour (UTC)" } },
                    y: { stacked: true, beginAtZero: true, title: { display: true, text: "patients" }, ticks: { precision: 0 } }
                }
            }
        });
    }

    var rc = document.getElementById("rc-chart");
    if (rc) {
        var r = JSON.parse(rc.getAttribute("data-chart") || "{}");
        new Chart(rc, {
            type: "bar",
            data: { labels: r.labels || [], datasets: [{ label: "patients", data: r.counts || [], backgroundColor: "#6f42c1" }] },
            options: {
                animation: false,
                responsive: true,
                plugins: { legend: { display: false } },
                scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
            }
        });
    }
})();
