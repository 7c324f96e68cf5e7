package ui

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/x/ansi"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

// common is the context every view shares, by pointer: one per session.
type common struct {
	namer    // the catalog's: it reads the dataset, never this session
	cat      *Catalog
	engine   *search.Engine
	styles   Styles
	keys     KeyMap
	help     help.Model
	currency string // "" shows each amount in its original currency
	// noPreview hides the browser's preview pane (p), for the session.
	noPreview bool
	width     int
	height    int
	// indexSlow is set once the index has prepared for indexNoteDelay
	// (indexSlowMsg): the status line then says search is not ready.
	indexSlow bool

	// marks are the ids of marked records, in the order they were marked
	// (the comparison shows them in that order).
	marks   []string
	markSet map[string]bool
}

func (c *common) toggleMark(id string) {
	if c.markSet[id] {
		delete(c.markSet, id)
		for i, m := range c.marks {
			if m == id {
				c.marks = append(c.marks[:i], c.marks[i+1:]...)
				break
			}
		}
		return
	}
	c.markSet[id] = true
	c.marks = append(c.marks, id)
}

func (c *common) clearMarks() {
	c.marks = nil
	c.markSet = map[string]bool{}
}

func (c *common) cycleCurrency() {
	cur := c.cat.currencies
	for i, cc := range cur {
		if cc == c.currency {
			c.currency = cur[(i+1)%len(cur)]
			return
		}
	}
	c.currency = cur[0]
}

func (c *common) currencyLabel() string {
	if c.currency == "" {
		return "original"
	}
	return c.currency
}

// moneyCell renders an amount in the session's display currency.
func (c *common) moneyCell(m model.Money, at model.Date) string {
	return c.money(c.currency, m, at)
}

// displayValue converts to the display currency for comparison bars; with
// the original currency selected, USD is the common unit.
func (c *common) displayValue(m model.Money, at model.Date) (float64, string) {
	cur := c.currency
	if cur == "" {
		cur = "USD"
	}
	if m.Currency == cur {
		return m.Amount, cur
	}
	conv, err := c.ds.Convert(m, cur, at)
	if err != nil {
		return math.NaN(), cur
	}
	return conv.To.Amount, cur
}

func qualifierMark(q string) string {
	switch q {
	case "":
		return ""
	case "about", "around", "approximately":
		return "~"
	case "more than", "over":
		return ">"
	case "up to", "at most":
		return "≤"
	case "at least":
		return "≥"
	}
	return q + " "
}

// clean makes data safe to show: a user's dataset is untrusted and is shown
// to SSH clients. It drops
//   - control characters (C0, DEL, C1), escape sequences included;
//   - format characters (category Cf): bidi controls such as U+202E and
//     U+2066, which reorder what the terminal shows (a spoofing tool), and
//     invisible ones such as U+200B, U+2060, U+FEFF, the soft hyphen and tag
//     characters, which some terminals and tmux draw in a cell and others in
//     none, so the measured width of a line no longer matches the screen;
//   - invalid UTF-8 (as U+FFFD), whose lone bytes an 8-bit terminal can read
//     as C1 controls.
//
// Line breaks (\n, \r, U+2028, U+2029) and tabs become a space.
//
// The zero-width joiner U+200D is dropped too, inside emoji as elsewhere: a
// ZWJ sequence such as the family emoji (man, ZWJ, woman, ZWJ, girl) is
// measured as one 2-cell grapheme, and terminals that do not join it (tmux
// among them) draw three emoji in 6 cells, which breaks the table. Without
// the joiner every terminal draws and measures the same three emoji, and the
// meaning survives. Scripts that use ZWJ and ZWNJ for shaping (Indic,
// Persian) keep their letters; terminals do not shape them alike anyway.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if unsafeRune(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t' || r == '\r' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case r == utf8.RuneError:
			// The replacement for a byte that is not UTF-8 (or the character
			// itself): valid, one cell, and not a control in any encoding.
			b.WriteRune(r)
		case unsafeRune(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unsafeRune says whether clean must drop or replace r. U+FFFD is among them
// because ranging over a string yields it for bytes that are not UTF-8, and
// those must not reach the terminal raw.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return true
	case r < 0xad: // the first Cf character is the soft hyphen
		return false
	case r == utf8.RuneError:
		return true
	case r < 0x10000:
		return bmpUnsafe[r>>6]&(1<<(r&63)) != 0
	}
	return unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// bmpUnsafe has a bit for each character of the Basic Multilingual Plane in
// Cf, Zl or Zp: clean runs on every cell drawn, and three table searches per
// character made CJK text four times slower to clean than one lookup.
var bmpUnsafe = func() (set [0x10000 / 64]uint64) {
	for _, t := range []*unicode.RangeTable{unicode.Cf, unicode.Zl, unicode.Zp} {
		for _, rg := range t.R16 {
			for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
				set[r>>6] |= 1 << (r & 63)
			}
		}
	}
	return set
}()

// cleanText is clean for long text that keeps its line breaks.
func cleanText(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = clean(l)
	}
	return strings.Join(lines, "\n")
}

// fit truncates s to w cells (with an ellipsis) and pads it to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// fitRight is fit with the text aligned right (numbers).
func fitRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", w-sw) + s
}

// clip truncates s to at most w cells without padding.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s
}

// clampView guarantees the frame contract: no line wider than w, no more
// than h lines, whatever a view produced.
func clampView(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		// A line's width never exceeds its length in bytes, so short lines
		// need no measuring.
		if len(l) > w && ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

// visibleLines returns the lines of a scrolled document that fit in a
// viewport: the viewport keeps the scroll position, but its own View pads
// and re-measures every line with lipgloss on each frame, and the document
// lines here are already fitted to the width.
func visibleLines(lines []string, offset, height int) []string {
	offset = clampInt(offset, 0, max(len(lines)-1, 0))
	end := min(offset+height, len(lines))
	out := make([]string, 0, height)
	out = append(out, lines[offset:end]...)
	return padLines(out, height)
}

// padLines pads a block to exactly h lines.
func padLines(lines []string, h int) []string {
	for len(lines) < h {
		lines = append(lines, "")
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return lines
}

func fmtInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func fmtFloat(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmtInt(int(v))
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func capitalize(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

func clampInt(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
