// Draw each <figure data-chart> from the JSON beside it (the same figures as its table), with
// chart.js served from node_modules. Right-to-left pages mirror the axis, legend and tooltips.
document.addEventListener("DOMContentLoaded", () => {
  const rtl = document.documentElement.dir === "rtl";
  document.querySelectorAll("figure[data-chart]").forEach((figure) => {
    const data = JSON.parse(document.getElementById(figure.dataset.chart).textContent);
    // eslint-disable-next-line no-undef
    new Chart(figure.querySelector("canvas"), {
      type: data.kind,
      data: { labels: data.labels, datasets: [{ label: data.label, data: data.values }] },
      options: {
        locale: document.documentElement.lang,
        plugins: { legend: { rtl, display: data.kind !== "bar" }, tooltip: { rtl } },
        scales: data.kind === "bar" ? { x: { reverse: rtl }, y: { beginAtZero: true, position: rtl ? "right" : "left" } } : {},
      },
    });
  });
});
