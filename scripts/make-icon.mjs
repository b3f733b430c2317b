// Draws the 128x128 extension icon (a padlock on a Prosody-blue rounded square) with pngjs,
// so the icon is reproducible from source: node scripts/make-icon.mjs
import { PNG } from 'pngjs';
import { writeFileSync } from 'node:fs';

const S = 128;
const png = new PNG({ width: S, height: S });
const put = (x, y, [r, g, b, a]) => {
  const i = (y * S + x) * 4;
  png.data[i] = r; png.data[i + 1] = g; png.data[i + 2] = b; png.data[i + 3] = a;
};
// Coverage-based anti-aliasing: sample each pixel 4x4.
const cover = (x, y, inside) => {
  let n = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (inside(x + (i + 0.5) / 4, y + (j + 0.5) / 4)) n++;
  return n / 16;
};
const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const bg = roundRect(4, 4, 124, 124, 22);
const body = roundRect(30, 58, 98, 108, 8);
const shackle = (x, y) => {
  const d = Math.hypot(x - 64, y - 54);
  return ((y <= 54 && d >= 17 && d <= 27) || (y > 54 && y <= 62 && ((x >= 37 && x <= 47) || (x >= 81 && x <= 91))));
};
const hole = (x, y) => Math.hypot(x - 64, y - 78) <= 7 || (x >= 60.5 && x <= 67.5 && y >= 78 && y <= 95);
const mix = (a, b, t) => a.map((v, i) => Math.round(v * (1 - t) + b[i] * t));
for (let y = 0; y < S; y++) {
  for (let x = 0; x < S; x++) {
    let c = [0, 0, 0, 0];
    const cb = cover(x, y, bg);
    if (cb > 0) {
      const top = [38, 99, 178, 255], bottom = [22, 56, 110, 255];
      c = mix(top, bottom, y / S);
      c[3] = Math.round(255 * cb);
    }
    const lock = Math.max(cover(x, y, body), cover(x, y, shackle));
    if (lock > 0) c = mix(c, [255, 255, 255, 255], lock);
    const h = cover(x, y, hole);
    if (h > 0 && cover(x, y, body) > 0) c = mix(c, [30, 80, 150, 255], h);
    put(x, y, c);
  }
}
writeFileSync('images/icon.png', PNG.sync.write(png));
console.log('wrote images/icon.png');
