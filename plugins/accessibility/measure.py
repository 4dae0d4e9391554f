"""What a page looks like to an elderly reader, measured in the browser in one script:
main-text size, line height, paragraph spacing and contrast, the size of the main
controls, pop-ups, and the signature (classes, stylesheets) a display mode leaves."""

from __future__ import annotations

from playwright.async_api import Page
from pydantic import BaseModel, Field

from auditkit_plugins.accessibility.config import Settings

# Main text: visible text outside header/navigation/footer, weighted by characters; its
# dominant font size is the page's main size. Controls: navigation links, buttons, inputs.
MEASURE_JS = r"""
(opts) => {
  const vw = innerWidth, vh = innerHeight;
  const hint = n => ((n.id || '') + ' ' + (typeof n.className === 'string' ? n.className : '')).toLowerCase();
  const words = list => new RegExp('(^|[-_\\s])(' + list.join('|') + ')([-_\\s\\d]|$)');
  const NAV = words(opts.navHints), LAYOUT = words([...opts.navHints, ...opts.layoutHints]);
  const inRegion = (el, re, tags) => { for (let n = el; n && n !== document.body; n = n.parentElement) {
      if (tags.includes(n.tagName) || n.getAttribute('role') === 'navigation' || re.test(hint(n))) return true; }
    return false; };
  const shown = (el, s) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' &&
      parseFloat(s.opacity) > 0; };
  const rgb = c => { const m = (c || '').match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = el => { for (let n = el; n; n = n.parentElement) { const s = getComputedStyle(n);
      if (s.backgroundImage && s.backgroundImage !== 'none') return null;
      const c = rgb(s.backgroundColor); if (c && c[3] > 0.5) return c; }
    return [255, 255, 255, 1]; };
  const chars = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.textContent.replace(/\s+/g, ''); const el = n.parentElement;
    if (t.length < 2 || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'OPTION', 'TITLE'].includes(el.tagName)) continue;
    chars.set(el, (chars.get(el) || 0) + t.length);
  }
  const blocks = [];
  for (const [el, n] of chars) {
    const s = getComputedStyle(el);
    if (!shown(el, s) || inRegion(el, LAYOUT, ['HEADER', 'NAV', 'FOOTER'])) continue;
    const fs = parseFloat(s.fontSize), lh = s.lineHeight === 'normal' ? fs * 1.2 : parseFloat(s.lineHeight);
    const fg = rgb(s.color), bg = background(el);
    let contrast = null;
    if (fg && bg) { const a = lum(fg), b = lum(bg); contrast = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }
    const r = el.getBoundingClientRect();
    blocks.push({el, chars: n, font: Math.round(fs * 2) / 2, line: lh / fs, lh, contrast,
                 bold: parseInt(s.fontWeight) >= 700, top: r.top, bottom: r.bottom});
  }
  const paragraphs = [];
  for (const b of blocks) {
    const next = b.el.tagName === 'P' ? b.el.nextElementSibling : null;
    const nb = next && next.tagName === 'P' ? blocks.find(x => x.el === next) : null;
    if (nb) paragraphs.push({font: b.font, ratio: (b.lh + Math.max(0, nb.top - b.bottom)) / b.lh});
  }
  const controls = [];
  document.querySelectorAll('a[href], button, input:not([type=hidden]), select, [role=button]').forEach(el => {
    const s = getComputedStyle(el);
    const main = el.tagName !== 'A' || inRegion(el, NAV, ['NAV']);
    if (!main || !shown(el, s)) return;
    const r = el.getBoundingClientRect();
    controls.push({w: r.width, h: r.height});
  });
  const overlays = [];
  for (const el of document.querySelectorAll('body *')) {
    if (overlays.some(o => o.el.contains(el))) continue;
    const s = getComputedStyle(el);
    const dialog = el.getAttribute('role') === 'dialog' || el.getAttribute('aria-modal') === 'true' ||
      (el.tagName === 'DIALOG' && el.open);
    if (!dialog && s.position !== 'fixed' && s.position !== 'absolute') continue;
    if (!shown(el, s)) continue;
    const r = el.getBoundingClientRect();
    const w = Math.max(0, Math.min(r.right, vw) - Math.max(r.left, 0));
    const h = Math.max(0, Math.min(r.bottom, vh) - Math.max(r.top, 0));
    const share = (w * h) / (vw * vh);
    if (dialog || share >= opts.overlayShare)
      overlays.push({el, share, text: (el.innerText || '').trim().replace(/\s+/g, ' ').slice(0, 80),
                     what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string'
                       && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '')});
  }
  const sheets = [...document.querySelectorAll('link[rel~=stylesheet]')].map(l => l.href);
  return {
    blocks: blocks.map(b => ({chars: b.chars, font: b.font, line: b.line, contrast: b.contrast, bold: b.bold})),
    paragraphs, controls,
    overlays: overlays.map(o => ({what: o.what, text: o.text, share: o.share})),
    signature: {html: document.documentElement.className || '', body: document.body.className || '', sheets,
                zoom: getComputedStyle(document.body).zoom || ''},
  };
}
"""


class Block(BaseModel):
    chars: int
    font: float
    line: float
    contrast: float | None = None
    bold: bool = False


class Paragraph(BaseModel):
    font: float
    ratio: float


class Control(BaseModel):
    w: float
    h: float


class Overlay(BaseModel):
    what: str
    text: str
    share: float


class Signature(BaseModel):
    html: str = ""
    body: str = ""
    sheets: list[str] = Field(default_factory=list)
    zoom: str = ""

    def marks(self) -> set[str]:
        """Classes and stylesheets: what a display mode adds to a page."""
        return {f"class:{c}" for c in (self.html + " " + self.body).split()} | {f"sheet:{s}" for s in self.sheets}


class Measurement(BaseModel):
    """One page in one display mode."""

    url: str
    error: str | None = None
    blocks: list[Block] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    controls: list[Control] = Field(default_factory=list)
    overlays: list[Overlay] = Field(default_factory=list)
    signature: Signature = Field(default_factory=Signature)
    screenshot: bytes | None = None

    @property
    def main_font(self) -> float | None:
        """The font size that sets the most characters."""
        weight: dict[float, int] = {}
        for b in self.blocks:
            weight[b.font] = weight.get(b.font, 0) + b.chars
        return max(weight, key=lambda f: weight[f]) if weight else None

    def _main(self) -> list[Block]:
        font = self.main_font
        return [b for b in self.blocks if b.font == font]

    @property
    def line_height(self) -> float | None:
        return _weighted_median([(b.line, b.chars) for b in self._main()])

    @property
    def paragraph(self) -> float | None:
        font = self.main_font
        ratios = sorted(p.ratio for p in self.paragraphs if p.font == font)
        return ratios[len(ratios) // 2] if ratios else None

    @property
    def contrast(self) -> float | None:
        return _weighted_median([(b.contrast, b.chars) for b in self._main() if b.contrast is not None])

    @property
    def large_text(self) -> bool:
        main = self._main()
        return bool(main) and (main[0].font >= 24 or (main[0].font >= 18.66 and main[0].bold))

    def target_share(self, min_px: float) -> float | None:
        if not self.controls:
            return None
        return sum(1 for c in self.controls if c.w >= min_px and c.h >= min_px) / len(self.controls)


def _weighted_median(values: list[tuple[float, int]]) -> float | None:
    if not values:
        return None
    values = sorted(values)
    half, running = sum(w for _, w in values) / 2, 0
    for value, w in values:
        running += w
        if running >= half:
            return value
    return values[-1][0]


async def measure(page: Page, url: str, cfg: Settings, screenshot_quality: int | None = None) -> Measurement:
    """Measure the page already open at ``url`` (and take a viewport screenshot when asked)."""
    data = await page.evaluate(MEASURE_JS, {"overlayShare": cfg.overlay_min_area_share, "navHints": cfg.nav_hints,
                                            "layoutHints": cfg.layout_hints})
    result = Measurement.model_validate({"url": url, **data})
    if screenshot_quality is not None:
        result.screenshot = await page.screenshot(type="jpeg", quality=screenshot_quality)
    return result
