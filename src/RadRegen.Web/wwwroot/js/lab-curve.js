// Calibration curve chart of the biodosimetry laboratory (Chart.js from npm): yield against dose
// with the 95 % band and the calibration points. The numbers come from the canvas's data-chart
// attribute and are also in the page's table. No inline script (CSP: script-src 'self').
(function () {
    "use strict";
    var canvas = document.getElementById("curve-chart");
    if (!canvas || typeof Chart === "undefined") {
        return;
    }
    var data = JSON.parse(canvas.getAttribute("data-chart") || "{}");
    var xy = function (ys) {
        return (data.dose || []).map(function (d, i) { return { x: d, y: ys[i] }; });
    };
    new Chart(canvas, {
        type: "line",
        data: {
            datasets: [
                { label: "Upper 95 %", data: xy(data.upper || []), borderColor: "rgba(13,110,253,0.4)", backgroundColor: "rgba(13,110,253,0.12)", borderDash: [4, 3], pointRadius: 0, fill: "+2" },
                { label: "Fitted yield", data: xy(data.yield || []), borderColor: "#0d6efd", pointRadius: 0, fill: false },
                { label: "Lower 95 %", data: xy(data.lower || []), borderColor: "rgba(13,110,253,0.4)", borderDash: [4, 3], pointRadius: 0, fill: false },
                { label: "Calibration points (X/N)", type: "scatter", data: data.points || [], borderColor: "#212529", backgroundColor: "#212529", pointRadius: 3, pointStyle: "rectRot" }
            ]
        },
        options: {
            animation: false,
            responsive: true,
            parsing: true,
            scales: {
                x: { type: "linear", title: { display: true, text: "dose (Gy)" }, min: 0 },
                y: { title: { display: true, text: "aberrations per cell" }, min: 0 }
            }
        }
    });
})();
