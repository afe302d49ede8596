// Small line charts drawn on a canvas by the page itself (no library).

const COLORS = ["#5fb3f9", "#ef6b73", "#e5c07b"];

/**
 * Draws one or more series (arrays of numbers, oldest first) into `canvas`,
 * scaled to the largest value, with the latest value of each as a legend.
 */
export function drawChart(canvas, series, labels) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 480;
  const height = canvas.clientHeight || 120;
  if (canvas.width !== width * ratio) {
    canvas.width = width * ratio;
    canvas.height = height * ratio;
  }
  const g = canvas.getContext("2d");
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const pad = { left: 44, right: 6, top: 16, bottom: 14 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const n = Math.max(2, ...series.map((s) => s.length));
  const max = Math.max(1, ...series.flat());
  g.font = "10px system-ui, sans-serif";
  g.fillStyle = "#8a96a3";
  g.strokeStyle = "#2a333d";
  g.lineWidth = 1;
  for (const f of [0, 0.5, 1]) {
    const y = pad.top + h - f * h;
    g.beginPath();
    g.moveTo(pad.left, y + 0.5);
    g.lineTo(pad.left + w, y + 0.5);
    g.stroke();
    g.fillText(short(max * f), 2, y + 3);
  }
  g.fillText(`${n} s`, pad.left, height - 2);
  series.forEach((values, i) => {
    g.strokeStyle = COLORS[i % COLORS.length];
    g.lineWidth = 1.5;
    g.beginPath();
    values.forEach((v, j) => {
      const x = pad.left + ((n - values.length + j) / (n - 1)) * w;
      const y = pad.top + h - (v / max) * h;
      if (j === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.stroke();
    g.fillStyle = COLORS[i % COLORS.length];
    const last = values.length ? values[values.length - 1] : 0;
    g.fillText(`${labels[i]} ${short(last)}`, pad.left + 4 + i * 110, 11);
  });
}

function short(n) {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n >= 10 ? String(Math.round(n)) : n.toFixed(1);
}
