// Haplobank coverage chart (Chart.js from npm). The numbers come from the canvas's data-chart
// attribute; the same numbers are in the page's tables. No inline script (CSP: script-src 'self').
(function () {
    "use strict";
    var canvas = document.getElementById("coverage-chart");
    if (!canvas || typeof Chart === "undefined") {
        return;
    }
    var data = JSON.parse(canvas.getAttribute("data-chart") || "{}");
    var n = Math.max((data.bankTrans || []).length, (data.planTrans || []).length);
    var labels = [];
    for (var i = 1; i <= n; i++) {
        labels.push(i);
    }
    new Chart(canvas, {
        type: "line",
        data: {
            labels: labels,
            datasets: [
                { label: "Bank: cis", data: data.bankCis, borderColor: "#0d6efd", borderDash: [], pointRadius: 2 },
                { label: "Bank: trans", data: data.bankTrans, borderColor: "#198754", pointRadius: 2 },
                { label: "Plan (frequency order): cis", data: data.planCis, borderColor: "#6c757d", borderDash: [6, 4], pointRadius: 0 },
                { label: "Plan (greedy): trans", data: data.planTrans, borderColor: "#fd7e14", borderDash: [2, 3], pointRadius: 0 }
            ]
        },
        options: {
            animation: false,
            responsive: true,
            scales: {
                x: { title: { display: true, text: "lines" } },
                y: { title: { display: true, text: "coverage (%)" }, min: 0, max: 100 }
            }
        }
    });
})();
