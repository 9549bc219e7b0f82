// The wall's layouts: a CSS grid of cols x rows and, per tile, its area [row, col, rowSpan, colSpan] (1-based).

function grid(n) {
  const areas = [];
  for (let r = 1; r <= n; r++) for (let c = 1; c <= n; c++) areas.push([r, c, 1, 1]);
  return { cols: n, rows: n, areas };
}

export const LAYOUTS = {
  1: grid(1),
  '2x2': grid(2),
  '3x3': grid(3),
  '4x4': grid(4),
  '5x5': grid(5),
  // one large tile (2x2) and five around it
  '1+5': { cols: 3, rows: 3, areas: [[1, 1, 2, 2], [1, 3, 1, 1], [2, 3, 1, 1], [3, 1, 1, 1], [3, 2, 1, 1], [3, 3, 1, 1]] },
  // one large tile (3x3) and seven around it
  '1+7': { cols: 4, rows: 4, areas: [[1, 1, 3, 3], [1, 4, 1, 1], [2, 4, 1, 1], [3, 4, 1, 1], [4, 1, 1, 1], [4, 2, 1, 1],
    [4, 3, 1, 1], [4, 4, 1, 1]] },
  // one large tile (2x2) in the centre and twelve around it
  '1+12': { cols: 4, rows: 4, areas: [[2, 2, 2, 2], [1, 1, 1, 1], [1, 2, 1, 1], [1, 3, 1, 1], [1, 4, 1, 1], [2, 1, 1, 1],
    [2, 4, 1, 1], [3, 1, 1, 1], [3, 4, 1, 1], [4, 1, 1, 1], [4, 2, 1, 1], [4, 3, 1, 1], [4, 4, 1, 1]] },
};

export const LAYOUT_NAMES = Object.keys(LAYOUTS).sort((a, b) => LAYOUTS[a].areas.length - LAYOUTS[b].areas.length
  || a.localeCompare(b));

export function tileCount(layout) {
  return LAYOUTS[layout].areas.length;
}
