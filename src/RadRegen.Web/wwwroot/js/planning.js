// Readiness planning charts (Chart.js from npm). The numbers come from the canvases' data-chart
// attributes; the same numbers are in the page's tables. No inline script (CSP: script-src 'self').
(function () {
    "use strict";
    if (typeof Chart === "undefined") {
        return;
    }
    var colours = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#6c757d"];
    var demand = document.getElementById("planning-chart");
    if (demand) {
        var data = JSON.parse(demand.getAttribute("data-chart") || "{}");
        var sets = [];
        (data.products || []).forEach(function (p, i) {
            var c = colours[i % colours.length];
            sets.push({ label: p.product + ": due", data: p.due, borderColor: c, pointRadius: 0 });
            sets.push({ label: p.product + ": from the shelf", data: p.shelf, borderColor: c, borderDash: [2, 3], pointRadius: 0 });
            sets.push({ label: p.product + ": with the plan", data: p.plan, borderColor: c, borderDash: [6, 4], pointRadius: 0 });
        });
        new Chart(demand, {
            type: "line",
            data: { labels: data.days || [], datasets: sets },
            options: { animation: false, responsive: true, scales: { x: { title: { display: true, text: "day" } }, y: { title: { display: true, text: "vials per day" }, min: 0 } } }
        });
    }
    var expiry = document.getElementById("expiry-chart");
    if (expiry) {
        var e = (JSON.parse(expiry.getAttribute("data-chart") || "{}").expiring) || {};
        new Chart(expiry, {
            type: "bar",
            data: { labels: e.months || [], datasets: [
                { label: "here", data: e.local, backgroundColor: "#0d6efd" },
                { label: "network", data: e.network, backgroundColor: "#6c757d" }
            ] },
            options: { animation: false, responsive: true, scales: { y: { title: { display: true, text: "vials expiring" }, min: 0 } } }
        });
    }
})();
